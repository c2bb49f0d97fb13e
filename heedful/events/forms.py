"""Validation of events and of what customers said, for their pages and the API."""

from typing import Any

from django.db.models import Q

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.core.models import User
from heedful.events.kinds import EVENT, FEEDBACK_ITEM
from heedful.events.models import Event, FeedbackItem
from heedful.lib import clock


class EventForm(HeedfulModelForm):
    """An event: on no account, so everyone signed in reads and plans them."""

    class Meta:
        model = Event
        fields = EVENT.form_fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host = self.fields["host"]
        # Someone who has left hosts no new event, yet stays the host of those they held.
        host.queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=self.instance.host_id)
        )
        if self.instance.pk is None:
            self.instance.created_at = clock.now()


class FeedbackItemForm(HeedfulModelForm):
    """One thing a customer said, on an account the user may see (the contact one of its
    people: the model's check)."""

    class Meta:
        model = FeedbackItem
        fields = FEEDBACK_ITEM.form_fields
        error_messages = {"account": {"required": "Choose the customer who said it."}}

    event: Event | None = None
    """The event it was said at, set by ``feedback_form_at``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.event = self.event
            self.instance.recorded_at = clock.now()
            self.instance.recorded_by = self.user


def feedback_form_at(event: Event | None) -> type[FeedbackItemForm]:
    """The feedback form of what was said at ``event`` (None: said elsewhere)."""
    return type("FeedbackItemAtEventForm", (FeedbackItemForm,), {"event": event})
