"""API input and output of plays. A play is answered exactly as CONTRACTS.md describes it
(``heedful scan --json``), plus its ``id``."""

from datetime import date
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from heedful.core.rest import MAXIMUM_OFFSET, MAXIMUM_PAGE_SIZE, Page
from heedful.core.value_schemas import ObjectInput, text_pattern
from heedful.plays.rules import RULE_KEYS

PLAY_ORDERINGS: dict[str, str] = {
    "priority": "priority",
    "created_at": "created_at",
    "rule": "rule",
    "account_external_id": "account__external_id",
    "account_name": "account__name_folded",
    "owner": "owner__username",
}
"""The names ``ordering`` accepts and the column each sorts by."""
SORT_NAMES = tuple([*PLAY_ORDERINGS, *(f"-{name}" for name in PLAY_ORDERINGS)])


class PlayOut(Schema):
    id: int
    rule: str = Field(description="The rule's key, e.g. billing.spike.")
    account_external_id: str
    account_name: str
    owner: str | None = Field(description="The username of who should act.")
    priority: int = Field(description="0 to 100; higher comes first.")
    urgent: bool
    title: str
    explanation: str = Field(description="Why, with the numbers the rule used.")
    facts: dict[str, Any] = Field(description=(
        "The numbers and dates behind the explanation: amounts as decimal strings beside their "
        "currency, dates as YYYY-MM-DD, people, contacts and records as {id, name}."
    ))
    suggested_action: str
    status: str = Field(description="open, snoozed, done or dismissed.")
    created_at: str = Field(description="When the play was raised (ISO 8601).")


class PlayPage(Page):
    items: list[PlayOut]


class PlayListParams(Schema):
    rule: Literal[RULE_KEYS] | None = Field(  # type: ignore[valid-type]
        None,
        description="Only plays of this rule key (CONTRACTS.md lists them; a rule not built "
        "yet matches nothing).",
    )
    account_external_id: str | None = Field(None, description="Only plays on this account.")
    owner: str | None = Field(None, description="Only plays of this username.")
    status: Literal["open", "snoozed", "done", "dismissed", "all"] = Field(
        "open", description="Only plays in this status (default open); 'all' for every status."
    )
    urgent: bool | None = Field(None, description="Only urgent (true) or only not urgent (false).")
    ordering: Literal[SORT_NAMES] | None = Field(  # type: ignore[valid-type]
        None,
        description="Sort by this field; a leading '-' sorts descending. Default: urgent first, "
        "then the highest priority, then the oldest.",
    )
    limit: int = Field(25, ge=1, le=MAXIMUM_PAGE_SIZE, description="How many items per page.")
    offset: int = Field(
        0, ge=0, le=MAXIMUM_OFFSET, description="How many items to skip (at most 10,000,000)."
    )


LONG_TEXT = text_pattern(long=True, required=False)


class PlayPatch(ObjectInput):
    """What a person does with a play: ``{"status": "done", "outcome": "..."}``,
    ``{"status": "snoozed", "snoozed_until": "YYYY-MM-DD"}``,
    ``{"status": "dismissed", "reason": "..."}`` or ``{"status": "open"}`` (reopen)."""

    status: Literal["open", "snoozed", "done", "dismissed"] = Field(
        description="The new status: done, snoozed, dismissed, or open to reopen."
    )
    outcome: str | None = Field(
        None, description="What happened; required with done.", pattern=LONG_TEXT
    )
    snoozed_until: date | None = Field(
        None, description="A day after today; required with snoozed."
    )
    reason: str | None = Field(
        None, description="Why it is not worth doing; required with dismissed.",
        pattern=LONG_TEXT,
    )
