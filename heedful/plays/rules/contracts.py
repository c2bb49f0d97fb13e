"""Contracts: renewals and maintenance ending, and bad news to deliver in person first.

"Can you tell me when my contract is up, or if my products are under maintenance? What a
great opportunity to come back in and talk to me?" "If I need to hear bad news, I should hear
it from my sales team."
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from heedful.catalog.models import (
    AdverseChange,
    AdverseChangeKind,
    BillingPeriod,
    Contract,
    Holding,
    MaintenanceTier,
)
from heedful.interactions.models import Interaction, InteractionKind
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    day,
    days_phrase,
    decimal_fact,
    end_of,
    money,
    plural,
    scoped,
    start_of,
    tag_filter,
)
from heedful.sales.models import Opportunity

RENEWAL_TAG = "renewal"


def renewal_talk_since(since: date, as_of: date) -> Exists:
    return Exists(Interaction.objects.filter(
        tag_filter(RENEWAL_TAG),
        account_id=OuterRef("account_id"),
        occurred_at__gte=start_of(since),
        occurred_at__lt=end_of(as_of),
    ))


def open_renewal_opportunity() -> Exists:
    """An opportunity still open whose name or stage says renewal (opportunities carry no
    type of their own)."""
    return Exists(Opportunity.objects.filter(
        Q(name__icontains="renew") | Q(stage__icontains="renew"),
        account_id=OuterRef("account_id"),
        closed_on__isnull=True,
    ))


class RenewalDue(Rule):
    key = "contracts.renewal_due"
    reads = frozenset({"contract", "holding", "product", "interaction", "opportunity"})
    name = "Contract or maintenance ending"
    defaults = {"days_ahead": 90, "priority": 65}
    threshold_labels = {"days_ahead": "Flag contracts and maintenance ending within (days)"}
    declared_facts = {
        "contract": facts.record("Contract", "contracts"),
        "end_date": facts.day("Ends"),
        "maintenance_end": facts.day("Maintenance ends"),
        "days_left": facts.days("Left"),
        "notice_days": facts.days("Notice period"),
        "notice_date": facts.day("Notice date"),
        "recurring_amount": facts.money("Recurring amount"),
        "billing_period": facts.choice("Billed", BillingPeriod),
        "tiers": facts.choice("Maintenance", MaintenanceTier, many=True),
        "products": facts.table("Products", {
            "product": facts.text("Product"),
            "sku": facts.hidden(),
            "quantity": facts.number("Quantity"),
            "tier": facts.choice("Maintenance", MaintenanceTier),
        }),
        "window_days": facts.days("Looked ahead"),
    }
    priority_bumps = (0, 25)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        days_ahead = int(limits["days_ahead"])
        window = (as_of, as_of + timedelta(days=days_ahead))
        talked = renewal_talk_since(as_of - timedelta(days=days_ahead), as_of)
        contracts = (
            scoped(Contract.objects.all(), account_ids)
            .filter(end_date__range=window)
            .filter(~talked, ~open_renewal_opportunity())
            .values(
                "account_id", "account__owner_id", "external_id", "name", "end_date",
                "notice_days", "recurring_amount", "currency", "billing_period",
            )
        )
        # A contract and the maintenance of the products under it that end the same day are
        # one renewal: one play tells both.
        ending: dict[tuple[int, date], Finding] = {}
        for row in contracts:
            finding = self._contract_finding(row, as_of, days_ahead, limits)
            if (row["account_id"], row["end_date"]) in ending:
                yield finding
            else:
                ending[(row["account_id"], row["end_date"])] = finding
        holdings = (
            scoped(Holding.objects.all(), account_ids)
            .filter(maintenance_end__range=window)
            .filter(~talked, ~open_renewal_opportunity())
            .values(
                "account_id", "account__owner_id", "maintenance_end", "maintenance_tier",
                "quantity", "product__sku", "product__name",
            )
            .order_by("account_id", "maintenance_end", "product__sku")
        )
        grouped: dict[tuple[int, date], list[dict[str, Any]]] = defaultdict(list)
        for row in holdings:
            grouped[(row["account_id"], row["maintenance_end"])].append(row)
        for (account_id, ends), rows in grouped.items():
            maintenance = self._maintenance_finding(
                account_id, ends, rows, as_of, days_ahead, limits
            )
            contract = ending.pop((account_id, ends), None)
            yield maintenance if contract is None else self.merge(contract, maintenance)
        yield from ending.values()

    def _bump(self, days_left: int) -> int:
        return 15 if days_left <= 30 else 5 if days_left <= 60 else 0

    def _contract_finding(
        self, row: dict[str, Any], as_of: date, days_ahead: int, limits: Thresholds
    ) -> Finding:
        ends = row["end_date"]
        days_left = (ends - as_of).days
        notice_days = row["notice_days"]
        notice = ""
        notice_by = None
        if notice_days:
            notice_by = ends - timedelta(days=notice_days)
            passed = "passed on" if notice_by < as_of else "is"
            notice = f" Its {notice_days}-day notice date {passed} {day(notice_by)}."
        explanation = (
            f"The {row['name']} contract ends on {day(ends)}, in "
            f"{days_phrase(days_left)}, and there has been no renewal conversation in the last "
            f"{days_phrase(days_ahead)} and no open renewal opportunity.{notice}"
        )
        urgent_notice = notice_by is not None and notice_by <= as_of + timedelta(days=14)
        return Finding(
            account_id=row["account_id"],
            subject=f"contract:{row['external_id']}",
            period=ends.isoformat(),
            owner_id=row["account__owner_id"],
            priority=self.priority(limits, self._bump(days_left) + (10 if urgent_notice else 0)),
            urgent=False,
            title=f"{row['name']} contract ends in {days_phrase(days_left)}",
            explanation=explanation,
            facts={
                "contract": facts.reference(row["external_id"], row["name"]),
                "end_date": ends.isoformat(),
                "days_left": days_left,
                "notice_days": notice_days,
                "notice_date": notice_by.isoformat() if notice_by else None,
                "recurring_amount": decimal_fact(row["recurring_amount"]),
                "currency": row["currency"],
                "billing_period": row["billing_period"] or None,
                "window_days": days_ahead,
            },
            suggested_action=(
                "Ask to get together before the notice date: go over how the contract served "
                "them, what they need next, and what is new in upcoming releases."
                + (f" Current rate: {money(row['recurring_amount'], row['currency'])} "
                   f"{period_words(row['billing_period'])}." if row["recurring_amount"] else "")
            ),
        )

    def _maintenance_finding(
        self, account_id: int, ends: date, rows: list[dict[str, Any]], as_of: date,
        days_ahead: int, limits: Thresholds,
    ) -> Finding:
        days_left = (ends - as_of).days
        tiers = sorted({row["maintenance_tier"] for row in rows} - {"none"})
        products = ", ".join(f"{row['quantity']} × {row['product__name']}" for row in rows[:5])
        if len(rows) > 5:
            products += f" and {plural(len(rows) - 5, 'more product')}"
        tier_words = f"{' and '.join(tiers)} maintenance" if tiers else "Maintenance"
        tier_words = tier_words.replace("8x5", "8x5 (business hours)")
        return Finding(
            account_id=account_id,
            subject=f"maintenance:{ends.isoformat()}",
            period=ends.isoformat(),
            owner_id=rows[0]["account__owner_id"],
            priority=self.priority(limits, self._bump(days_left)),
            urgent=False,
            title=f"Maintenance ends in {days_phrase(days_left)}",
            explanation=(
                f"{tier_words} on {products} ends on {day(ends)}, in "
                f"{days_phrase(days_left)}, and there has been no renewal conversation in the "
                f"last {days_phrase(days_ahead)} and no open renewal opportunity."
            ),
            facts={
                "maintenance_end": ends.isoformat(),
                "days_left": days_left,
                "tiers": tiers,
                "products": [
                    {"product": row["product__name"], "sku": row["product__sku"],
                     "quantity": row["quantity"], "tier": row["maintenance_tier"]}
                    for row in rows
                ],
                "window_days": days_ahead,
            },
            suggested_action=(
                "Say: I noticed your maintenance is up; can we get together to go over what you "
                "need for maintenance (8x5 or 24x7), and what is new in upcoming releases?"
            ),
        )


def period_words(billing_period: str) -> str:
    """"monthly" → "a month"; the label otherwise."""
    per = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}
    return per.get(billing_period, billing_period)


BAD_NEWS_WORDS = {
    AdverseChangeKind.PRICE_INCREASE: "A price increase",
    AdverseChangeKind.END_OF_SUPPORT: "An end of support",
    AdverseChangeKind.TERMINATION: "A termination",
    AdverseChangeKind.OTHER: "An adverse change",
}


class BadNewsFirst(Rule):
    key = "contracts.bad_news_first"
    reads = frozenset({"adversechange", "interaction"})
    name = "Deliver bad news in person first"
    defaults = {"days_ahead": 60, "urgent_days": 30, "priority": 75}
    threshold_labels = {
        "days_ahead": "Flag bad news taking effect within (days)",
        "urgent_days": "Urgent when it takes effect within (days)",
    }
    declared_facts = {
        "kind": facts.choice("What", AdverseChangeKind),
        "effective_on": facts.day("Takes effect"),
        "recorded_on": facts.day("Recorded"),
        "days_left": facts.days("Left"),
        "summary": facts.text("Summary"),
        "urgent_days": facts.days("Urgent within"),
    }
    priority_bumps = (0, 15)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        days_ahead, urgent_days = int(limits["days_ahead"]), int(limits["urgent_days"])
        owner_spoke = Interaction.objects.filter(
            account_id=OuterRef("account_id"),
            user_id=OuterRef("account__owner_id"),
            kind__in=(InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.VISIT),
            occurred_at__date__gte=OuterRef("recorded_on"),
            occurred_at__lt=end_of(as_of),
        )
        rows = (
            scoped(AdverseChange.objects.all(), account_ids)
            .filter(
                effective_on__gte=as_of,
                effective_on__lte=as_of + timedelta(days=days_ahead),
                recorded_on__lte=as_of,
            )
            .filter(~Exists(owner_spoke))
            .values(
                "account_id", "account__owner_id", "kind", "effective_on", "recorded_on",
                "summary",
            )
        )
        for row in rows:
            days_left = (row["effective_on"] - as_of).days
            urgent = days_left <= urgent_days
            what = BAD_NEWS_WORDS.get(row["kind"], BAD_NEWS_WORDS[AdverseChangeKind.OTHER])
            summary = row["summary"].strip()
            said = f' ("{summary}")' if summary else ""
            yield Finding(
                account_id=row["account_id"],
                subject=f"change:{row['kind']}:{row['effective_on'].isoformat()}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, 15 if urgent else 0),
                urgent=urgent,
                title=f"{what.split(' ', 1)[1].capitalize()} in {days_phrase(days_left)}: "
                      "tell them first",
                explanation=(
                    f"{what}{said} takes effect on {day(row['effective_on'])}, in "
                    f"{days_phrase(days_left)}; it was recorded on "
                    f"{day(row['recorded_on'])} and the account owner has not called, "
                    "met or visited them since."
                ),
                facts={
                    "kind": row["kind"],
                    "effective_on": row["effective_on"].isoformat(),
                    "recorded_on": row["recorded_on"].isoformat(),
                    "days_left": days_left,
                    "summary": summary,
                    "urgent_days": urgent_days,
                },
                suggested_action=(
                    "Call them before any letter does: explain the change, then work through "
                    "their options with them (a lower maintenance tier such as 8x5 instead of "
                    "24x7, upgrading older gear, even a lower-cost alternative)."
                ),
            )
