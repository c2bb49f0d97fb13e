"""Every rule of the attention engine, one small module per group; ``ALL_RULES`` in the order
the engine runs them."""

from heedful.plays.rules.base import Finding, Rule, Thresholds
from heedful.plays.rules.billing import BillingContractDeviation, BillingDisputeStale, BillingSpike

ALL_RULES: tuple[Rule, ...] = (
    BillingSpike(),
    BillingContractDeviation(),
    BillingDisputeStale(),
)

RULES_BY_KEY: dict[str, Rule] = {rule.key: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_KEY", "Finding", "Rule", "Thresholds"]
