"""Reviews through /api/v1/reviews: a manager holds and changes the reviews of their people,
the rep reads theirs with the coaching points and follow-ups inside, and nobody else sees
them (``managed_users``/``manages``, as the review pages)."""

import json
from datetime import date

from django.test import Client

from heedful.coaching import services
from heedful.coaching.models import Review
from heedful.core.models import AuditEntry
from tests.api.conftest import API, client_for
from tests.factories import OpportunityFactory

URL = API + "/reviews"


def _post(client: Client, **fields: object):  # noqa: ANN202
    body = {"kind": "pipeline", "held_on": "2026-12-04", "rep_username": "rep",
            "subject": "Q4 pipeline", **fields}
    return client.post(URL, json.dumps(body), content_type="application/json")


def _held_review(people) -> Review:  # noqa: ANN001
    review = services.create(
        user=people.manager, rep=people.rep, kind="pipeline", held_on=date(2026, 12, 4),
        subject="Q4 pipeline",
    )
    services.add_point(
        user=people.manager, review=review, skill="listening", direction="reinforce",
        observed="Let the customer finish before answering.",
    )
    services.add_follow_up(
        user=people.manager, review=review, what="Add a next step to every open deal",
        owner=people.rep, due_on=date(2026, 12, 11),
    )
    return review


def test_a_manager_holds_a_deal_review_and_the_rep_reads_it(people) -> None:  # noqa: ANN001
    # given
    OpportunityFactory(external_id="OPP-DEAL", account=people.ours, owner=people.rep)
    # when
    response = _post(client_for(people.manager), kind="deal",
                     opportunity_external_id="OPP-DEAL", subject="Ours expansion")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["manager_username"], body["account_external_id"]) == ("manager", "ACC-OURS")
    assert client_for(people.rep).get(f"{URL}/{body['id']}").json() == body
    assert AuditEntry.objects.get().action == "review.create"


def test_the_rep_reads_the_coaching_points_and_follow_ups_inside_the_review(people) -> None:  # noqa: ANN001
    review = _held_review(people)
    body = client_for(people.rep).get(f"{URL}/{review.pk}").json()
    assert [(point["skill"], point["direction"]) for point in body["coaching_points"]] == [
        ("listening", "reinforce")
    ]
    assert [(item["what"], item["owner_username"], item["due_on"], item["done_on"])
            for item in body["follow_ups"]] == [
        ("Add a next step to every open deal", "rep", "2026-12-11", None)
    ]


def test_nobody_outside_the_reps_line_sees_their_review(people) -> None:  # noqa: ANN001
    review = _held_review(people)
    url = f"{URL}/{review.pk}"
    assert client_for(people.director).get(url).status_code == 200
    assert client_for(people.other_rep).get(url).status_code == 404
    assert client_for(people.other_manager).get(url).status_code == 404
    assert client_for(people.other_manager).get(URL).json()["count"] == 0


def test_a_rep_cannot_hold_a_review(people) -> None:  # noqa: ANN001
    response = _post(client_for(people.rep))
    assert response.status_code == 422
    assert response.json()["errors"]["rep_username"] == ["Choose someone who reports to you."]
    assert not Review.objects.exists()


def test_a_deal_review_without_its_deal_is_refused_naming_the_field(people) -> None:  # noqa: ANN001
    response = _post(client_for(people.manager), kind="deal")
    assert response.status_code == 422
    assert response.json()["errors"]["opportunity_external_id"] == [
        "A deal review is about one opportunity: choose it."
    ]
    assert not Review.objects.exists()


def test_the_manager_moves_a_review_and_a_stale_change_writes_nothing(people) -> None:  # noqa: ANN001
    # given: the manager and the director read the same review
    review = _held_review(people)
    url = f"{URL}/{review.pk}"
    manager, director = client_for(people.manager), client_for(people.director)
    read_by_manager, read_by_director = manager.get(url), director.get(url)
    # when
    moved = manager.patch(url, json.dumps({"held_on": "2026-12-07"}),
                          content_type="application/json",
                          headers={"If-Match": read_by_manager["ETag"]})
    stale = director.patch(url, json.dumps({"notes": "From an old read"}),
                           content_type="application/json",
                           headers={"If-Match": read_by_director["ETag"]})
    # then
    assert moved.status_code == 200 and moved.json()["held_on"] == "2026-12-07"
    assert moved.json()["coaching_points"] == read_by_manager.json()["coaching_points"]
    assert stale.status_code == 412
    review.refresh_from_db()
    assert (review.held_on, review.notes) == (date(2026, 12, 7), "")


def test_the_rep_may_neither_change_nor_delete_their_review(people) -> None:  # noqa: ANN001
    # given
    review = _held_review(people)
    url = f"{URL}/{review.pk}"
    rep = client_for(people.rep)
    # when
    changed = rep.patch(url, json.dumps({"notes": "All good"}), content_type="application/json")
    deleted = rep.delete(url)
    # then
    assert changed.status_code == deleted.status_code == 403
    review.refresh_from_db()
    assert review.notes == ""


def test_the_manager_deletes_a_review_with_its_points(people) -> None:  # noqa: ANN001
    review = _held_review(people)
    assert client_for(people.other_manager).delete(f"{URL}/{review.pk}").status_code == 404
    assert client_for(people.manager).delete(f"{URL}/{review.pk}").status_code == 204
    assert not Review.objects.exists()


def test_reviews_filter_by_rep_and_dates_and_sort(people) -> None:  # noqa: ANN001
    # given
    for day in (1, 8, 15):
        services.create(user=people.manager, rep=people.rep, kind="pipeline",
                        held_on=date(2026, 12, day), subject=f"Week of the {day}th")
    services.create(user=people.other_manager, rep=people.other_rep, kind="territory",
                    held_on=date(2026, 12, 8), subject="North")
    # when
    page = client_for(people.executive).get(URL, {
        "rep_username": "rep", "held_from": "2026-12-05", "ordering": "-held_on",
    }).json()
    # then
    assert page["count"] == 2
    assert [item["held_on"] for item in page["items"]] == ["2026-12-15", "2026-12-08"]


def test_the_openapi_description_lists_reviews(db) -> None:  # noqa: ANN001
    paths = Client().get(API + "/openapi.json").json()["paths"]
    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "/{id}"]) == {"get", "patch", "delete"}
