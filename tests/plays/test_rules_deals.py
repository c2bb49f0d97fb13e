"""Deal warnings, each at its threshold and just under it (as of 2026-11-22)."""

from datetime import UTC, date, datetime, timedelta

from heedful.sales.models import Stage, StageChange
from tests.factories import ContactFactory, InteractionFactory, OpportunityFactory
from tests.plays.conftest import at

AS_OF = date(2026, 11, 22)


def deal(people, **fields):  # noqa: ANN001, ANN003, ANN201
    values = {
        "account": people.ours, "owner": people.rep, "name": "Campus Wi-Fi",
        "external_id": "OPP-1", "created_on": date(2026, 6, 1), "close_date": date(2027, 1, 31),
    }
    return OpportunityFactory(**{**values, **fields})


def talk(people, days_ago: int, *contacts, **fields):  # noqa: ANN001, ANN002, ANN003, ANN201
    interaction = InteractionFactory(
        account=people.ours, occurred_at=at(AS_OF - timedelta(days=days_ago)), **fields
    )
    interaction.contacts.add(*contacts)
    return interaction


# --- deals.no_activity ---------------------------------------------------------------------


def test_no_activity_fires_after_more_than_21_quiet_days(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 22, kind="call")
    found = findings("deals.no_activity")
    assert [play.subject for play in found] == ["opportunity:OPP-1"]
    assert found[0].explanation == (
        "The deal Campus Wi-Fi ($50,000.00) has had no customer contact since 31 Oct 2026: "
        "22 days, more than 21."
    )
    assert found[0].facts["days_quiet"] == 22


def test_no_activity_stays_quiet_with_a_call_21_days_ago(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 21, kind="call")
    assert findings("deals.no_activity") == []


def test_a_closed_deal_has_no_activity_warning(people, findings) -> None:  # noqa: ANN001
    deal(people, closed_on=date(2026, 11, 1), won=True)
    assert findings("deals.no_activity") == []


# --- deals.ghosted -------------------------------------------------------------------------


def test_ghosted_fires_at_three_unanswered_emails(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 20, kind="email", direction="inbound")
    for days_ago in (15, 10, 5):
        talk(people, days_ago, kind="email", direction="outbound")
    found = findings("deals.ghosted")
    assert len(found) == 1
    assert found[0].facts["unanswered_emails"] == 3
    assert "we sent 3 e-mails since their last reply on 2 Nov 2026, 3 or more" in (
        found[0].explanation
    )


def test_ghosted_stays_quiet_at_two_unanswered_emails(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 20, kind="email", direction="inbound")
    for days_ago in (10, 5):
        talk(people, days_ago, kind="email", direction="outbound")
    assert findings("deals.ghosted") == []


def test_ghosted_counts_every_email_when_the_customer_never_replied(people, findings) -> None:  # noqa: ANN001
    deal(people)
    for days_ago in (15, 10, 5):
        talk(people, days_ago, kind="email", direction="outbound")
    assert findings("deals.ghosted")[0].facts["last_reply_on"] is None


# --- deals.overdue -------------------------------------------------------------------------


def test_overdue_fires_the_day_after_the_close_date(people, findings) -> None:  # noqa: ANN001
    deal(people, close_date=AS_OF - timedelta(days=1))
    found = findings("deals.overdue")
    assert found[0].explanation == (
        "The deal Campus Wi-Fi ($50,000.00) was to close on 21 Nov 2026 and is still open: "
        "1 day late."
    )


def test_overdue_stays_quiet_on_the_close_date(people, findings) -> None:  # noqa: ANN001
    deal(people, close_date=AS_OF)
    assert findings("deals.overdue") == []


def test_overdue_waits_out_the_grace_days(people, findings) -> None:  # noqa: ANN001
    deal(people, close_date=AS_OF - timedelta(days=5))
    assert findings("deals.overdue", grace_days=5) == []
    assert len(findings("deals.overdue", grace_days=4)) == 1


# --- deals.single_threaded -----------------------------------------------------------------


def test_single_threaded_fires_with_one_contact_engaged(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 10, ContactFactory(account=people.ours), kind="call")
    found = findings("deals.single_threaded")
    assert found[0].facts["contacts_engaged"] == 1
    assert "has 1 customer contact engaged in the last 90 days, fewer than 2" in (
        found[0].explanation
    )


def test_single_threaded_stays_quiet_with_two_contacts(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 10, ContactFactory(account=people.ours), ContactFactory(account=people.ours))
    assert findings("deals.single_threaded") == []


def test_a_contact_engaged_91_days_ago_does_not_count(people, findings) -> None:  # noqa: ANN001
    deal(people)
    talk(people, 10, ContactFactory(account=people.ours))
    talk(people, 91, ContactFactory(account=people.ours))
    assert len(findings("deals.single_threaded")) == 1
    talk(people, 90, ContactFactory(account=people.ours))
    assert findings("deals.single_threaded") == []


# --- deals.no_power ------------------------------------------------------------------------


def test_no_power_fires_without_an_executive_engaged(people, findings) -> None:  # noqa: ANN001
    deal(people)
    ContactFactory(account=people.ours, full_name="Vera Boss", role_type="executive")
    talk(people, 10, ContactFactory(account=people.ours, role_type="technical"))
    found = findings("deals.no_power")
    assert found[0].explanation.endswith(
        "in a conversation in the last 90 days; on record: Vera Boss."
    )


def test_an_executive_engaged_90_days_ago_is_power(people, findings) -> None:  # noqa: ANN001
    deal(people)
    vera = ContactFactory(account=people.ours, role_type="executive")
    talk(people, 91, vera)
    assert len(findings("deals.no_power")) == 1
    talk(people, 90, vera)
    assert findings("deals.no_power") == []


def test_the_top_of_the_org_chart_is_power(people, findings) -> None:  # noqa: ANN001
    deal(people)
    head = ContactFactory(account=people.ours, role_type="business")
    ContactFactory(account=people.ours, reports_to=head)
    talk(people, 10, head)
    assert findings("deals.no_power") == []


# --- deals.stalled -------------------------------------------------------------------------


def in_stage(people, days: int):  # noqa: ANN001, ANN201
    Stage.objects.create(name="propose", order=3, probability=50, norm_days=14)
    opportunity = deal(people, stage="propose")
    StageChange.objects.create(
        opportunity=opportunity, stage="propose",
        changed_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC) - timedelta(days=days),
    )
    return opportunity


def test_stalled_fires_a_day_beyond_the_stage_norm(people, findings) -> None:  # noqa: ANN001
    in_stage(people, 15)
    found = findings("deals.stalled")
    assert found[0].explanation == (
        "The deal Campus Wi-Fi ($50,000.00) has been in propose since 7 Nov 2026: 15 days, "
        "beyond the stage's norm of 14 days."
    )
    assert (found[0].facts["days_in_stage"], found[0].facts["norm_days"]) == (15, 14)


def test_stalled_stays_quiet_at_the_stage_norm(people, findings) -> None:  # noqa: ANN001
    in_stage(people, 14)
    assert findings("deals.stalled") == []


def test_stalled_allows_the_days_over_norm_setting(people, findings) -> None:  # noqa: ANN001
    in_stage(people, 20)
    assert findings("deals.stalled", days_over_norm=6) == []
    assert len(findings("deals.stalled", days_over_norm=5)) == 1
