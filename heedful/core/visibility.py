"""The one rule of who may see which account. Every page, API endpoint, search and export
filters through ``visible_accounts``; nothing else decides visibility.

- executives and admins (and superusers) see every account;
- a rep sees the accounts they own or whose team they are on today;
- a manager sees those, plus those of everyone who reports to them, transitively.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
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
    on_team = TeamMembership.objects.active(on).filter(
        account=OuterRef("pk"), user_id__in=people
    )
    return Account.objects.filter(Q(owner_id__in=people) | Exists(on_team))


def can_see_account(user: User, account: Account) -> bool:
    return visible_accounts(user).filter(pk=account.pk).exists()
