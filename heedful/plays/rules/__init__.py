"""Every rule of the attention engine, one small module per group; ``ALL_RULES`` in the order
the engine runs them."""

from collections.abc import Iterable

from heedful.plays import facts
from heedful.plays.rules.base import Finding, Rule, Thresholds
from heedful.plays.rules.billing import BillingContractDeviation, BillingDisputeStale, BillingSpike
from heedful.plays.rules.catalog import Whitespace
from heedful.plays.rules.contacts import GoneCold, OnlyTechnical
from heedful.plays.rules.contracts import BadNewsFirst, RenewalDue
from heedful.plays.rules.conversation import LowQuestionRatio
from heedful.plays.rules.deals import (
    Ghosted,
    NoActivity,
    NoPower,
    Overdue,
    SingleThreaded,
    Stalled,
)
from heedful.plays.rules.feedback import PraiseToManager
from heedful.plays.rules.follow_up import FollowUpCall
from heedful.plays.rules.health import BusinessChange, ScoreDrop
from heedful.plays.rules.meetings import ActionItemsOverdue, NoSummary, NoValueStatement
from heedful.plays.rules.onboarding import OneOnOneMissed, TaskOverdue
from heedful.plays.rules.orders import ShippedFollowup
from heedful.plays.rules.programs import EventNoShow, LeaderJoin, NoExposure
from heedful.plays.rules.roadmap import BriefingDue
from heedful.plays.rules.sales_management import (
    ExpensesLate,
    ForecastLate,
    NoNewAccounts,
    StaleRecords,
)
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
    ScoreDrop(),
    SlaMiss(),
    ScopeOverrun(),
    NoValueStatement(),
    NoSummary(),
    ActionItemsOverdue(),
    PraiseToManager(),
    LowQuestionRatio(),
    FollowUpCall(),
    NoActivity(),
    Ghosted(),
    Overdue(),
    SingleThreaded(),
    NoPower(),
    Stalled(),
    ForecastLate(),
    ExpensesLate(),
    StaleRecords(),
    NoNewAccounts(),
    TaskOverdue(),
    OneOnOneMissed(),
    NoExposure(),
    LeaderJoin(),
    EventNoShow(),
)

RULES_BY_KEY: dict[str, Rule] = {rule.key: rule for rule in ALL_RULES}

PROMISED_RULE_KEYS = frozenset({
    "deals.no_activity", "deals.ghosted", "deals.overdue", "deals.single_threaded",
    "deals.no_power", "deals.stalled", "sales.forecast_late", "sales.expenses_late",
    "sales.stale_records", "sales.no_new_accounts", "onboarding.task_overdue",
    "onboarding.one_on_one_missed", "health.score_drop", "programs.no_exposure",
    "programs.event_no_show",
})
"""Rule keys CONTRACTS.md lists for rules their issues build later. A client may filter on
them already (``GET /api/v1/plays?rule=``); until the rule exists, nothing matches."""
RULE_KEYS: tuple[str, ...] = tuple(sorted(set(RULES_BY_KEY) | PROMISED_RULE_KEYS))
"""Every rule key a play may carry, built or promised."""

PITCHING_RULES: tuple[str, ...] = tuple(rule.key for rule in ALL_RULES if rule.is_pitch)
"""The rules that offer the customer something more, held back while the customer is
hurting."""

HELD_BACK_PITCHES = facts.rules("Pitches held back")
"""The fact the engine adds to a play that holds pitches back (``held_back_rules``)."""


def facts_of_plays_of(rule: Rule) -> dict[str, facts.Fact]:
    """How each fact a play of ``rule`` may carry reads: the rule's own, those of the rules
    whose findings about the same record its play tells too (``same_record_as``, merged in),
    and the pitch hold any play may carry."""
    declared: dict[str, facts.Fact] = {"held_back_rules": HELD_BACK_PITCHES}
    # A rule of a group that did not fire leaves the record's play to the next rule of it,
    # which then tells the later ones too: every rule of the group may carry all their facts.
    hosts = [host for host in ALL_RULES if rule.key in host.same_record_as]
    for group_rule in [*hosts, rule]:
        for partner in group_rule.same_record_as:
            declared.update(RULES_BY_KEY[partner].declared_facts)
    declared.update(rule.declared_facts)
    return declared


# Every rule reads the account (status, owner, name, industry) and users (owner, names).
READ_BY_EVERY_RULE = frozenset({"account", "user"})


def rules_affected_by(kinds: Iterable[str] | None) -> list[str] | None:
    """Keys of the rules whose findings a change to records of these kinds (model names,
    e.g. "ticket") can change, in ``ALL_RULES`` order; ``None`` (every rule) when ``kinds``
    is ``None``, or holds a kind every rule reads or that no rule declares it reads.
    A rule that holds others back (``suppresses``) brings them along, and so does one whose
    findings another tells (``same_record_as``)."""
    if kinds is None:
        return None
    wanted = set(kinds)
    declared = set().union(*(rule.reads for rule in ALL_RULES))
    if wanted & READ_BY_EVERY_RULE or wanted - declared:
        return None
    keys = {rule.key for rule in ALL_RULES if rule.reads & wanted}
    for rule in ALL_RULES:
        if rule.key in keys or keys & set(rule.same_record_as):
            keys.add(rule.key)
            keys.update(rule.suppresses)
            keys.update(rule.same_record_as)
    return [rule.key for rule in ALL_RULES if rule.key in keys]


__all__ = [
    "ALL_RULES", "HELD_BACK_PITCHES", "PITCHING_RULES", "PROMISED_RULE_KEYS", "READ_BY_EVERY_RULE",
    "RULE_KEYS", "RULES_BY_KEY",
    "Finding", "Rule", "Thresholds",
    "facts_of_plays_of", "rules_affected_by",
]
