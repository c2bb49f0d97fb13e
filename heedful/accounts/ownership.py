"""Who owns an account: the one writer of that fact (ADR 0008).

The truth is the account's team memberships with role ``owner``: dated periods that say who
owned the account from when to when (the history the team rules read, and the only form a
CRM export gives). ``Account.owner`` is a cache of the owner *today*, written only here, in
the same transaction as the periods. A partial unique constraint allows one running owner
period (no end date) per account.

Every path that changes an owner comes here: the API (account create and update, team
endpoints), ``accounts.csv`` (the owner from the import's date on) and ``team.csv`` (owner
history), the admin, the demo and the generator (which write history in bulk and then
refresh the cache with ``refresh_cached_owners``).

Periods of one account are kept *normal*: sorted by start; two overlapping periods of the
same person are one; a period that runs into the next person's is cut the day before it
starts; of two people starting the same day, the period written last wins. Because
normalising is idempotent and does not depend on the order periods arrive in, re-importing
``accounts.csv`` and ``team.csv`` in any order gives the same owners.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery

from heedful.accounts.models import Account, TeamMembership, TeamRole
from heedful.lib import clock
from heedful.lib.bulk_insert import insert_new

BATCH_SIZE = 2000
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """One person's ownership of one account, from ``start_date`` (None: since before records
    began) to ``end_date`` (None: still the owner). ``pk`` is the stored membership's id."""

    user_id: int
    start_date: date | None
    end_date: date | None
    pk: int | None = None

    @property
    def starts(self) -> date:
        return self.start_date or date.min

    def runs_into(self, later: "Period") -> bool:
        return self.end_date is None or self.end_date >= later.starts

    def is_active(self, on: date) -> bool:
        return self.starts <= on and (self.end_date is None or self.end_date >= on)


def normalized(periods: Sequence[Period]) -> list[Period]:
    """The periods of one account in normal form (see the module docstring). ``periods``
    come in the order they were written: of two starting the same day, the later one wins."""
    written = {id(period): index for index, period in enumerate(periods)}
    ordered = sorted(periods, key=lambda p: (p.starts, written[id(p)]))
    result: list[Period] = []
    for period in ordered:
        while result and result[-1].runs_into(period):
            previous = result.pop()
            if previous.user_id == period.user_id:
                # One tenure written twice (e.g. by accounts.csv today and team.csv from
                # 2024): keep the earlier start and the later end.
                end = (
                    None if previous.end_date is None or period.end_date is None
                    else max(previous.end_date, period.end_date)
                )
                period = replace(previous, end_date=end)
                continue
            if previous.starts < period.starts:
                result.append(replace(previous, end_date=period.starts - ONE_DAY))
                break
            # The same start day: the period written later wins, the other is dropped.
        result.append(period)
    return result


def owner_on(periods: Iterable[Period], on: date) -> int | None:
    return next((p.user_id for p in periods if p.is_active(on)), None)


@dataclass(frozen=True)
class Rewrite:
    """What a write did to the owner periods of its accounts: each account's periods before
    and after (in normal form; a new period has no ``pk``), and the accounts that changed."""

    before: Mapping[int, list[Period]]
    after: Mapping[int, list[Period]]
    changed: set[int]


# --- Changing owners ---------------------------------------------------------------------


def set_owners(owners: Mapping[int, int | None], *, on: date | None = None) -> set[int]:
    """Make each user the owner of the account from ``on`` (default today) on, ending the
    previous owner's period the day before; None ends the running owner's period. An account
    already owned on that day by that user is left as it is. Returns the accounts whose owner
    changed. (accounts.csv, the API, the admin.)"""
    on = on or clock.today()

    def edit(account_id: int, periods: list[Period]) -> list[Period]:
        owner_id = owners[account_id]
        if owner_on(periods, on) == owner_id:
            return periods
        if owner_id is not None:
            return [*periods, Period(owner_id, on, None)]
        kept = []
        for period in periods:
            if period.is_active(on) or period.starts > on:
                if period.starts < on:
                    kept.append(replace(period, end_date=on - ONE_DAY))
                continue  # began today or later: it never ran
            kept.append(period)
        return kept

    return _rewrite(owners.keys(), edit).changed


def add_periods(periods: Mapping[int, Sequence[Period]]) -> Rewrite:
    """Write owner history (team.csv, the team endpoints): each period of a person and start
    already stored replaces that one's end date; the history is then normalised."""

    def edit(account_id: int, stored: list[Period]) -> list[Period]:
        result = list(stored)
        for new in periods[account_id]:
            same = [p for p in result if (p.user_id, p.start_date) == (new.user_id, new.start_date)]
            if same:
                result = [p for p in result if p is not same[0]]
                new = replace(new, pk=same[0].pk)
            result.append(new)
        return result

    return _rewrite(periods.keys(), edit)


def save_membership(membership: TeamMembership, *, stored_role: str | None) -> TeamMembership:
    """Save a team membership edited in a form (API, admin); ``stored_role`` is its role
    before the edit (None for a new one). Owner rows go through the ownership history;
    answers the stored membership (an owner period may merge into the same person's)."""
    was_owner = stored_role == TeamRole.OWNER
    if membership.role != TeamRole.OWNER:
        if was_owner:  # the owner row given another role: the history loses it
            remove_period(account_id=membership.account_id, membership_id=membership.pk)
            membership.pk = None
        membership.save()
        return membership
    if membership.pk is not None and not was_owner:  # another role made the owner's
        TeamMembership.objects.filter(pk=membership.pk).delete()
        membership.pk = None
    return write_membership(
        account_id=membership.account_id,
        period=Period(membership.user_id, membership.start_date, membership.end_date),
        replacing=membership.pk,
    )


def write_membership(
    *, account_id: int, period: Period, replacing: int | None = None
) -> TeamMembership:
    """One owner period written through a form (API, admin), replacing the stored membership
    ``replacing`` (an edit keeps its id). Answers the stored membership that holds the
    period's start afterwards: the period may have merged into the same person's running
    one."""

    def edit(_account_id: int, stored: list[Period]) -> list[Period]:
        return [*(p for p in stored if p.pk != replacing), replace(period, pk=replacing)]

    _rewrite([account_id], edit)
    memberships = TeamMembership.objects.filter(
        account_id=account_id, role=TeamRole.OWNER, user_id=period.user_id
    ).order_by("start_date")
    holding = [m for m in memberships if m.is_active(period.start_date or date.min)]
    return holding[0] if holding else memberships.last()  # type: ignore[return-value]


def remove_period(*, account_id: int, membership_id: int) -> set[int]:
    return _rewrite(
        [account_id], lambda _id, stored: [p for p in stored if p.pk != membership_id]
    ).changed


def _rewrite(
    account_ids: Iterable[int], edit: Callable[[int, list[Period]], list[Period]]
) -> Rewrite:
    """Load the owner periods of the accounts (locked), apply ``edit`` to each account's
    list (stored periods first, in id order), normalise, store the difference and refresh
    the cache, in one transaction."""
    ids = sorted(set(account_ids))
    with transaction.atomic():
        before = load_periods(ids)
        after = {account_id: normalized(edit(account_id, list(before.get(account_id, []))))
                 for account_id in ids}
        changed = _store(before, after)
        refresh_cached_owners(ids)
    return Rewrite(before=before, after=after, changed=changed)


# --- Storage -------------------------------------------------------------------------------


def load_periods(account_ids: Iterable[int]) -> dict[int, list[Period]]:
    """The stored owner periods of each account in id order, locked until the transaction
    ends."""
    periods: dict[int, list[Period]] = defaultdict(list)
    ids = sorted(set(account_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        rows = (
            TeamMembership.objects.select_for_update()
            .filter(account_id__in=ids[start:start + BATCH_SIZE], role=TeamRole.OWNER)
            .order_by("pk")
            .values_list("pk", "account_id", "user_id", "start_date", "end_date")
        )
        for pk, account_id, user_id, start_date, end_date in rows:
            periods[account_id].append(Period(user_id, start_date, end_date, pk))
    return periods


def _store(before: Mapping[int, list[Period]], after: Mapping[int, list[Period]]) -> set[int]:
    """Write the difference; returns the accounts whose periods changed. Deletions and
    closings go first, so that no statement leaves two running owners (the constraint checks
    each row)."""
    deleted: list[int] = []
    closed: list[TeamMembership] = []
    opened: list[TeamMembership] = []
    created: list[TeamMembership] = []
    changed: set[int] = set()
    for account_id, new_periods in after.items():
        old = {p.pk: p for p in before.get(account_id, [])}
        kept = {p.pk for p in new_periods if p.pk is not None}
        for pk in old:
            if pk not in kept and pk is not None:
                deleted.append(pk)
                changed.add(account_id)
        for period in new_periods:
            if period.pk is None or period.pk not in old:
                created.append(TeamMembership(
                    account_id=account_id, user_id=period.user_id, role=TeamRole.OWNER,
                    start_date=period.start_date, end_date=period.end_date,
                ))
                changed.add(account_id)
            elif old[period.pk] != period:
                row = TeamMembership(
                    pk=period.pk, user_id=period.user_id, start_date=period.start_date,
                    end_date=period.end_date,
                )
                (opened if period.end_date is None else closed).append(row)
                changed.add(account_id)
    for start in range(0, len(deleted), BATCH_SIZE):
        TeamMembership.objects.filter(pk__in=deleted[start:start + BATCH_SIZE]).delete()
    written = ["user", "start_date", "end_date"]
    TeamMembership.objects.bulk_update(closed, written, batch_size=BATCH_SIZE)
    TeamMembership.objects.bulk_update(opened, written, batch_size=BATCH_SIZE)
    for start in range(0, len(created), BATCH_SIZE):
        insert_new(TeamMembership, created[start:start + BATCH_SIZE])
    return changed


def refresh_cached_owners(
    account_ids: Iterable[int] | None = None, *, on: date | None = None
) -> int:
    """Set ``Account.owner``, the cache, to the owner whose period runs ``on`` (default
    today), for the given accounts or for all (the nightly scan does, so that a handover
    dated ahead takes effect on its day). Only rows that differ are written. Returns how
    many accounts changed."""
    on = on or clock.today()
    owner_then = Subquery(
        TeamMembership.objects.active(on)
        .filter(account_id=OuterRef("pk"), role=TeamRole.OWNER)
        .order_by("-start_date")
        .values("user_id")[:1]
    )
    if account_ids is None:
        batches = [Account.objects.all()]
    else:
        ids = sorted(set(account_ids))
        batches = [
            Account.objects.filter(pk__in=ids[start:start + BATCH_SIZE])
            for start in range(0, len(ids), BATCH_SIZE)
        ]
    stale: dict[int | None, list[int]] = defaultdict(list)
    for accounts in batches:
        for pk, owner_id, wanted in (
            accounts.annotate(wanted=owner_then).order_by()
            .values_list("pk", "owner_id", "wanted").iterator(chunk_size=BATCH_SIZE)
        ):
            if owner_id != wanted:
                stale[wanted].append(pk)
    for wanted, pks in stale.items():
        for start in range(0, len(pks), BATCH_SIZE):
            Account.objects.filter(pk__in=pks[start:start + BATCH_SIZE]).update(owner_id=wanted)
    return sum(len(pks) for pks in stale.values())
