"""Focus groups and webinars: customers invited, who registered and who came, and what they
said (feedback items by theme and product family, read by product and leadership).

"Hold customer focus groups or webinars. Get your customers talking about their problems,
what your product does well and what it needs to do."
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from heedful.accounts.models import Account, Contact
from heedful.catalog.models import ProductFamily
from heedful.lib.validators import RecordCheck, ValidatedModel, dates_in_order


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    WEBINAR = "webinar", "Webinar"


class Event(ValidatedModel):
    topic = models.CharField(max_length=300, help_text="What the customers will talk about.")
    format = models.CharField(max_length=10, choices=EventFormat.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(
        max_length=300, blank=True, help_text="An address, or the webinar's link."
    )
    family = models.ForeignKey(
        ProductFamily, null=True, blank=True, on_delete=models.SET_NULL, related_name="events",
        verbose_name="product family", help_text="The product family it is about, if one.",
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="hosted_events"
    )
    created_at = models.DateTimeField()
    attendance_recorded_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When who came was recorded (imported or marked): from then on a "
        "registered guest who did not come is a no-show.",
    )

    checks_across_fields = (dates_in_order("starts_at", "ends_at"),)

    class Meta:
        verbose_name = "customer event"
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.topic


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    REGISTERED = "registered", "Registered"
    ATTENDED = "attended", "Attended"
    DECLINED = "declined", "Declined"


class Invitation(ValidatedModel):
    """One contact invited to one event, and what became of it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="event_invitations")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="event_invitations")
    status = models.CharField(
        max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    attended_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["event", "account", "contact"]
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"], name="invitation_once_per_contact")
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"{self.contact} to {self.event}"


class FeedbackTheme(models.TextChoices):
    PROBLEM = "problem", "A problem they have"
    DOES_WELL = "does_well", "What the product does well"
    NEEDS = "needs", "What it needs to do"
    SERVICE = "service", "How we serve them"
    PRICE = "price", "Price and terms"


def _contact_on_account(item: "FeedbackItem") -> str | None:
    if item.contact_id and item.contact and item.contact.account_id != item.account_id:
        return "Choose a contact of the same account."
    return None


class FeedbackItem(ValidatedModel):
    """One thing a customer said at an event, with its account, product family and theme."""

    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="feedback_items")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_items"
    )
    family = models.ForeignKey(
        ProductFamily, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback_items", verbose_name="product family",
    )
    theme = models.CharField(max_length=12, choices=FeedbackTheme.choices)
    said = models.TextField(help_text="What they said, in their words.")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    checks_across_fields = (
        RecordCheck(field="contact", reads=("account", "contact"), test=_contact_on_account),
    )

    class Meta:
        verbose_name = "feedback item"
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["theme", "recorded_at"]),
            models.Index(fields=["account", "recorded_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(said=""), name="feedback_item_says_something")
        ]

    def __str__(self) -> str:
        return self.said[:80]
