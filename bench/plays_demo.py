"""How the demo's attention queue reads: how many plays, how many of them pitch, whether any
record has two, and where each story's play ranks in its owner's queue.

Builds the demo (``company.build_demo``) into a scratch HEEDFUL_HOME (SQLite, deleted
afterwards) or into an empty PostgreSQL database (``--database-url``), runs the scan as of
the demo's day and prints:

- open plays in all, per owner and per rule;
- the share of pitching plays (``PITCHING_RULES``) among the open plays (target: at most a
  fifth);
- accounts with two open plays about the same record (the same subject, other than the
  account as a whole; target: none);
- for each story a rule covers, where its play ranks in its owner's queue (the queue's own
  order; target: the top ten).

    .venv/bin/python bench/plays_demo.py                      # as of 2026-11-22, seed 2026
    .venv/bin/python bench/plays_demo.py --as-of 2026-11-30 --json /tmp/after.json
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The rules that offer the customer something more (bench and tests read the same list once
# the engine declares it; before that, this one).
PITCHING_RULES_BEFORE = ("catalog.whitespace", "roadmap.briefing_due")

# story number → the rule whose play tells it (as tests/demo/test_story_plays.py)
STORY_RULES = {
    1: "billing.spike",
    4: "support.ticket_opened",
    5: "contracts.bad_news_first",
    6: "orders.shipped_followup",
    7: "health.business_change",
    8: "service.scope_overrun",
    10: "team.exec_visit_due",
    13: "contacts.only_technical",
    14: "catalog.whitespace",
}
TOP = 10
MOST_PITCHING_SHARE = 0.2


def measure() -> dict[str, Any]:
    """The figures of the demo as it is in the database now (scanned)."""
    from django.db.models import Q

    from heedful.core.models import User
    from heedful.demo import company
    from heedful.plays import services
    from heedful.plays.models import Play, PlayStatus

    try:
        from heedful.plays.rules import PITCHING_RULES
    except ImportError:
        PITCHING_RULES = PITCHING_RULES_BEFORE  # noqa: N806 - the code before it existed

    open_plays = Play.objects.filter(status=PlayStatus.OPEN)
    total = open_plays.count()
    by_rule = Counter(dict(
        open_plays.order_by().values_list("rule").annotate(n=_count()).values_list("rule", "n")
    ))
    by_owner = Counter(dict(
        open_plays.order_by().values_list("owner__username")
        .annotate(n=_count()).values_list("owner__username", "n")
    ))
    pitching = sum(by_rule[rule] for rule in PITCHING_RULES)
    # The queue's own order lists these one by one and groups the rest by rule (before the
    # grouping existed, every play was listed).
    low = getattr(services, "LOW_PRIORITY_BELOW", 0)
    listed = Counter(dict(
        open_plays.filter(Q(urgent=True) | Q(priority__gte=low)).order_by()
        .values_list("owner__username").annotate(n=_count())
        .values_list("owner__username", "n")
    ))
    same_record = [
        (account, subject, count)
        for account, subject, count in open_plays.exclude(subject="account").order_by()
        .values_list("account__external_id", "subject").annotate(n=_count())
        .filter(n__gt=1).values_list("account__external_id", "subject", "n")
    ]
    stories = {}
    for story in company.STORIES:
        rule = STORY_RULES.get(story.number)
        if rule is None:
            continue
        play = open_plays.filter(
            account__external_id=story.account_external_id, rule=rule
        ).select_related("owner").first()
        if play is None or play.owner is None:
            stories[story.number] = {"rule": rule, "owner": None, "rank": None,
                                     "queue": None}
            continue
        queue = list(
            services.get_queue(user=play.owner, owner_id=play.owner.pk)
            .values_list("id", flat=True)
        )
        stories[story.number] = {
            "rule": rule, "owner": play.owner.username,
            "rank": queue.index(play.pk) + 1 if play.pk in queue else None,
            "queue": len(queue),
        }
    reps = set(User.objects.filter(role="rep").values_list("username", flat=True))
    return {
        "open_plays": total,
        "by_rule": dict(by_rule.most_common()),
        "by_owner": dict(by_owner.most_common()),
        "listed_by_owner": dict(listed.most_common()),
        "low_priority_below": low,
        "open_plays_of_reps": sum(n for owner, n in by_owner.items() if owner in reps),
        "pitching_rules": list(PITCHING_RULES),
        "pitching_plays": pitching,
        "pitching_share": round(pitching / total, 3) if total else 0.0,
        "same_record": same_record,
        "stories": stories,
    }


def _count() -> Any:
    from django.db.models import Count

    return Count("id")


def report(figures: dict[str, Any]) -> str:
    lines = [f"open plays: {figures['open_plays']} (of reps: {figures['open_plays_of_reps']})"]
    lines.append("per owner: " + ", ".join(f"{k} {v}" for k, v in figures["by_owner"].items()))
    lines.append(
        f"listed one by one in the queue (urgent or priority >= {figures['low_priority_below']}; "
        "the rest grouped by rule): "
        + ", ".join(f"{k} {v}" for k, v in figures["listed_by_owner"].items())
    )
    lines.append("per rule:")
    lines += [f"  {rule:32} {count:5}" for rule, count in figures["by_rule"].items()]
    share = figures["pitching_share"]
    verdict = "ok" if share <= MOST_PITCHING_SHARE else "over"
    lines.append(
        f"pitching plays ({', '.join(figures['pitching_rules'])}): {figures['pitching_plays']} "
        f"= {share:.1%} of the open plays (target at most {MOST_PITCHING_SHARE:.0%}: {verdict})"
    )
    same = figures["same_record"]
    lines.append(f"accounts with two open plays about the same record: {len(same)}"
                 + "".join(f"\n  {a} {s} ({n} plays)" for a, s, n in same))
    lines.append(f"story plays in their owner's queue (target: top {TOP}):")
    for number, story in sorted(figures["stories"].items()):
        rank = story["rank"]
        verdict = "ok" if rank is not None and rank <= TOP else "MISS"
        lines.append(
            f"  story {number:2} {story['rule']:28} {story['owner'] or '-':10} rank "
            f"{rank if rank is not None else '-':>4} of {story['queue'] or '-':>4}  {verdict}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", default="2026-11-22", help="The demo's day, YYYY-MM-DD.")
    parser.add_argument("--seed", type=int, help="The demo's seed (default: the demo's own).")
    parser.add_argument("--database-url", help="An empty PostgreSQL database to build into.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    options = parser.parse_args()
    as_of = date.fromisoformat(options.as_of)
    home = tempfile.mkdtemp(prefix="heedful-plays-demo-")
    os.environ["HEEDFUL_HOME"] = home
    if options.database_url:
        os.environ["HEEDFUL_DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heedful.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from heedful.demo import company
        from heedful.plays.engine import scan

        call_command("migrate", interactive=False, verbosity=0)
        seed = company.DEFAULT_SEED if options.seed is None else options.seed
        company.build_demo(as_of=as_of, seed=seed)
        result = scan(as_of=as_of)
        print(f"demo as of {as_of.isoformat()}, seed {seed}; scan: {result.summary()}")
        figures = measure()
        print(report(figures))
        if options.json:
            Path(options.json).write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
