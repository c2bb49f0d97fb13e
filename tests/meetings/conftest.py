"""A meeting with Ours Telecom, the people of ``people`` and the clock set to a known moment."""

from datetime import UTC, datetime

import pytest

from heedful.lib import clock
from heedful.meetings.models import Attendee, Meeting
from tests.factories import ContactFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The injected clock, at 09:00 UTC on 23 Nov 2026."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    return NOW


@pytest.fixture
def meeting(people, now):  # noqa: ANN001, ANN201
    """A quarterly review with Ours Telecom at 10:00–11:00 UTC on 23 Nov 2026: Rich (the
    CIO, who prefers e-mail), Giulia (the CFO, who prefers the phone, speaks Italian) and her
    interpreter; the rep organises it."""
    rich = ContactFactory(
        account=people.ours, external_id="CON-RICH", full_name="Richard Hale",
        preferred_name="Rich", title="CIO", preferred_channel="email",
        email="rich@ours.example", dislikes="golf;phone calls", likes="skiing;boats",
    )
    giulia = ContactFactory(
        account=people.ours, external_id="CON-GIULIA", full_name="Giulia Rossi",
        pronunciation="JOO-lee-ah", title="CFO", preferred_channel="phone",
        phone="+39 06 1234 5678", language="Italian", email="giulia@ours.example",
    )
    meeting = Meeting.objects.create(
        account=people.ours, title="Quarterly review", organizer=people.rep,
        scheduled_start=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        scheduled_end=datetime(2026, 11, 23, 11, 0, tzinfo=UTC), language="English",
    )
    Attendee.objects.create(meeting=meeting, contact=rich)
    Attendee.objects.create(meeting=meeting, contact=giulia)
    Attendee.objects.create(meeting=meeting, name="Marco Bianchi", role="interpreter")
    Attendee.objects.create(meeting=meeting, user=people.rep, role="organizer")
    meeting.rich, meeting.giulia = rich, giulia  # type: ignore[attr-defined]
    return meeting
