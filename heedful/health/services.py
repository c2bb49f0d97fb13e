"""The account health score: computing it for every account in scope (set-based, one query per
component), reading its history and its explanation, the owner's sentiment, and the settings an
admin overrides (weights, when the sentiment goes stale).

The score of an account on a day is the sum of its components' points. The weights of the
measured components are scaled to whole maxima that add up to 100 (largest remainders); each
component scores its share (0 to 1) of its maximum, rounded. A component not measured (no SLA
metric, no fresh sentiment) gets no weight that day.
"""

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db import IntegrityError, connections, router, transaction

from heedful.accounts.models import Account
from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotFound, StaleVersion
from heedful.core.models import Role, User
from heedful.core.versions import version_of_values
from heedful.health import components as declared
from heedful.health.models import (
    HealthScore,
    OwnerSentiment,
    OwnerSentimentEntry,
    ScoreSetting,
)

ATTEMPTS = 3
K = TypeVar("K")
STORED = ("points", "most", "weight", "measured", "numbers")
"""What each component of a stored score holds, in order (``HealthScore.components``)."""

# -- settings ------------------------------------------------------------------------------
#
# One source, as for the rules' thresholds (ADR 0011): defaults declared with the components,
# and only what an admin overrode stored (``ScoreSetting``). The scan, the settings page and
# the explanation all read the values in force here.


def get_score_settings() -> dict[str, int]:
    """Every setting of the score in force: the declared defaults under the admin's overrides."""
    values = declared.default_settings()
    for name, value in ScoreSetting.objects.values_list("name", "value"):
        if name in values:
            values[name] = value
    return values


def score_settings_version(values: Mapping[str, int]) -> str:
    """The version of the settings in force, as the settings page carries it: a save from a page
    opened before another admin's change is refused."""
    return version_of_values(dict(values))


def update_score_settings(
    *, values: Mapping[str, int], user: User | None = None, expected_version: str | None = None
) -> dict[str, int]:
    """Change some settings of the score (validated, all or nothing); only values that differ
    from their defaults are stored. With ``user``, the change goes to the audit log (the values
    in force before and after) in the same transaction; with ``expected_version``, StaleVersion
    and nothing written when the settings changed since. Answers the settings in force."""
    defaults = declared.default_settings()
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name not in defaults:
            errors.setdefault(name, []).append(f"{name!r} is not a setting of the health score.")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.setdefault(name, []).append(
                f"{declared.setting_label(name)}: enter a whole number, 0 or more."
            )
    if errors:
        raise InvalidInput("Invalid health score setting.", errors)
    with transaction.atomic():
        stored = {row.name: row for row in ScoreSetting.objects.select_for_update()}
        before = {**defaults, **{name: row.value for name, row in stored.items()
                                 if name in defaults}}
        if expected_version is not None and expected_version != score_settings_version(before):
            raise StaleVersion(
                "Another admin changed the health score's settings since you opened this page; "
                "nothing was saved. The form now shows the values in force: re-apply your change.",
                current_version=score_settings_version(before),
            )
        after = {**before, **values}
        weights = [after[declared.weight_setting(c.key)] for c in declared.COMPONENTS]
        if sum(weights) == 0:
            raise InvalidInput(
                "At least one weight must be above 0, or the score would measure nothing.",
                {"__all__": ["Give at least one component a weight above 0."]},
            )
        for name, value in after.items():
            row = stored.get(name)
            if value == defaults[name]:
                if row is not None:
                    row.delete()
            elif row is None:
                ScoreSetting.objects.create(name=name, value=value)
            elif row.value != value:
                row.value = value
                row.save(update_fields=["value", "updated_at"])
        if user is not None and after != before:
            audit.record(
                user=user, action="healthscore.settings", subject="health score settings",
                detail={"before": before, "after": after},
            )
    return after


# -- computing -----------------------------------------------------------------------------


def compute_scores(*, as_of: date, account_ids: Sequence[int] | None = None) -> int:
    """Compute and store the score of every customer account (or of ``account_ids``) as of
    ``as_of``, replacing any computed earlier for that day. One query per component over every
    account in scope; the points are added up in memory. Answers how many scores were stored."""
    settings = get_score_settings()
    scope = Account.objects.filter(status__in=declared.SCORED_STATUSES)
    if account_ids is not None:
        scope = scope.filter(pk__in=list(account_ids))
    scored_ids = list(scope.order_by("pk").values_list("pk", flat=True))
    components = list(declared.COMPONENTS)
    measured = [component.measure(as_of, account_ids) for component in components]
    for index, component in enumerate(components):
        if component.key == "owner_sentiment":  # its words say when it went stale
            for found in measured[index].values():
                found["stale_after_days"] = settings[declared.STALE_SETTING]
    weights = tuple(settings[declared.weight_setting(c.key)] for c in components)
    keys = [component.key for component in components]
    shares_of = [component.share for component in components]
    points_for = functools.lru_cache(maxsize=65536)(
        lambda shares: _points(weights, shares)
    )
    empty: declared.Numbers = {}
    rows = []
    # A loop over rows already read (one query per component above), never a query per account.
    for account_id in scored_ids:
        numbers = [by_account.get(account_id, empty) for by_account in measured]
        shares = tuple(share(n, settings) for share, n in zip(shares_of, numbers, strict=True))
        score, points, most = points_for(shares)
        parts = {
            key: [points[index], most[index], weights[index], shares[index] is not None,
                  numbers[index]]
            for index, key in enumerate(keys)
        }
        rows.append((account_id, as_of, score, json.dumps(parts, separators=(",", ":"))))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                stored = HealthScore.objects.filter(on=as_of)
                if account_ids is not None:
                    stored = stored.filter(account_id__in=list(account_ids))
                stored._raw_delete(stored.db)  # no cascade, no signals: a table of snapshots
                _insert(rows)
            break
        except IntegrityError:
            # Another scan stored the same day between our delete and our insert: again.
            if attempt == ATTEMPTS:
                raise
    return len(rows)


def _points(
    weights: tuple[int, ...], shares: tuple[float | None, ...]
) -> tuple[int, list[int], list[int]]:
    """The score, each component's whole points and the most it could give, for these shares
    (remembered per distinct shares: most accounts share them). The measured components' weights
    become whole maxima that add up to 100 (largest remainders); each component scores its share
    of its maximum, rounded; the score is their sum."""
    full = distribute(dict(enumerate(weights)), {
        index: None if share is None else 1.0 for index, share in enumerate(shares)
    })
    most = [whole_points(full, round(sum(full.values())))[index] for index in range(len(shares))]
    points = [
        0 if share is None else math.floor(share * most[index] + 0.5)  # half rounds up
        for index, share in enumerate(shares)
    ]
    return sum(points), points, most


def _insert(rows: list[tuple[int, date, int, str]]) -> None:
    """The day's snapshots as plain rows (``COPY`` on PostgreSQL, ``executemany`` on SQLite):
    100,000 model objects cost seconds of the scan's minute."""
    connection = connections[router.db_for_write(HealthScore)]
    table = connection.ops.quote_name(HealthScore._meta.db_table)
    columns = "account_id, \"on\", score, components"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",
                [(account_id, on.isoformat(), score, text) for account_id, on, score, text in rows],
            )


def distribute(weights: Mapping[K, int], shares: Mapping[K, float | None]) -> dict[K, float]:
    """Each component's exact points: its share of its weight, the weights of the measured
    components scaled to 100 (a component not measured gets none)."""
    total = sum(weight for key, weight in weights.items() if shares[key] is not None)
    return {
        key: 0.0 if shares[key] is None or total == 0 else 100 * weight / total * (shares[key] or 0)
        for key, weight in weights.items()
    }


def whole_points(exact: Mapping[K, float], score: int) -> dict[K, int]:
    """Whole points that add up to ``score``: each exact value rounded down, then one more to
    those with the largest remainders (Hamilton's method) until the sum is reached."""
    points = {key: math.floor(value + 1e-9) for key, value in exact.items()}
    missing = score - sum(points.values())
    by_remainder = sorted(exact, key=lambda key: (-(exact[key] - points[key]), str(key)))
    for key in by_remainder[:max(0, missing)]:
        points[key] += 1
    return points


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentLine:
    key: str
    label: str
    points: int
    most: int
    """The points the component could give that day (its weight scaled to 100, whole); 0 when
    not measured."""
    weight: int
    is_measured: bool
    words: str


@dataclass(frozen=True)
class Explanation:
    account_id: int
    on: date
    score: int
    components: list[ComponentLine]

    @property
    def not_measured(self) -> list[ComponentLine]:
        return [line for line in self.components if not line.is_measured]


def score_history(account: Account, date_from: date, date_to: date) -> list[HealthScore]:
    """The account's scores from ``date_from`` to ``date_to`` (both included), oldest first:
    one per scan date (``on``, ``score``, ``components``). Empty when no scan scored it."""
    return list(
        HealthScore.objects.filter(account=account, on__gte=date_from, on__lte=date_to)
        .order_by("on")
    )


def explain(account: Account, as_of: date) -> Explanation | None:
    """The latest score of the account on or before ``as_of``, each component with its points,
    the most it could give, its weight and its numbers in words; None when it has none."""
    snapshot = (
        HealthScore.objects.filter(account=account, on__lte=as_of).order_by("-on").first()
    )
    return None if snapshot is None else explanation_of(snapshot)


def explanation_of(snapshot: HealthScore) -> Explanation:
    known = declared.by_key()
    parts = {
        key: dict(zip(STORED, part, strict=True)) for key, part in snapshot.components.items()
    }
    lines = []
    for key, part in parts.items():
        component = known.get(key)
        label = component.label if component else key.replace("_", " ").capitalize()
        lines.append(ComponentLine(
            key=key, label=label, points=part["points"], most=part["most"],
            weight=part["weight"], is_measured=part["measured"],
            words=component.words(part["numbers"]) if component else "",
        ))
    lines.sort(key=lambda line: (not line.is_measured, -(line.most - line.points), line.label))
    return Explanation(
        account_id=snapshot.account_id, on=snapshot.on, score=snapshot.score, components=lines
    )


# -- the owner's sentiment -----------------------------------------------------------------


def may_set_sentiment(user: User, account: Account) -> bool:
    """The account's owner says how they feel; an admin may too (covering a handover)."""
    return user.is_active and (account.owner_id == user.pk or user.role == Role.ADMIN)


def set_owner_sentiment(
    *, user: User, account: Account, sentiment: str, note: str, on: date
) -> OwnerSentimentEntry:
    """Record how the owner feels about the account from ``on``; counted by the next scan."""
    if not may_set_sentiment(user, account):
        raise NotFound("Only the account's owner says how they feel about it.")
    if sentiment not in OwnerSentiment.values:
        raise InvalidInput(
            "Choose how you feel: worried, neutral or confident.",
            {"sentiment": ["Choose worried, neutral or confident."]},
        )
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput("The note is too long.", {"note": ["Keep it under 500 characters."]})
    with transaction.atomic():
        entry = OwnerSentimentEntry.objects.create(
            account=account, sentiment=sentiment, note=note, set_on=on, set_by=user
        )
        audit.record(
            user=user, action="healthscore.sentiment", subject=f"account {account.external_id}",
            detail={"sentiment": sentiment, "note": note, "set_on": on.isoformat()},
        )
    return entry


def latest_owner_sentiment(account: Account, as_of: date) -> OwnerSentimentEntry | None:
    return (
        OwnerSentimentEntry.objects.filter(account=account, set_on__lte=as_of)
        .select_related("set_by").order_by("-set_on", "-pk").first()
    )
