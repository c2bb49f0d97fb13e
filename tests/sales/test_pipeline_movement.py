"""What moved since a day, on the pipeline page and in the report: new, advanced, slipped,
pushed out, won, lost."""

from dataclasses import asdict
from datetime import UTC, date, datetime

from heedful.sales.models import Opportunity, Stage, StageChange
from heedful.sales.movement import movement
from tests.factories import OpportunityFactory

SINCE, AS_OF = date(2026, 11, 1), date(2026, 11, 22)


def moves(opportunity, *changes) -> None:  # noqa: ANN001, ANN002
    for stage, day in changes:
        StageChange.objects.create(
            opportunity=opportunity, stage=stage, changed_at=datetime(2026, 11, day, tzinfo=UTC)
            if day > 0 else datetime(2026, 10, 1, tzinfo=UTC),
        )


def test_movement_counts_advanced_slipped_new_won_and_lost(people) -> None:  # noqa: ANN001
    # given
    for order, name in enumerate(("qualify", "propose", "negotiate")):
        Stage.objects.create(name=name, order=order, probability=10 * order)
    forward = OpportunityFactory(account=people.ours, stage="propose", created_on=date(2026, 9, 1))
    moves(forward, ("qualify", 0), ("propose", 5))
    back = OpportunityFactory(account=people.ours, stage="qualify", created_on=date(2026, 9, 1))
    moves(back, ("negotiate", 0), ("qualify", 7))
    OpportunityFactory(account=people.ours, created_on=date(2026, 11, 10))
    OpportunityFactory(account=people.ours, created_on=date(2026, 9, 1),
                       closed_on=date(2026, 11, 12), won=True)
    OpportunityFactory(account=people.ours, created_on=date(2026, 9, 1),
                       closed_on=date(2026, 10, 12), won=False)
    # when
    movement_since = movement(Opportunity.objects.all(), since=SINCE, as_of=AS_OF)[None]
    # then
    assert asdict(movement_since) == {
        "new": 1, "advanced": 1, "slipped": 1, "pushed_out": 0, "won": 1, "lost": 0,
        "overdue": 0,
    }
