"""Every rule of the attention engine, one small module per group; ``ALL_RULES`` in the order
the engine runs them. The ``meetings.*`` and ``conversation.*`` rules come with meetings."""

from heedful.plays.rules.base import Finding, Rule, Thresholds
from heedful.plays.rules.billing import BillingContractDeviation, BillingDisputeStale, BillingSpike
from heedful.plays.rules.catalog import Whitespace
from heedful.plays.rules.contacts import GoneCold, OnlyTechnical
from heedful.plays.rules.contracts import BadNewsFirst, RenewalDue
from heedful.plays.rules.feedback import PraiseToManager
from heedful.plays.rules.health import BusinessChange
from heedful.plays.rules.orders import ShippedFollowup
from heedful.plays.rules.roadmap import BriefingDue
from heedful.plays.rules.service import ScopeOverrun, SlaMiss
from heedful.plays.rules.support import ResolvedCheckin, TicketOpened
from heedful.plays.rules.team import ExecVisitDue, NewOwnerUnintroduced, SiteNeverVisited

ALL_RULES: tuple[Rule, ...] = (
    BillingSpike(),
    BillingContractDeviation(),
    BillingDisputeStale(),
    TicketOpened(),
    ResolvedCheckin(),
    ShippedFollowup(),
    RenewalDue(),
    BadNewsFirst(),
    GoneCold(),
    OnlyTechnical(),
    BriefingDue(),
    Whitespace(),
    NewOwnerUnintroduced(),
    SiteNeverVisited(),
    ExecVisitDue(),
    BusinessChange(),
    SlaMiss(),
    ScopeOverrun(),
    PraiseToManager(),
)

RULES_BY_KEY: dict[str, Rule] = {rule.key: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_KEY", "Finding", "Rule", "Thresholds"]
