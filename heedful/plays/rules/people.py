"""What the rules about a person (a rep, a new hire) share: such a play is the person's
manager's to act on, and it sits on an account because every play does: the person's
anchor account, the first account they own that can have plays (see ADR 0037).
A person who owns no such account gets no play; their scorecard still shows the figure."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Min

from heedful.accounts.models import Account
from heedful.core.models import User
from heedful.plays.rules.base import ACCOUNT_STATUSES_WITH_PLAYS, display_name


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    name: str
    manager_id: int | None
    account_id: int
    account_name: str


def people_with_anchors(
    user_ids: Iterable[int], account_ids: Sequence[int] | None
) -> dict[int, Person]:
    """The people among ``user_ids`` who own an account that can have plays, each with that
    anchor (limited to ``account_ids`` when given). Three queries whatever the count."""
    ids = set(user_ids)
    if not ids:
        return {}
    anchors = dict(
        Account.objects.filter(owner_id__in=ids, status__in=ACCOUNT_STATUSES_WITH_PLAYS)
        .order_by().values("owner_id").annotate(first=Min("id")).values_list("owner_id", "first")
    )
    if account_ids is not None:
        wanted = set(account_ids)
        anchors = {owner: account for owner, account in anchors.items() if account in wanted}
    names = dict(Account.objects.filter(pk__in=anchors.values()).values_list("pk", "name"))
    return {
        row["pk"]: Person(
            id=row["pk"], username=row["username"],
            name=display_name(row["full_name"], row["username"]), manager_id=row["manager_id"],
            account_id=anchors[row["pk"]], account_name=names[anchors[row["pk"]]],
        )
        for row in User.objects.filter(pk__in=anchors, is_active=True).values(
            "pk", "username", "full_name", "manager_id")
    }
