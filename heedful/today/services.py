"""What Today shows: a person's open plays, the few to do now and the rest by account, with
the counts of the page's head; and where each kind of user lands after logging in.

Two queries whatever the size of the queue: the counts (one aggregate) and the plays shown
(a bounded slice in queue order). Only plays on accounts the viewer may see
(``plays.services.get_queue``).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from heedful.accounts.models import Account
from heedful.core.models import Role, User
from heedful.lib import clock
from heedful.plays import services as plays_services
from heedful.plays.models import Play

NOW_COUNT = 10
"""How many plays Today puts under "Now" (every urgent play is there as well, however many)."""
LATER_SHOWN = 40
"""How many of the other plays Today lists below, by account; the attention queue has them all."""


@dataclass(frozen=True)
class AccountPlays:
    account: Account
    plays: list[Play]


@dataclass(frozen=True)
class TodayPage:
    owner: User
    now: list[Play]
    later: list[AccountPlays]
    open_count: int
    urgent_count: int
    overdue_count: int
    overdue_ids: set[int] = field(default_factory=set)

    @property
    def later_count(self) -> int:
        """Open plays not under "Now", listed or not."""
        return self.open_count - len(self.now)

    @property
    def later_not_shown(self) -> int:
        return self.later_count - sum(len(group.plays) for group in self.later)


def get_today(*, user: User, owner: User, now: datetime | None = None) -> TodayPage:
    """``owner``'s open plays on accounts ``user`` may see (``user`` themselves, or a manager
    looking at a report's Today). "Now" is every urgent play and the highest ones up to
    ``NOW_COUNT``, in the queue's order (urgent first, then priority, then the oldest); the
    next ``LATER_SHOWN`` follow, grouped by account in the order of each account's first."""
    now = now or clock.now()
    plays = plays_services.get_queue(user=user, owner_id=owner.pk)
    counts = plays.order_by().aggregate(
        open_count=Count("id"), urgent_count=Count("id", filter=Q(urgent=True)),
        overdue_count=Count("id", filter=plays_services.overdue_filter(now)),
    )
    now_size = max(NOW_COUNT, counts["urgent_count"])
    shown = list(plays[: now_size + LATER_SHOWN]) if counts["open_count"] else []
    groups: dict[int, AccountPlays] = {}
    for play in shown[now_size:]:
        groups.setdefault(play.account_id, AccountPlays(account=play.account, plays=[]))
        groups[play.account_id].plays.append(play)
    return TodayPage(
        owner=owner, now=shown[:now_size], later=list(groups.values()),
        open_count=counts["open_count"], urgent_count=counts["urgent_count"],
        overdue_count=counts["overdue_count"],
        overdue_ids={play.pk for play in shown if plays_services.is_overdue(play, now)},
    )


def landing_page_name(user: User) -> str:
    """Where ``user`` lands after logging in: a rep on Today; a manager on their team's view;
    executives and admins on the team view of everyone (their own plays are one click away)."""
    if user.role == Role.REP or not plays_services.can_see_team(user):
        return "today:page"
    return "plays:team"
