"""A visit to Ours Telecom by an engineer, planned for tomorrow, announced to Rich (who
prefers e-mail); Giulia prefers the phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from heedful.visits import services
from tests.factories import ContactFactory, UserFactory


@pytest.fixture
def visit(people):  # noqa: ANN001, ANN201
    ContactFactory(account=people.ours, external_id="CON-RICH", full_name="Richard Hale",
                   preferred_name="Rich", preferred_channel="email", email="rich@ours.example")
    ContactFactory(account=people.ours, external_id="CON-GIULIA", full_name="Giulia Rossi",
                   preferred_channel="phone", phone="+39 06 1234 5678", email="g@ours.example")
    UserFactory(username="hannah", full_name="Hannah Schmid", department="engineering")
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
    return services.create_at(user=people.rep, account=people.ours, data={
        "contact": "CON-RICH", "visitor": "hannah", "visitor_role": "Field engineer",
        "work_order": "WO-2291", "purpose": "Replace the SIP gateway",
        "window_start": start.isoformat(), "window_end": (start + timedelta(hours=2)).isoformat(),
        "our_phone": "+1 415 555 0100", "internal_notes": "Margin on this job is thin",
    })
