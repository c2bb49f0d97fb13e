"""The Account 360 leads to the account's visits and to what its people said, as it leads
to its meetings."""

from django.urls import reverse

from heedful.events.models import FeedbackItem
from heedful.lib import clock
from tests.factories import AccountFactory


def test_the_account_360_links_to_its_visits_and_its_feedback(people, client) -> None:  # noqa: ANN001
    # given an account whose id holds a slash, and what one of its people said
    account = AccountFactory(external_id="ACC/7", name="Seven Seas", owner=people.rep)
    FeedbackItem.objects.create(account=account, theme="needs", said="One bill for all sites",
                                recorded_at=clock.now())
    client.force_login(people.rep)
    # when
    page = client.get(reverse("accounts:detail", args=["ACC/7"])).content.decode()
    visits = client.get(reverse("visits:account", args=["ACC/7"]))
    feedback = client.get(reverse("events:feedback") + "?account=ACC%2F7").content.decode()
    # then
    assert f'href="{reverse("visits:account", args=["ACC/7"])}">Visits</a>' in page
    assert 'href="/events/feedback/?account=ACC%2F7">Feedback</a>' in page
    assert visits.status_code == 200
    assert "One bill for all sites" in feedback and "Seven Seas" in feedback
