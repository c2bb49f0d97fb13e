"""Bills: a spike against the account's own history, a deviation from the contracted rate, and
a dispute left open.

"How hard would it be to flag an account if the bill varies by more than 50% from previous
months? Offer to review it with me."
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Max, Min, Q, QuerySet, Window
from django.db.models.functions import Coalesce, Lag

from heedful.accounts.models import Account
from heedful.billing.models import Dispute, DisputeStatus, Invoice
from heedful.catalog.models import Contract
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    add_months,
    day,
    days_phrase,
    decimal_fact,
    money,
    plural,
    scoped,
)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAXIMUM_PREVIOUS_INVOICES = 6
ACCOUNTS_PER_QUERY = 2000


def as_decimal(value: Any) -> Decimal | None:
    """SQLite hands back numeric columns as int or float; PostgreSQL as Decimal."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def whole_percent(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(CENT, rounding=ROUND_HALF_UP)


def invoice_month(period_start: date) -> str:
    return period_start.strftime("%B %Y")


DIRECTIONS = {"above": "Above", "below": "Below"}


class BillingSpike(Rule):
    key = "billing.spike"
    same_record_as = ("billing.contract_deviation",)
    reads = frozenset({"invoice", "contract"})
    name = "Bill spike"
    defaults = {
        "change_percent": 50,
        "previous_invoices": 3,
        "minimum_previous": 2,
        "lookback_months": 6,
        "recent_days": 60,
        "priority": 70,
    }
    threshold_labels = {
        "change_percent": "Flag a bill that differs from the usual by more than (%)",
        "previous_invoices": "The usual bill is the median of the previous (invoices)",
        "minimum_previous": "Needs at least this many previous invoices",
        "lookback_months": "Previous invoices from the last (months)",
        "recent_days": "Look at invoices issued in the last (days)",
    }
    declared_facts = {
        "invoice_number": facts.record("Invoice", "invoices"),
        "contract": facts.record("Contract", "contracts"),
        "contract_external_id": facts.hidden(),
        "period_start": facts.day("Period from"),
        "amount": facts.money("Amount"),
        "median_previous": facts.money("Usual bill (median)"),
        "previous_amounts": facts.money("Previous bills", many=True),
        "previous_period_starts": facts.day("Their periods from", many=True),
        "change_percent": facts.percent("Change"),
        "direction": facts.choice("Direction", DIRECTIONS),
        "threshold_percent": facts.percent("Flagged beyond"),
    }
    priority_bumps = (0, 20)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        previous_count = max(1, min(MAXIMUM_PREVIOUS_INVOICES, int(limits["previous_invoices"])))
        minimum_previous = max(1, int(limits["minimum_previous"]))
        lookback_months = int(limits["lookback_months"])
        change_percent = Decimal(str(limits["change_percent"]))
        recent_from = as_of - timedelta(days=int(limits["recent_days"]))
        for row in self._recent_invoices_with_previous(
            as_of=as_of, account_ids=account_ids, recent_from=recent_from,
            previous_count=previous_count, lookback_months=lookback_months,
            minimum_previous=minimum_previous, change_percent=change_percent,
        ):
            amount = as_decimal(row["amount"])
            period_start = as_date(row["period_start"])
            if amount is None or period_start is None or amount <= 0:
                continue
            earliest = add_months(period_start, -lookback_months)
            previous: list[tuple[date, Decimal]] = []
            for offset in range(1, previous_count + 1):
                previous_amount = as_decimal(row[f"previous_amount_{offset}"])
                previous_start = as_date(row[f"previous_start_{offset}"])
                if previous_amount is None or previous_start is None or previous_start < earliest:
                    break
                previous.append((previous_start, previous_amount))
            if len(previous) < minimum_previous:
                continue
            usual = median([value for _, value in previous])
            if usual <= 0:
                continue
            change = (amount - usual) / usual * HUNDRED
            if abs(change) <= change_percent:
                continue
            yield self._finding(row, amount, usual, change, previous, period_start, limits)

    def _recent_invoices_with_previous(
        self, *, as_of: date, account_ids: Sequence[int] | None, recent_from: date,
        previous_count: int, lookback_months: int, minimum_previous: int,
        change_percent: Decimal,
    ) -> list[dict[str, Any]]:
        """Every positive invoice of the window, of the accounts whose bills vary enough (see
        ``_accounts_with_varied_bills``), with the amounts and start dates of the invoices
        before it (same account, contract and currency), newest first; then only the recent
        ones are kept, outside the window function so they still see their past, and of those
        only the ones that can be a spike (see ``_could_be_spike``)."""
        window: dict[str, Any] = {
            "partition_by": [F("account_id"), F("contract_id"), F("currency")],
            "order_by": [F("period_start").asc(), F("id").asc()],
        }
        annotations: dict[str, Any] = {
            "r_invoice_id": F("id"),
            "r_account_id": F("account_id"),
            "r_invoice_number": F("invoice_number"),
            "r_contract_id": F("contract_id"),
            "r_currency": F("currency"),
            "r_period_start": F("period_start"),
            "r_amount": F("amount"),
            "r_recent_on": Coalesce("issued_on", "period_end"),
        }
        for offset in range(1, previous_count + 1):
            annotations[f"r_previous_amount_{offset}"] = Window(Lag("amount", offset), **window)
            annotations[f"r_previous_start_{offset}"] = Window(
                Lag("period_start", offset), **window
            )
        earliest = add_months(recent_from, -lookback_months) - timedelta(days=31)
        in_window = Q(amount__gt=0, period_start__gte=earliest, period_start__lte=as_of)
        varied = sorted(set(
            self._accounts_with_varied_bills(in_window, account_ids, change_percent)
        ))
        columns = list(annotations)
        could_be_spike, spike_params = self._could_be_spike(
            previous_count, minimum_previous, change_percent
        )
        rows: list[dict[str, Any]] = []
        # The accounts as a list, not a subquery, and owners and contracts read apart for the
        # few rows that come back: joined in the window's query, the planner expected
        # thousands of times more rows than come and read every account and contract.
        for start in range(0, len(varied), ACCOUNTS_PER_QUERY):
            owners = dict(
                scoped(Account.objects.all(), varied[start:start + ACCOUNTS_PER_QUERY], via="")
                .order_by().values_list("id", "owner_id")
            )
            if not owners:
                continue
            invoices = (
                Invoice.objects.filter(in_window, account_id__in=list(owners))
                .annotate(**annotations)
                .values(*annotations)
                .order_by()  # the model's ordering would sort the window's rows for nothing
            )
            inner_sql, params = invoices.query.sql_with_params()
            outer_sql = (
                f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} "
                f"FROM ({inner_sql}) AS invoice_history "
                f"WHERE {connection.ops.quote_name('r_recent_on')} >= %s "
                f"AND {connection.ops.quote_name('r_period_start')} <= %s AND {could_be_spike}"
            )
            with connection.cursor() as cursor:
                cursor.execute(outer_sql, [*params, recent_from, as_of, *spike_params])
                batch = [
                    {name.removeprefix("r_"): value
                     for name, value in zip(columns, row, strict=True)}
                    for row in cursor.fetchall()
                ]
            contracts = {
                contract_id: (name, external_id)
                for contract_id, name, external_id in Contract.objects.filter(
                    id__in={row["contract_id"] for row in batch} - {None}
                ).order_by().values_list("id", "name", "external_id")
            }
            for row in batch:
                row["owner_id"] = owners[row["account_id"]]
                row["contract_name"], row["contract_external_id"] = contracts.get(
                    row["contract_id"], (None, None)
                )
            rows.extend(batch)
        return rows

    @staticmethod
    def _accounts_with_varied_bills(
        in_window: Q, account_ids: Sequence[int] | None, change_percent: Decimal
    ) -> QuerySet:
        """The accounts with a contract (and currency) whose bills in the window range widely
        enough for one of them to be a spike: the median of previous amounts lies between the
        smallest and the largest bill, so a spike needs largest > (1 + change) x smallest
        (above) or smallest < (1 - change) x largest (below). One grouped pass over an index;
        the window functions then read only these accounts' bills, a few percent of all."""
        ratio = change_percent / HUNDRED
        spread = 1 + ratio if ratio >= 1 else min(1 + ratio, 1 / (1 - ratio))
        slack = Decimal("0.000001")  # never drop a bill at the threshold to rounding
        bills = Invoice.objects.filter(in_window)
        if account_ids is not None:
            bills = bills.filter(account_id__in=list(account_ids))
        return (
            bills.order_by()
            .values("account_id", "contract_id", "currency")
            .annotate(smallest=Min("amount"), largest=Max("amount"))
            .filter(largest__gt=F("smallest") * (spread * (1 - slack)))
            .values_list("account_id", flat=True)
        )

    @staticmethod
    def _could_be_spike(
        previous_count: int, minimum_previous: int, change_percent: Decimal
    ) -> tuple[str, list[Decimal]]:
        """A condition that keeps every spike and drops most other rows before Python sees
        them: the median of the previous amounts lies between the smallest and the largest of
        them, so a spike is above (1 + change) x the smallest or below (1 - change) x the
        largest of all the previous amounts (a superset of those the rule counts). Lags are
        NULL only at the start of a partition, so ``COALESCE(lag n, lag 1)`` skips them."""
        quote = connection.ops.quote_name
        amounts = [quote("r_previous_amount_1")] + [
            f"COALESCE({quote(f'r_previous_amount_{offset}')}, {quote('r_previous_amount_1')})"
            for offset in range(2, previous_count + 1)
        ]
        if len(amounts) == 1:
            smallest = largest = amounts[0]
        elif connection.vendor == "sqlite":  # SQLite's scalar MIN/MAX take two or more values
            smallest, largest = f"MIN({', '.join(amounts)})", f"MAX({', '.join(amounts)})"
        else:
            smallest, largest = f"LEAST({', '.join(amounts)})", f"GREATEST({', '.join(amounts)})"
        needed = quote(f"r_previous_amount_{min(minimum_previous, previous_count)}")
        ratio = change_percent / HUNDRED
        slack = Decimal("0.000001")  # never drop a row at the threshold to rounding
        return (
            f"{needed} IS NOT NULL AND ({quote('r_amount')} > %s * {smallest} "
            f"OR {quote('r_amount')} < %s * {largest})",
            [(1 + ratio) * (1 - slack), (1 - ratio) * (1 + slack)],
        )

    def _finding(
        self, row: dict[str, Any], amount: Decimal, usual: Decimal, change: Decimal,
        previous: list[tuple[date, Decimal]], period_start: date, limits: Thresholds,
    ) -> Finding:
        currency = row["currency"]
        percent = whole_percent(abs(change))
        direction = "above" if change > 0 else "below"
        month = invoice_month(period_start)
        contract = row["contract_name"]
        invoices = "previous " + plural(len(previous), "invoice")
        explanation = (
            f"The {month} invoice {row['invoice_number']} of {money(amount, currency)} is "
            f"{percent}% {direction} the median {money(usual, currency)} of the "
            f"{invoices}"
            + (f" on {contract}." if contract else ".")
        )
        bump = min(20, percent // 50 * 5)
        return Finding(
            account_id=row["account_id"],
            subject=f"invoice:{row['invoice_number']}",
            owner_id=row["owner_id"],
            priority=self.priority(limits, bump),
            urgent=False,
            title=f"{month} bill {percent}% {direction} usual",
            explanation=explanation,
            facts={
                "invoice_number": row["invoice_number"],
                "contract": (
                    facts.reference(row["contract_external_id"], contract) if contract else None
                ),
                "contract_external_id": row["contract_external_id"],
                "period_start": period_start.isoformat(),
                "amount": decimal_fact(amount),
                "currency": currency,
                "median_previous": decimal_fact(usual),
                "previous_amounts": [decimal_fact(value) for _, value in previous],
                "previous_period_starts": [start.isoformat() for start, _ in previous],
                "change_percent": percent,
                "direction": direction,
                "threshold_percent": limits["change_percent"],
            },
            suggested_action=(
                f"Call before they find it: say you noticed the {month} bill of "
                f"{money(amount, currency)} against a usual {money(usual, currency)}, offer to "
                "review it with them, and open a dispute on their behalf if it is wrong."
            ),
        )


class BillingContractDeviation(Rule):
    key = "billing.contract_deviation"
    reads = frozenset({"invoice", "contract"})
    name = "Bill differs from the contracted rate"
    defaults = {"change_percent": 10, "recent_days": 60, "priority": 65}
    threshold_labels = {
        "change_percent": "Flag a bill that differs from the contracted rate by more than (%)",
        "recent_days": "Look at invoices issued in the last (days)",
    }
    declared_facts = {
        "invoice_number": facts.record("Invoice", "invoices"),
        "contract": facts.record("Contract", "contracts"),
        "contract_external_id": facts.hidden(),
        "period_start": facts.day("Period from"),
        "amount": facts.money("Amount"),
        "contracted_amount": facts.money("Contracted rate"),
        "change_percent": facts.percent("Off the contract by"),
        "direction": facts.choice("Direction", DIRECTIONS),
        "threshold_percent": facts.percent("Flagged beyond"),
    }
    priority_bumps = (0, 15)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        change_percent = Decimal(str(limits["change_percent"]))
        ratio = change_percent / HUNDRED
        recent_from = as_of - timedelta(days=int(limits["recent_days"]))
        contracted = F("contract__recurring_amount")
        rows = (
            scoped(Invoice.objects.all(), account_ids)
            .annotate(recent_on=Coalesce("issued_on", "period_end"))
            .filter(
                contract__isnull=False,
                contract__recurring_amount__gt=0,
                currency=F("contract__currency"),
                amount__gt=0,
                period_start__lte=as_of,
                recent_on__gte=recent_from,
            )
            .filter(Q(amount__gt=contracted * (1 + ratio)) | Q(amount__lt=contracted * (1 - ratio)))
            .values(
                "account_id", "account__owner_id", "invoice_number", "period_start", "amount",
                "currency", "contract__name", "contract__external_id",
                "contract__recurring_amount",
            )
        )
        for row in rows:
            amount = as_decimal(row["amount"])
            rate = as_decimal(row["contract__recurring_amount"])
            if amount is None or rate is None or rate <= 0:
                continue
            change = (amount - rate) / rate * HUNDRED
            if abs(change) <= change_percent:
                continue
            percent = whole_percent(abs(change))
            direction = "above" if change > 0 else "below"
            currency = row["currency"]
            month = invoice_month(row["period_start"])
            contract = row["contract__name"]
            yield Finding(
                account_id=row["account_id"],
                subject=f"invoice:{row['invoice_number']}",
                owner_id=row["account__owner_id"],
                priority=self.priority(limits, min(15, percent // 50 * 5)),
                urgent=False,
                title=f"{month} bill {percent}% {direction} the {contract} contract",
                explanation=(
                    f"The {month} invoice {row['invoice_number']} is {money(amount, currency)} "
                    f"where the {contract} contract says {money(rate, currency)}: "
                    f"{percent}% {direction} the contracted rate."
                ),
                facts={
                    "invoice_number": row["invoice_number"],
                    "contract": facts.reference(row["contract__external_id"], contract),
                    "contract_external_id": row["contract__external_id"],
                    "period_start": row["period_start"].isoformat(),
                    "amount": decimal_fact(amount),
                    "contracted_amount": decimal_fact(rate),
                    "currency": currency,
                    "change_percent": percent,
                    "direction": direction,
                    "threshold_percent": limits["change_percent"],
                },
                suggested_action=(
                    "Check the invoice against the contract; if it is wrong, open a dispute on "
                    "their behalf and call to say: we noticed an incorrect number on your bill "
                    "and opened a dispute for you."
                ),
            )


class BillingDisputeStale(Rule):
    key = "billing.dispute_stale"
    reads = frozenset({"dispute", "invoice"})
    name = "Dispute left open"
    defaults = {"open_days": 30, "priority": 60}
    threshold_labels = {"open_days": "Flag a dispute open longer than (days)"}
    declared_facts = {
        "invoice_number": facts.record("Invoice", "invoices"),
        "opened_on": facts.day("Dispute opened"),
        "days_open": facts.days("Open for"),
        "amount": facts.money("Disputed"),
        "threshold_days": facts.days("Flagged after"),
    }
    priority_bumps = (0, 20)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        open_days = int(limits["open_days"])
        rows = (
            scoped(Dispute.objects.all(), account_ids, via="invoice__account")
            .filter(
                status=DisputeStatus.OPEN,
                resolved_on__isnull=True,
                opened_on__lt=as_of - timedelta(days=open_days),
            )
            .values(
                "invoice__account_id", "invoice__account__owner_id", "invoice__invoice_number",
                "invoice__currency", "opened_on", "amount",
            )
        )
        for row in rows:
            days_open = (as_of - row["opened_on"]).days
            number = row["invoice__invoice_number"]
            amount = as_decimal(row["amount"])
            currency = row["invoice__currency"]
            disputed = f" ({money(amount, currency)})" if amount is not None else ""
            yield Finding(
                account_id=row["invoice__account_id"],
                subject=f"dispute:{number}:{row['opened_on'].isoformat()}",
                owner_id=row["invoice__account__owner_id"],
                priority=self.priority(limits, min(20, (days_open - open_days) // 15 * 5)),
                urgent=False,
                title=f"Dispute of {number} open {days_phrase(days_open)}",
                explanation=(
                    f"The customer's dispute of invoice {number}{disputed} has been open "
                    f"{days_phrase(days_open)}, since {day(row['opened_on'])}; more than "
                    f"{days_phrase(open_days)}."
                ),
                facts={
                    "invoice_number": number,
                    "opened_on": row["opened_on"].isoformat(),
                    "days_open": days_open,
                    "amount": decimal_fact(amount),
                    "currency": currency,
                    "threshold_days": open_days,
                },
                suggested_action=(
                    "Find out what is holding the dispute up, get it settled, and tell them "
                    "where it stands before they have to ask."
                ),
            )
