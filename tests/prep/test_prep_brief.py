"""The prep brief: the people and how to address them, the customer's data first, and a
suggested agenda with their open issues before our topics."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from heedful.meetings import services as meetings_services
from heedful.prep.services import get_prep_brief
from tests.factories import ServiceMetricFactory, TicketFactory
from tests.meetings.conftest import meeting, now  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def troubled(people, meeting):  # noqa: ANN001, ANN201, F811
    """Phones down (severity 1), one SLA target missed and one met in October."""
    TicketFactory(account=people.ours, external_id="TCK-1", severity=1, status="open",
                  subject="Phones down", opened_at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    ServiceMetricFactory(account=people.ours, period="2026-10", metric="Uptime",
                         target=99.9, actual=98.2, higher_is_better=True)
    ServiceMetricFactory(account=people.ours, period="2026-10", metric="First response hours",
                         target=4, actual=2, higher_is_better=False)
    meetings_services.add_agenda_item(user=people.rep, meeting=meeting, topic="Roadmap 2027")
    return meeting


def test_the_suggested_agenda_puts_their_open_issues_before_our_topics(people, troubled) -> None:  # noqa: ANN001
    brief = get_prep_brief(meeting=troubled, as_of=date(2026, 11, 23))
    texts = [topic.text for topic in brief.agenda]
    assert texts[0] == "Where we are on “Phones down”"
    assert texts[-1] == "Roadmap 2027"
    assert any("Uptime" in text for text in texts[:-1])
    assert [topic.is_theirs for topic in brief.agenda][-1] is False


def test_service_data_comes_bad_first_and_in_words(people, troubled) -> None:  # noqa: ANN001
    brief = get_prep_brief(meeting=troubled, as_of=date(2026, 11, 23))
    texts = [fact.text for fact in brief.service]
    assert texts[0] == "Uptime, Oct 2026: 98.2 against a target of at least 99.9: missed"
    assert "First response hours, Oct 2026: 2 against a target of at most 4: met" in texts
    assert brief.service[-1].is_good


def test_the_brief_page_says_how_to_address_each_person(client, people, troubled) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    page = client.get(reverse("prep:brief", args=[troubled.pk])).content.decode()
    assert "Call them <strong>Rich</strong>" in page
    assert "Say it “JOO-lee-ah”" in page
    assert "Avoid: golf, phone calls" in page
    assert "Interpreter: <strong>Marco Bianchi</strong>" in page
    assert "Their language: Italian" in page
    assert page.index("Their service, good and bad") < page.index("Billing")
    printable = client.get(reverse("prep:print", args=[troubled.pk])).content.decode()
    assert "topbar" not in printable and "Call them <strong>Rich</strong>" in printable


def test_another_accounts_rep_cannot_open_the_brief(client, people, troubled) -> None:  # noqa: ANN001
    client.force_login(people.other_rep)
    assert client.get(reverse("prep:brief", args=[troubled.pk])).status_code == 404
