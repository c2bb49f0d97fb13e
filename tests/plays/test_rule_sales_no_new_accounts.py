from datetime import date

from tests.factories import AccountFactory, OpportunityFactory

RULE = "sales.no_new_accounts"


def test_forty_five_days_into_the_quarter_without_a_new_account(people, findings) -> None:  # noqa: ANN001
    # given: a renewal won with a customer already won before the quarter
    people.rep.full_name = "Rex Top"
    people.rep.save()
    OpportunityFactory(owner=people.rep, account=people.ours, won=True,
                       closed_on=date(2026, 6, 1), created_on=date(2026, 5, 1))
    OpportunityFactory(owner=people.rep, account=people.ours, won=True,
                       closed_on=date(2026, 11, 2), created_on=date(2026, 10, 1))
    # when: 14 Nov is day 45 of Q4
    found = findings(RULE, [people.ours.pk], on=date(2026, 11, 14))
    # then
    assert len(found) == 1
    assert found[0].owner_id == people.manager.pk
    assert found[0].title == "Rex Top has opened no new account in Q4 2026"
    assert found[0].facts["won_this_quarter"] == 1


def test_day_forty_four_is_too_early(people, findings) -> None:  # noqa: ANN001
    assert findings(RULE, [people.ours.pk], on=date(2026, 11, 13)) == []


def test_a_first_win_with_a_new_account_clears_it(people, findings) -> None:  # noqa: ANN001
    new = AccountFactory(owner=people.rep, external_id="ACC-NEW")
    OpportunityFactory(owner=people.rep, account=new, won=True, closed_on=date(2026, 11, 2),
                       created_on=date(2026, 10, 1))
    assert findings(RULE, [people.ours.pk]) == []


def test_a_rep_who_started_this_quarter_is_onboarding_not_late(people, findings) -> None:  # noqa: ANN001
    people.rep.start_date = date(2026, 10, 15)
    people.rep.save()
    assert findings(RULE, [people.ours.pk]) == []
