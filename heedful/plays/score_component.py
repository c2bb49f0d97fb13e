"""The health score's component that the attention engine measures: open urgent plays. The
health app cannot read plays (the score-drop rule reads the score), so the engine registers it
(``PlaysConfig.ready``), as it registers what follows a record's write (ADR 0010)."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from heedful.health import components
from heedful.lib import words
from heedful.plays.models import Play


def measure_urgent_plays(as_of: date, account_ids: Sequence[int] | None) -> dict[int, dict]:
    """Urgent plays open at the end of ``as_of``: raised by then, not closed by then (the
    scan computes the score before its rules run, so today's are those of the last scan)."""
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    rows = (
        components.scoped(Play.objects.filter(urgent=True), account_ids)
        .filter(created_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .values("account_id")
        .annotate(open=Count("pk"))
        .order_by()
    )
    return {row["account_id"]: {"open": row["open"]} for row in rows}


def urgent_plays_share(numbers: Mapping, settings: Mapping[str, int]) -> float:
    return max(0.0, 1.0 - numbers.get("open", 0) / 2)


def urgent_plays_words(numbers: Mapping) -> str:
    count = numbers.get("open", 0)
    if not count:
        return "No urgent play open."
    return (f"{words.format_number(count)} urgent play{'' if count == 1 else 's'} open "
            "(no point at two).")


URGENT_PLAYS = components.Component(
    "urgent_plays", "Open urgent plays", 10, measure_urgent_plays, urgent_plays_share,
    urgent_plays_words,
)
