"""The review pages: who sees a review, the forms' refusals, and who may act."""

from datetime import date

import pytest

from heedful.coaching.models import CoachingPoint, FollowUp, Review
from tests.factories import OpportunityFactory


@pytest.fixture
def review(people) -> Review:  # noqa: ANN001
    deal = OpportunityFactory(owner=people.rep, account=people.ours, external_id="OPP-1")
    return Review.objects.create(kind="deal", held_on=date(2026, 11, 22), manager=people.manager,
                                 rep=people.rep, subject="Expansion", opportunity=deal,
                                 account=people.ours)


@pytest.mark.parametrize(("viewer", "status"), [
    ("rep", 200), ("manager", 200), ("director", 200), ("other_rep", 404),
    ("other_manager", 404),
])
def test_a_review_is_seen_by_the_rep_and_those_above_only(client, people, review, viewer,  # noqa: ANN001
                                                          status) -> None:
    client.force_login(getattr(people, viewer))
    assert client.get(f"/coaching/{review.pk}/").status_code == status


def test_the_list_pages_and_sorts(client, people, review, django_assert_max_num_queries) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    with django_assert_max_num_queries(12):
        page = client.get("/coaching/?sort=rep").content.decode()
    assert "Expansion" in page and "1 review" in page


def test_the_new_review_form_says_what_to_correct(client, people) -> None:  # noqa: ANN001
    client.force_login(people.manager)
    response = client.post("/coaching/new/", {"rep": "rep", "kind": "deal",
                                             "held_on": "2026-11-22", "subject": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say what is reviewed, e.g. the deal&#x27;s name." in page
    assert not Review.objects.exists()


def test_a_rep_cannot_add_coaching_points_to_their_own_review(client, people, review) -> None:  # noqa: ANN001
    client.force_login(people.rep)
    response = client.post(f"/coaching/{review.pk}/points/", {
        "skill": "listening", "direction": "reinforce", "observed": "I listened"})
    assert response.status_code == 400
    assert not CoachingPoint.objects.exists()


def test_the_rep_marks_their_action_item_done(client, people, review) -> None:  # noqa: ANN001
    item = FollowUp.objects.create(review=review, what="Meet the CFO", owner=people.rep,
                                   due_on=date(2026, 11, 29))
    client.force_login(people.rep)
    client.post(f"/coaching/{review.pk}/action-items/{item.pk}/done/")
    item.refresh_from_db()
    assert item.done_on is not None
