"""Orders: follow up a shipment.

"Something simple like an email asking if I got the order and was it correct, will go a long
ways to getting the next order."
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from heedful.interactions.models import Interaction
from heedful.orders.models import Order
from heedful.plays import facts
from heedful.plays.rules.base import (
    CUSTOMER_CONTACT_KINDS,
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    decimal_fact,
    end_of,
    money,
    scoped,
)


class ShippedFollowup(Rule):
    key = "orders.shipped_followup"
    reads = frozenset({"order", "interaction"})
    name = "Follow up a shipped order"
    defaults = {"minimum_days": 3, "maximum_days": 30, "priority": 60}
    threshold_labels = {
        "minimum_days": "Follow up from (days after shipping)",
        "maximum_days": "Until (days after shipping)",
    }
    declared_facts = {
        "order": facts.record("Order", "orders"),
        "description": facts.hidden(),
        "amount": facts.money("Amount"),
        "ordered_on": facts.day("Ordered"),
        "shipped_on": facts.day("Shipped"),
        "delivered_on": facts.day("Delivered"),
        "days_since_shipped": facts.days("Since shipping"),
    }

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        minimum_days, maximum_days = int(limits["minimum_days"]), int(limits["maximum_days"])
        contact_since = Interaction.objects.filter(
            account_id=OuterRef("account_id"),
            kind__in=CUSTOMER_CONTACT_KINDS,
            occurred_at__date__gte=OuterRef("shipped_on"),
            occurred_at__lt=end_of(as_of),
        )
        rows = (
            scoped(Order.objects.all(), account_ids)
            .filter(
                shipped_on__isnull=False,
                shipped_on__gte=as_of - timedelta(days=maximum_days),
                shipped_on__lte=as_of - timedelta(days=minimum_days),
            )
            .filter(~Exists(contact_since))
            .values(
                "account_id", "account__owner_id", "external_id", "description", "amount",
                "currency", "ordered_on", "shipped_on", "delivered_on",
            )
        )
        for row in rows:
            days_ago = (as_of - row["shipped_on"]).days
            amount = row["amount"]
            has_value = amount is not None and amount > 0
            value = f" ({money(amount, row['currency'])})" if has_value else ""
            described = f" of {row['description']}" if row["description"] else ""
            if row["description"]:
                title = f"Follow up the order of {row['description']}"
            else:
                title = f"Follow up the order shipped on {day(row['shipped_on'])}"
            yield Finding(
                account_id=row["account_id"],
                subject=f"order:{row['external_id']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits),
                urgent=False,
                title=title,
                explanation=(
                    f"Their order{described}{value} shipped on "
                    f"{day(row['shipped_on'])}, {days_phrase(days_ago)} ago, and nobody "
                    "has been in touch with the customer since."
                ),
                facts={
                    "order": facts.reference(
                        row["external_id"], row["description"] or row["external_id"]
                    ),
                    "description": row["description"],
                    "amount": decimal_fact(amount),
                    "currency": row["currency"],
                    "ordered_on": row["ordered_on"].isoformat(),
                    "shipped_on": row["shipped_on"].isoformat(),
                    "delivered_on": (
                        row["delivered_on"].isoformat() if row["delivered_on"] else None
                    ),
                    "days_since_shipped": days_ago,
                },
                suggested_action=(
                    "Send a short note asking whether the order arrived and was correct, and "
                    "whether there is anything they still need."
                ),
            )
