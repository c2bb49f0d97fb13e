"""The one rule of who may see which account. Every page, API endpoint, search and export
filters through ``visible_accounts``; nothing else decides visibility.

- executives and admins (and superusers) see every account;
- a rep sees the accounts they own or whose team they are on today;
- a manager sees those, plus those of everyone who reports to them, transitively.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from heedful.accounts.models import Account, TeamMembership
from heedful.core.models import User


def report_ids(user: User) -> set[int]:
    """The user and everyone below them in the reporting tree (cycles are tolerated)."""
    seen = {user.pk}
    frontier = [user.pk]
    while frontier:
        below = list(
            User.objects.filter(manager_id__in=frontier).exclude(pk__in=seen).values_list(
                "pk", flat=True
            )
        )
        seen.update(below)
        frontier = below
    return seen


def visible_accounts(user: User, *, on: date | None = None) -> QuerySet[Account]:
    if not user.is_authenticated or not user.is_active:
        return Account.objects.none()
    if user.sees_every_account:
        return Account.objects.all()
    on = on or timezone.localdate()
    people = report_ids(user)
    # A UNION of two indexed id lists: "owner OR EXISTS(team)" made both databases scan every
    # account (190-470 ms at 100,000 accounts against 4-8 ms for this).
    owned = Account.objects.filter(owner_id__in=people).order_by().values("pk")
    on_team = (
        TeamMembership.objects.active(on).filter(user_id__in=people).order_by().values("account_id")
    )
    return Account.objects.filter(pk__in=owned.union(on_team))


def can_see_account(user: User, account: Account) -> bool:
    return visible_accounts(user).filter(pk=account.pk).exists()
