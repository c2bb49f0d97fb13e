"""Editing a review: commentary and topics only, two people never overwrite each other, a
sent review keeps what the customer saw, and the next review starts from its open topics."""

from decimal import Decimal

import pytest

from heedful.core.exceptions import InvalidInput, StaleVersion
from heedful.core.versions import version_of
from heedful.reviews import services
from heedful.reviews.models import MetricComment, Review, ReviewStatus, ReviewTopic
from heedful.reviews.periods import parse_period
from heedful.support.models import ServiceMetric

Q3 = parse_period("2026-Q3")
FCR = "First-call resolution %"


@pytest.fixture
def draft(mixed, people):  # noqa: ANN001, ANN201
    return services.prepare(user=people.rep, account=mixed, period=Q3)


def comment(people, draft, text: str, version: str = "") -> MetricComment:  # noqa: ANN001
    return services.save_comment(user=people.rep, review=draft, metric=FCR,
                                 what_happened=text, what_we_are_doing="", version=version)


def test_preparing_twice_gives_the_same_draft(mixed, people, draft) -> None:  # noqa: ANN001
    again = services.prepare(user=people.manager, account=mixed, period=Q3)
    assert again.pk == draft.pk
    assert Review.objects.count() == 1


def test_a_second_writer_from_an_old_page_is_refused_and_nothing_changes(
    people, draft,  # noqa: ANN001
) -> None:
    # given: both opened the page when the commentary said "first"
    first = comment(people, draft, "first")
    seen = version_of(first)
    comment(people, draft, "the rep's words", version=seen)
    # when: the manager saves from the page they opened before
    with pytest.raises(StaleVersion):
        comment(people, draft, "the manager's words", version=seen)
    # then
    assert MetricComment.objects.get().what_happened == "the rep's words"


def test_two_first_commentaries_at_once_the_second_is_refused(people, draft) -> None:  # noqa: ANN001
    comment(people, draft, "the rep's words")
    with pytest.raises(StaleVersion):
        comment(people, draft, "the manager's words", version="")
    assert MetricComment.objects.get().what_happened == "the rep's words"


def test_commentary_only_on_a_metric_the_review_shows(people, draft) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        services.save_comment(user=people.rep, review=draft, metric="Made-up metric",
                              what_happened="x", what_we_are_doing="", version="")
    assert not MetricComment.objects.exists()


def test_sending_from_a_page_older_than_the_last_edit_is_refused(people, draft) -> None:  # noqa: ANN001
    seen = services.review_version(draft)
    comment(people, draft, "written after the sender opened the page")
    with pytest.raises(StaleVersion):
        services.send(user=people.manager, review=draft, version=seen)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT and draft.snapshot is None


def test_a_sent_review_keeps_what_the_customer_saw(mixed, people, draft) -> None:  # noqa: ANN001
    # given: sent with its commentary
    comment(people, draft, "Volume ran far above the contract.")
    draft.refresh_from_db()
    sent = services.send(user=people.rep, review=draft, version=services.review_version(draft),
                         link_days=30)
    assert sent.token
    # when: the records change afterwards (a late correction of September)
    ServiceMetric.objects.filter(account=mixed, metric=FCR, period="2026-09").update(
        actual=Decimal("90"))
    # then: the review shows the numbers sent, and it no longer takes edits
    review = Review.objects.get(pk=draft.pk)
    content = services.get_content(review=review)
    september = next(row for row in content["metrics"]
                     if row["metric"] == FCR and row["period"] == "2026-09")
    assert (september["actual"], september["met"]) == (71, False)
    assert content["commentary"][FCR]["what_happened"] == "Volume ran far above the contract."
    with pytest.raises(InvalidInput):
        comment(people, review, "changed after sending", version="")


def test_the_next_review_starts_from_the_previous_ones_open_topics(
    mixed, people, draft,  # noqa: ANN001
) -> None:
    # given: Q3 sent with one open and one closed topic, and a commitment on a metric
    services.add_topic(user=people.rep, review=draft, kind="scope_change",
                       title="Scope for 5,500 tickets a month", text="")
    closed = services.add_topic(user=people.rep, review=draft, kind="roadmap",
                                title="Self-service portal", text="")
    services.update_topic(user=people.rep, review=draft, topic_id=closed.pk, kind="roadmap",
                          title="Self-service portal", text="Delivered.", is_open=False,
                          version=version_of(closed))
    services.save_comment(user=people.rep, review=draft, metric=FCR, what_happened="",
                          what_we_are_doing="Two more agents from 1 October.", version="")
    draft.refresh_from_db()
    services.send(user=people.rep, review=draft, version=services.review_version(draft))
    # when: Q4 is prepared
    q4 = services.prepare(user=people.rep, account=mixed, period=parse_period("2026-Q4"))
    # then
    topics = list(ReviewTopic.objects.filter(review=q4))
    assert [(topic.title, topic.carried_from_id) for topic in topics] == [
        ("Scope for 5,500 tickets a month", draft.pk)]
    assert q4.previous_id == draft.pk
    content = services.get_content(review=q4)
    assert content["last_time"] == {FCR: "Two more agents from 1 October."}
