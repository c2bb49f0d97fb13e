"""Whitespace: a product family most peers own, this customer does not, and nobody has ever
raised with them.

"Did you know Dell does professional services and can help you move a data center? If your
customer doesn't know you do something, you probably won't get a call either."
"""

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef

from heedful.accounts.models import Account, AccountStatus
from heedful.catalog.models import Holding
from heedful.interactions.models import Interaction
from heedful.plays import facts
from heedful.plays.rules.base import (
    Finding,
    Rule,
    Thresholds,
    end_of,
    parts_period,
    scoped,
    tag_filter,
)


class Whitespace(Rule):
    key = "catalog.whitespace"
    reads = frozenset({"holding", "product", "productfamily", "interaction"})
    name = "Product families they do not know we sell"
    defaults = {
        "minimum_share_percent": 30,
        "minimum_accounts_in_industry": 3,
        "families_per_account": 3,
        "plays_per_owner": 1,
        "priority": 35,
    }
    threshold_labels = {
        "minimum_share_percent": "Suggest a family owned by at least this share of peers (%)",
        "minimum_accounts_in_industry": "Compare only industries with at least (customers)",
        "families_per_account": "Families suggested to an account at a time",
        "plays_per_owner": "Accounts offered a family at a time, per owner",
    }
    declared_facts = {
        "family": facts.text("Product family"),
        "families": facts.text("Product families", many=True),
        "industry": facts.text("Industry"),
        "industry_customers": facts.number("Customers in the industry"),
        "industry_owners": facts.number("Of them own it"),
        "share_percent": facts.percent("Share of peers who own it"),
        "threshold_percent": facts.percent("Suggested from"),
    }
    is_pitch = True
    one_play_per_account = True

    @staticmethod
    def _bump(percent: int) -> int:
        return min(15, (percent - 30) // 10 * 5)

    def bumps(self, thresholds: Thresholds) -> tuple[int, int]:
        """From the least share of owners that raises a play to all of them."""
        least = math.ceil(max(0, thresholds["minimum_share_percent"]))
        return self._bump(least), self._bump(100)

    def evaluate(
        self, *, as_of: date, account_ids: Sequence[int] | None = None,
        thresholds: Thresholds | None = None,
    ) -> Iterator[Finding]:
        limits = self.thresholds(thresholds)
        minimum_share = Decimal(str(limits["minimum_share_percent"]))
        minimum_accounts = int(limits["minimum_accounts_in_industry"])
        customers = Account.objects.filter(status=AccountStatus.CUSTOMER).exclude(industry="")
        if account_ids is not None:
            # Peers are counted per industry: only the industries in scope need counting,
            # which keeps the evaluation of one account from aggregating every holding.
            customers = customers.filter(
                industry__in=customers.filter(id__in=list(account_ids)).values("industry")
            )
        industry_sizes = dict(
            customers.values("industry").annotate(size=Count("id"))
            .filter(size__gte=max(1, minimum_accounts)).values_list("industry", "size")
        )
        if not industry_sizes:
            return
        owners = (
            Holding.objects.filter(
                account__status=AccountStatus.CUSTOMER, account__industry__in=industry_sizes
            )
            .values("account__industry", "product__family_id", "product__family__name")
            .annotate(owners=Count("account_id", distinct=True))
            .order_by()
        )
        popular: dict[tuple[int, str], dict[str, tuple[int, int, int]]] = defaultdict(dict)
        for row in owners:
            size = industry_sizes[row["account__industry"]]
            share = Decimal(row["owners"]) * 100 / size
            if share >= minimum_share:
                percent = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                family = (row["product__family_id"], row["product__family__name"])
                popular[family][row["account__industry"]] = (row["owners"], size, percent)
        for (family_id, family_name), industries in sorted(popular.items()):
            owns = Holding.objects.filter(account_id=OuterRef("pk"), product__family_id=family_id)
            discussed = Interaction.objects.filter(
                tag_filter(family_name), account_id=OuterRef("pk"), occurred_at__lt=end_of(as_of)
            )
            candidates = (
                scoped(Account.objects.all(), account_ids, via="")
                .filter(status=AccountStatus.CUSTOMER, industry__in=list(industries))
                .filter(~Exists(owns), ~Exists(discussed))
                .values("id", "owner_id", "name", "industry")
            )
            for account in candidates:
                owners_count, size, percent = industries[account["industry"]]
                yield Finding(
                    account_id=account["id"],
                    subject=f"family:{family_name}",
                    owner_id=account["owner_id"],
                    priority=self.priority(limits, self._bump(percent)),
                    urgent=False,
                    title=f"They may not know we offer {family_name}",
                    explanation=(
                        f"{owners_count} of {size} {account['industry']} customers ({percent}%) "
                        f"own {family_name}; {account['name']} does not, and it has never come "
                        "up in a conversation with them."
                    ),
                    facts={
                        "family": family_name,
                        "industry": account["industry"],
                        "industry_customers": size,
                        "industry_owners": owners_count,
                        "share_percent": percent,
                        "threshold_percent": limits["minimum_share_percent"],
                    },
                    suggested_action=(
                        f"Ask whether they know we also do {family_name}, and what they use for "
                        "it today; tag the conversation with the family so we know it was raised."
                    ),
                    label=family_name,
                )

    def rank_for_owner(self, finding: Finding) -> tuple[Any, ...]:
        """A customer who buys all we do but a family or two first: they are the likeliest not
        to know we offer it, and the readiest to hear it; then the family most peers own."""
        return (len(finding.facts["families"]), -finding.priority)

    def combine(self, parts: list[Finding], thresholds: Thresholds) -> Finding:
        """One play per account naming the families most of their peers own, at most
        ``families_per_account`` of them: one conversation, not a catalogue."""
        parts = sorted(parts, key=lambda part: (-part.facts["share_percent"], part.subject))
        named = parts[:max(1, int(thresholds["families_per_account"]))]
        first = named[0]
        if len(named) == 1:
            first.subject = "families"
            first.period = parts_period(named)
            first.facts["families"] = [first.label]
            return first
        families = [part.label for part in named]
        listed = ", ".join(families[:-1]) + f" or {families[-1]}"
        return Finding(
            account_id=first.account_id,
            subject="families",
            period=parts_period(named),
            owner_id=first.owner_id,
            priority=first.priority,
            urgent=False,
            title=f"They may not know we offer {listed}",
            explanation=" ".join(part.explanation for part in named),
            facts={
                "families": families,
                "industry": first.facts["industry"],
                "industry_customers": first.facts["industry_customers"],
                "share_percent": [part.facts["share_percent"] for part in named],
                "threshold_percent": first.facts["threshold_percent"],
            },
            suggested_action=(
                f"Ask whether they know we also do {listed}, and what they use for it today; "
                "tag the conversation with each family raised so we know it was."
            ),
        )
