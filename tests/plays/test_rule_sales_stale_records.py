from datetime import UTC, date, datetime

from tests.factories import AccountFactory, InteractionFactory, OpportunityFactory

RULE = "sales.stale_records"


def _open(owner, account, close_date=date(2026, 12, 15)):  # noqa: ANN001, ANN202
    return OpportunityFactory(owner=owner, account=account, close_date=close_date)


def test_three_stale_opportunities_raise_one_play_with_the_counts(people, findings) -> None:  # noqa: ANN001
    # given: three open deals on accounts nobody talked to in 30 days, one with a past date
    for index in range(3):
        account = AccountFactory(owner=people.rep, external_id=f"ACC-S{index}")
        _open(people.rep, account, close_date=(date(2026, 11, 1), None, date(2026, 12, 1))[index])
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    assert found[0].owner_id == people.manager.pk
    assert found[0].facts == {**found[0].facts, "stale": 3, "untouched": 3, "past_close": 2,
                              "open": 3}


def test_two_stale_opportunities_are_under_the_standard(people, findings) -> None:  # noqa: ANN001
    for index in range(2):
        _open(people.rep, AccountFactory(owner=people.rep, external_id=f"ACC-S{index}"))
    assert findings(RULE) == []


def test_contact_thirty_days_ago_still_counts_as_touched(people, findings) -> None:  # noqa: ANN001
    accounts = [AccountFactory(owner=people.rep, external_id=f"ACC-S{index}") for index in
                range(3)]
    for account in accounts:
        _open(people.rep, account)
    # 22 Nov less 30 days is 23 Oct: touched; 22 Oct is a day too early
    InteractionFactory(account=accounts[0], occurred_at=datetime(2026, 10, 23, 9, tzinfo=UTC))
    assert findings(RULE) == []
    InteractionFactory.reset_sequence()
    accounts[0].interactions.all().delete()
    InteractionFactory(account=accounts[0], occurred_at=datetime(2026, 10, 22, 9, tzinfo=UTC))
    assert len(findings(RULE)) == 1
