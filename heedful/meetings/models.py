"""Meetings, their attendees, agenda, action items, transcript figures and shared links.

A meeting belongs to one customer account (found from its attendees' e-mails when it comes
from a calendar). Times are timezone-aware; the scheduled ones come from the invitation, the
actual ones from whoever held it, so that a late start and an overrun are facts, not
impressions.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from heedful.accounts.models import Account, Contact
from heedful.lib import secret_links
from heedful.lib.validators import RecordCheck, ValidatedModel, dates_in_order
from heedful.sales.models import Opportunity


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(ValidatedModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    scheduled_start = models.DateTimeField()
    scheduled_end = models.DateTimeField()
    actual_start = models.DateTimeField(
        null=True, blank=True,
        help_text="When it really started; later than planned is a late start.",
    )
    actual_end = models.DateTimeField(
        null=True, blank=True,
        help_text="When it really ended; later than planned is an overrun.",
    )
    location = models.CharField(
        max_length=300, blank=True, help_text="A room, an address or a video link."
    )
    language = models.CharField(
        max_length=50, blank=True,
        help_text="The language the meeting is held in (bring an interpreter when it is not ours).",
    )
    objective = models.TextField(blank=True, help_text="What we want to come out of it.")
    customer_value = models.TextField(
        "value for the customer", blank=True,
        help_text="What the customer gains from this meeting. If we cannot say it, we are not "
        "ready: prepare it or cancel the meeting.",
    )
    notes = models.TextField(blank=True)
    playback_summary = models.TextField(
        blank=True, help_text="What we heard, in the customer's words, as summarised back to them."
    )
    opportunities = models.ManyToManyField(
        Opportunity, blank=True, related_name="meetings",
        help_text="The deals open around the meeting's date.",
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="organized_meetings",
    )
    calendar_key = models.CharField(
        max_length=500, null=True, blank=True, unique=True, editable=False,
        help_text="The invitation's UID (and the occurrence's start for a recurring one), so "
        "that importing the calendar again updates the meeting.",
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    checks_across_fields = (
        dates_in_order("scheduled_start", "scheduled_end"),
        dates_in_order("actual_start", "actual_end"),
    )

    class Meta:
        verbose_name = "meeting"
        ordering = ["-scheduled_start"]
        indexes = [
            models.Index(fields=["account", "scheduled_start"]),
            models.Index(fields=["scheduled_start"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def late_start(self) -> timedelta | None:
        """How late it started (zero when on time or early); None until it is recorded."""
        if self.actual_start is None:
            return None
        return max(self.actual_start - self.scheduled_start, timedelta(0))

    @property
    def overrun(self) -> timedelta | None:
        """How far past its planned end it ran (zero when on time); None until recorded."""
        if self.actual_end is None:
            return None
        return max(self.actual_end - self.scheduled_end, timedelta(0))

    def has_ended(self, now: datetime) -> bool:
        return (self.actual_end or self.scheduled_end) <= now


def _one_person(record: "Attendee | ActionItem") -> str | None:
    people = [record.user_id, record.contact_id]
    if sum(person is not None for person in people) > 1:
        return "Choose one of our people or one of the customer's, not both."
    return None


class AttendeeRole(models.TextChoices):
    ORGANIZER = "organizer", "Organizer"
    REQUIRED = "required", "Required"
    OPTIONAL = "optional", "Optional"
    INTERPRETER = "interpreter", "Interpreter"


class Response(models.TextChoices):
    NONE = "", "No answer"
    ACCEPTED = "accepted", "Accepted"
    TENTATIVE = "tentative", "Tentative"
    DECLINED = "declined", "Declined"


class Attendee(ValidatedModel):
    """One person at a meeting: one of our users, one of the customer's contacts, or someone
    we only know by name and e-mail (an interpreter, a guest)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For someone who is neither.")
    email = models.EmailField(blank=True)
    role = models.CharField(
        max_length=12, choices=AttendeeRole.choices, default=AttendeeRole.REQUIRED
    )
    response = models.CharField(max_length=10, choices=Response.choices, blank=True)

    checks_across_fields = (
        RecordCheck(field="contact", reads=("user", "contact"), test=_one_person),
        RecordCheck(
            field="name", reads=("user", "contact", "name", "email"),
            test=lambda attendee: None
            if attendee.user_id or attendee.contact_id or attendee.name or attendee.email
            else "Say who: one of our people, a contact, or a name.",
        ),
    )

    class Meta:
        verbose_name = "attendee"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False),
                name="attendee_user_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"], condition=Q(contact__isnull=False),
                name="attendee_contact_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        if self.contact is not None:
            return self.contact.full_name
        return self.name or self.email

    @property
    def is_internal(self) -> bool:
        return self.user_id is not None


class RaisedBy(models.TextChoices):
    US = "us", "Us"
    CUSTOMER = "customer", "The customer"


class AgendaItem(ValidatedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    topic = models.CharField(max_length=300)
    raised_by = models.CharField(max_length=10, choices=RaisedBy.choices, default=RaisedBy.US)
    minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Time planned for it.")
    confirmed_with_customer = models.BooleanField(
        default=False, help_text="Agreed with the customer at the start of the meeting."
    )

    class Meta:
        verbose_name = "agenda item"
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.topic


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionSource(models.TextChoices):
    TYPED = "typed", "Written by us"
    TRANSCRIPT = "transcript", "Found in the transcript"


class ActionItem(ValidatedModel):
    """Who will do what by when, on our side or the customer's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    what = models.CharField(max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="action_items", verbose_name="owner (ours)",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items",
        verbose_name="owner (customer's)",
    )
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    customer_comment = models.TextField(
        blank=True, help_text="What the customer wrote on their shared page."
    )
    source = models.CharField(
        max_length=10, choices=ActionSource.choices, default=ActionSource.TYPED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    checks_across_fields = (
        RecordCheck(field="contact", reads=("user", "contact"), test=_one_person),
        RecordCheck(
            field="user", reads=("user", "contact"),
            test=lambda item: None
            if item.user_id or item.contact_id
            else "Say who owns it: one of our people or one of the customer's.",
        ),
    )

    class Meta:
        verbose_name = "action item"
        ordering = ["meeting", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.what

    @property
    def is_customers(self) -> bool:
        return self.contact_id is not None


class Transcript(models.Model):
    """A meeting's transcript as uploaded, and the figures computed from it
    (``heedful.conversations``). One per meeting; a new upload replaces it."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="transcript")
    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    content = models.TextField()
    figures = models.JSONField(
        default=dict, help_text="The figures as `heedful transcript analyze --json` gives them."
    )
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "transcript"

    def __str__(self) -> str:
        return self.file_name


class SpeakerName(models.Model):
    """Who a transcript's speaker label is, remembered for that meeting ("Speaker 1" is
    Giulia Rossi), so that the figures count under the right person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speaker_names")
    label = models.CharField(max_length=200)
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="speaker_labels")

    class Meta:
        verbose_name = "speaker name"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "label"], name="speaker_label_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} → {self.attendee}"


class SpeakerFigures(models.Model):
    """One speaker's figures in one transcript, kept as rows so that a rep's trend and the
    ``conversation.*`` rules are sums over a period in one query."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="speakers")
    label = models.CharField(max_length=200, help_text="The name the transcript gives.")
    attendee = models.ForeignKey(
        Attendee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="speaker_figures", help_text="Set when the speaker is one of our people.",
    )
    is_internal = models.BooleanField(default=False)
    talk_seconds = models.FloatField(null=True, blank=True)
    talk_share = models.FloatField(null=True, blank=True)
    turns = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(null=True, blank=True)
    questions = models.PositiveIntegerField(null=True, blank=True)
    statements = models.PositiveIntegerField(null=True, blank=True)
    longest_monologue_seconds = models.FloatField(null=True, blank=True)
    interruptions_made = models.PositiveIntegerField(default=0)
    interrupted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "speaker's figures"
        verbose_name_plural = "speakers' figures"
        indexes = [models.Index(fields=["user", "transcript"])]

    def __str__(self) -> str:
        return self.label


class SharedPage(models.Model):
    """The customer's read-only page of a meeting: agreed action items and their account
    team. Only the SHA-256 of its token is stored; the link is shown once to whoever made it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shared_pages")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text="From this moment on the link shows nothing.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "shared meeting page"

    def __str__(self) -> str:
        return f"Shared page of {self.meeting}"

    hash = staticmethod(secret_links.token_hash)
    new_token = staticmethod(secret_links.new_token)

    def is_open(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


def _talk_share_in_order(bands: "ConversationBands") -> str | None:
    if bands.internal_talk_share_low > bands.internal_talk_share_high:
        return "The lowest share must not be above the highest."
    return None


class ConversationBands(ValidatedModel):
    """The bands a conversation's figures are read against, set by an admin (one row, kept
    only when an admin changed a value: ``heedful.meetings.bands.current_bands`` gives the
    code's defaults otherwise). The ``conversation.low_question_ratio`` rule reads its
    minimum here too, so that the meeting page and the rule never disagree."""

    internal_talk_share_low = models.PositiveSmallIntegerField(
        "our talk share, at least (%)", default=40,
        validators=[MaxValueValidator(100)],
        help_text="Below this we did not tell the customer enough.",
    )
    internal_talk_share_high = models.PositiveSmallIntegerField(
        "our talk share, at most (%)", default=60,
        validators=[MaxValueValidator(100)],
        help_text="Above this we talked more than we listened.",
    )
    minimum_question_ratio = models.DecimalField(
        "question ratio, at least", max_digits=4, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Our questions for each statement we make; at least 1 is a conversation.",
    )
    longest_monologue_seconds = models.PositiveIntegerField(
        "longest monologue, under (seconds)", default=120,
        help_text="One of us speaking this long without a break is a lecture.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    checks_across_fields = (
        RecordCheck(
            field="internal_talk_share_high",
            reads=("internal_talk_share_low", "internal_talk_share_high"),
            test=_talk_share_in_order,
        ),
    )

    class Meta:
        verbose_name = "conversation bands"
        verbose_name_plural = "conversation bands"

    def __str__(self) -> str:
        return "Conversation bands"
