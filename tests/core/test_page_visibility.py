"""No page shows a rep another team's account, whatever the URL. The test walks every
route of the site (the admin and the API have their own tests), so a new page that takes an
account or a play fails here until it is described below."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from heedful.plays.models import Play

THEIR_NAME = "Theirs Utilities"


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from walk(entry, route)
        else:
            yield route, entry


ROUTES = sorted(route for route, _ in walk(get_resolver()))


def url_for(
    route: str, *, external_id: str, play_id: int, others: dict[str, str] | None = None
) -> tuple[str, str]:
    """The URL and method that would show the other team's record on this route; ``others``
    fills the other parameters (their meeting and its records, their rep)."""
    url = "/" + route
    url = url.replace("<path:external_id>", external_id).replace("<int:play_id>", str(play_id))
    for parameter, value in (others or {}).items():
        url = url.replace(parameter, value)
    method = "get"
    if "<slug:action>" in url:
        url, method = url.replace("<slug:action>", "dismiss"), "post"
    assert "<" not in url, f"describe the parameters of the new route {route!r} in this test"
    return url, method


@pytest.fixture
def their_play(people) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule="support.ticket_opened", account=people.theirs, subject="ticket:T-1",
        owner=people.other_rep, priority=90, urgent=True, title="Phones down at Theirs",
        explanation="A severity-1 ticket was opened.", suggested_action="Call them.",
    )


@pytest.fixture
def their_meeting(people) -> dict[str, str]:  # noqa: ANN001
    """Their meeting with an attendee, an agenda item, an action item and a shared link, and
    their service review with a topic and a customer's link, as the route parameters that
    name them. The customer's page is opened by its token alone (it
    shows the meeting to whoever holds the link), so here its token is one nobody holds."""
    from datetime import UTC, datetime

    from heedful.meetings.models import ActionItem, AgendaItem, Attendee, Meeting, SharedPage

    start = datetime(2026, 11, 23, 10, tzinfo=UTC)
    meeting = Meeting.objects.create(
        account=people.theirs, title="Theirs review", scheduled_start=start,
        scheduled_end=start.replace(hour=11), organizer=people.other_rep,
    )
    attendee = Attendee.objects.create(meeting=meeting, user=people.other_rep)
    item = AgendaItem.objects.create(meeting=meeting, topic="Theirs topic")
    action = ActionItem.objects.create(meeting=meeting, what="Theirs action", user=people.other_rep)
    page = SharedPage.objects.create(
        meeting=meeting, token_hash=SharedPage.hash("theirs"), created_at=start,
        expires_at=start.replace(year=2030),
    )
    from heedful.reviews.models import Review, ReviewTopic, SharedReview

    review = Review.objects.create(
        account=people.theirs, period="2026-Q3", period_from=start.date().replace(month=7, day=1),
        period_to=start.date().replace(month=9, day=30), created_at=start, updated_at=start,
    )
    topic = ReviewTopic.objects.create(review=review, title="Theirs topic", updated_at=start)
    link = SharedReview.objects.create(
        review=review, token_hash=SharedReview.hash("theirs"), created_at=start,
        expires_at=start.replace(year=2030),
    )
    event, visit, invitation = their_event_and_visit(people, start)
    follow_up, plan, task = their_coaching_and_onboarding(people, start)
    deal, line = their_deal(people)
    return {
        "<str:external_id>": deal.external_id, "<int:line_id>": str(line.pk),
        "<int:follow_up_id>": str(follow_up.pk), "<int:plan_id>": str(plan.pk),
        "<int:task_id>": str(task.pk),
        "<str:period>": "2026-Q3", "<int:review_id>": str(review.pk),
        "<int:topic_id>": str(topic.pk), "<int:link_id>": str(link.pk),
        "<int:event_id>": str(event.pk), "<int:invitation_id>": str(invitation.pk),
        "<int:visit_id>": str(visit.pk),
        "<int:meeting_id>": str(meeting.pk), "<int:attendee_id>": str(attendee.pk),
        # an agenda item's and an action item's routes share the name item_id
        "agenda/<int:item_id>": f"agenda/{item.pk}", "<int:item_id>": str(action.pk),
        "<int:page_id>": str(page.pk), "<str:moment>": "start", "<str:direction>": "up",
        "<str:username>": people.other_rep.username, "<str:token>": "nobody-holds-this",
        # a sender's webhook door (no source of that name: refused before any record)
        "<slug:name>": "zendesk",
    }


def their_coaching_and_onboarding(people, start):  # noqa: ANN001, ANN201
    """A review that coaches their rep, with an action item, and their rep's onboarding plan."""
    from heedful.coaching.models import FollowUp, Review
    from heedful.onboarding.models import OnboardingPlan, OnboardingTask

    review = Review.objects.create(
        kind="deal", held_on=start.date(), manager=people.other_manager, rep=people.other_rep,
        subject="Theirs deal", account=people.theirs,
    )
    follow_up = FollowUp.objects.create(
        review=review, what="Theirs follow-up", owner=people.other_rep, due_on=start.date(),
    )
    plan = OnboardingPlan.objects.create(
        new_hire=people.other_rep, manager=people.other_manager, starts_on=start.date(),
        one_on_one_every_days=7, ramp_percents="25,50,100",
    )
    task = OnboardingTask.objects.create(
        plan=plan, kind="administrative", title="Theirs task", due_on=start.date(),
    )
    return follow_up, plan, task


def their_deal(people):  # noqa: ANN001, ANN201
    """Their opportunity, with a product on it."""
    from heedful.sales.models import OpportunityProduct
    from tests.factories import OpportunityFactory, ProductFactory

    deal = OpportunityFactory(external_id="OPP-THEIRS", account=people.theirs,
                              owner=people.other_rep, name="Theirs deal", currency="USD")
    line = OpportunityProduct.objects.create(
        opportunity=deal, product=ProductFactory(sku="THEIRS-1"), quantity=2, unit_price=10,
    )
    return deal, line


def their_event_and_visit(people, start):  # noqa: ANN001, ANN201
    """A focus group with a guest of theirs, and a visit to them."""
    from heedful.accounts.models import Contact
    from heedful.events.models import Event, Invitation
    from heedful.lib.secret_links import token_hash
    from heedful.visits.models import Visit

    contact = Contact.objects.create(account=people.theirs, external_id="CON-THEIRS",
                                     full_name="Theirs Person", email="p@theirs.example")
    event = Event.objects.create(topic="Focus group", format="webinar", starts_at=start,
                                 ends_at=start.replace(hour=11), created_at=start)
    invitation = Invitation.objects.create(event=event, account=people.theirs, contact=contact)
    visit = Visit.objects.create(
        account=people.theirs, contact=contact, visitor=people.other_rep,
        visitor_role="Engineer", work_order="WO-THEIRS", purpose="Theirs job",
        window_start=start, window_end=start.replace(hour=11), our_phone="+1 555 0100",
        token_hash=token_hash("their-visit"), code_hash="-", created_at=start,
    )
    return event, visit, invitation


@pytest.mark.parametrize("route", ROUTES)
def test_rep_never_sees_another_teams_account_on_any_page(
    route: str, people, their_play: Play, their_meeting: dict[str, str], client  # noqa: ANN001
) -> None:
    # given
    client.force_login(people.rep)
    url, method = url_for(
        route, external_id=people.theirs.external_id, play_id=their_play.pk,
        others=their_meeting,
    )
    if route.startswith("meetings/") and "<" in route and "account/" not in route:
        method = "post" if not route.endswith(("<int:meeting_id>/", "follow-up/")) else method
    # when
    if method == "post":
        response = client.post(url, {"reason": "not mine"})
    else:
        response = client.get(
            url, {"q": "Theirs", "scope": "all", "owner": people.other_rep.pk, "account": "Theirs"}
        )
    # then
    assert response.status_code in (200, 302, 403, 404, 405)
    assert THEIR_NAME not in response.content.decode()
    assert "Phones down at Theirs" not in response.content.decode()
    their_play.refresh_from_db()
    assert their_play.status == "open"


def test_manager_sees_the_reports_account_page(people, client) -> None:  # noqa: ANN001
    client.force_login(people.director)
    response = client.get(f"/accounts/{people.ours.external_id}/")
    assert response.status_code == 200
    assert "Ours Telecom" in response.content.decode()
