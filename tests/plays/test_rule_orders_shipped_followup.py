from datetime import UTC, date, datetime
from decimal import Decimal

from tests.factories import InteractionFactory, OrderFactory

RULE = "orders.shipped_followup"


def test_order_shipped_ten_days_ago_without_follow_up_fires(people, findings) -> None:  # noqa: ANN001
    # given
    OrderFactory(account=people.ours, external_id="ORD-1", description="300 handsets",
                 amount=Decimal("48000.00"), currency="USD", ordered_on=date(2026, 11, 2),
                 shipped_on=date(2026, 11, 12))
    # when
    found = findings(RULE)
    # then
    assert len(found) == 1
    play = found[0]
    assert play.subject == "order:ORD-1"
    assert play.explanation == (
        "Their order of 300 handsets ($48,000.00) shipped on 12 Nov 2026, 10 days ago, and nobody "
        "has been in touch with the customer since."
    )
    assert play.facts["days_since_shipped"] == 10
    assert play.facts["amount"] == "48000.00"
    assert "arrived and was correct" in play.suggested_action


def test_an_email_since_shipping_clears_it(people, findings) -> None:  # noqa: ANN001
    OrderFactory(account=people.ours, shipped_on=date(2026, 11, 12))
    InteractionFactory(account=people.ours, kind="email",
                       occurred_at=datetime(2026, 11, 12, 17, 0, tzinfo=UTC))
    assert findings(RULE) == []


def test_shipped_2_days_ago_or_31_days_ago_stays_quiet(people, findings) -> None:  # noqa: ANN001
    OrderFactory(account=people.ours, shipped_on=date(2026, 11, 20))
    OrderFactory(account=people.ours, shipped_on=date(2026, 10, 22))
    assert findings(RULE) == []


def test_shipped_3_and_30_days_ago_fire(people, findings) -> None:  # noqa: ANN001
    OrderFactory(account=people.ours, shipped_on=date(2026, 11, 19))
    OrderFactory(account=people.ours, shipped_on=date(2026, 10, 23))
    assert len(findings(RULE)) == 2


def test_unshipped_order_or_one_without_amount(people, findings) -> None:  # noqa: ANN001
    OrderFactory(account=people.ours, shipped_on=None)
    OrderFactory(account=people.ours, external_id="ORD-FREE", shipped_on=date(2026, 11, 12),
                 amount=None, description="")
    found = findings(RULE)
    assert [f.subject for f in found] == ["order:ORD-FREE"]
    assert found[0].explanation.startswith("Their order shipped on 12 Nov 2026, 10 days ago")
    assert found[0].title == "Follow up the order shipped on 12 Nov 2026"
