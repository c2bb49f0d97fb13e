"""Reviews that coach: who holds them, coaching points, action items and the agenda the
scorecard fills in one click."""

from datetime import date
from decimal import Decimal

import pytest

from heedful.coaching import services
from heedful.coaching.models import AgendaItem, Review
from heedful.core.exceptions import InvalidInput
from heedful.sales.models import Opportunity
from tests.factories import OpportunityFactory

TODAY = date(2026, 11, 22)


def deal_review(people, **changes):  # noqa: ANN001, ANN201
    opportunity = Opportunity.objects.filter(external_id="OPP-DEAL").first() or (
        OpportunityFactory(owner=people.rep, account=people.ours, external_id="OPP-DEAL",
                           name="Ours expansion"))
    values = {"user": people.manager, "rep": people.rep, "kind": "deal", "held_on": TODAY,
              "subject": "Ours expansion", "opportunity_external_id": opportunity.external_id,
              **changes}
    return services.create(**values)


def test_a_manager_holds_a_deal_review_about_one_deal(people) -> None:  # noqa: ANN001
    review = deal_review(people)
    assert (review.opportunity.name, review.account, review.manager) == (
        "Ours expansion", people.ours, people.manager)


def test_a_deal_review_without_its_deal_says_to_choose_it(people) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput) as refused:
        deal_review(people, opportunity_external_id="")
    assert refused.value.errors["opportunity"] == [
        "A deal review is about one opportunity: choose it."]
    assert not Review.objects.exists()


def test_a_rep_or_another_teams_manager_cannot_hold_it(people) -> None:  # noqa: ANN001
    for user in (people.rep, people.other_manager):
        with pytest.raises(InvalidInput):
            deal_review(people, user=user)
    assert not Review.objects.exists()


def test_coaching_points_need_a_skill_an_observation_and_a_direction(people) -> None:  # noqa: ANN001
    review = deal_review(people)
    with pytest.raises(InvalidInput) as refused:
        services.add_point(user=people.manager, review=review, skill="charm", observed=" ",
                           direction="")
    assert set(refused.value.errors) == {"skill", "observed", "direction"}
    point = services.add_point(user=people.manager, review=review, skill="discovery_questions",
                               observed="Asked what the CFO needs before the demo",
                               direction="reinforce")
    assert point.get_skill_display() == "Discovery questions"


def test_the_rep_sees_their_review_and_another_rep_does_not(people) -> None:  # noqa: ANN001
    review = deal_review(people)
    assert services.get_or_raise(user=people.rep, review_id=review.pk) == review
    assert services.get_or_raise(user=people.director, review_id=review.pk) == review
    with pytest.raises(services.NotFound):
        services.get_or_raise(user=people.other_rep, review_id=review.pk)


def test_a_follow_up_is_the_reps_action_item_and_the_rep_marks_it_done(people) -> None:  # noqa: ANN001
    review = deal_review(people)
    item = services.add_follow_up(user=people.manager, review=review,
                                  what="Meet the CFO", owner=people.rep,
                                  due_on=date(2026, 11, 29))
    services.mark_follow_up_done(user=people.rep, follow_up=item, on=date(2026, 11, 27))
    item.refresh_from_db()
    assert item.done_on == date(2026, 11, 27)
    with pytest.raises(InvalidInput):
        services.mark_follow_up_done(user=people.other_rep, follow_up=item)


def _put(people, review_day=None):  # noqa: ANN001, ANN202
    return services.put_on_agenda(
        user=people.manager, rep=people.rep, dimension="forecast_timeliness",
        title="Forecasts on time: 0% against 100%", period="2026-Q4", value=Decimal(0),
        standard=Decimal(1), detail="0 of 1 forecasts on time.", as_of=TODAY,
    )


def test_the_agenda_goes_on_the_next_review_held_from_today(people) -> None:  # noqa: ANN001
    deal_review(people, held_on=date(2026, 11, 20))  # already held
    upcoming = deal_review(people, held_on=date(2026, 11, 24))
    result = _put(people)
    assert (result.review, result.is_new_review) == (upcoming, False)


def test_without_a_review_planned_one_is_planned_a_week_ahead(people) -> None:  # noqa: ANN001
    result = _put(people)
    assert result.is_new_review
    assert (result.review.kind, result.review.held_on) == ("pipeline", date(2026, 11, 29))


def test_putting_it_twice_changes_nothing(people) -> None:  # noqa: ANN001
    first = _put(people)
    again = _put(people)
    assert again.was_already_there and again.review == first.review
    assert AgendaItem.objects.count() == 1
