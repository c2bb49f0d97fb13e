"""Story 8's service reviews, written after the meetings (``company.build_demo``).

Evergreen Property Management's outsourced service desk missed its SLA targets in the last
two months while the delivered volume ran 29-40% above the contracted 4,000 tickets a month.
The review sent for the three months before says so too and left the scope question open;
the draft for the last three months (the period the ``service.*`` plays link to) opens with
the metrics, good and bad, explains each miss, shows the volume against the contract, and
only then raises the scope change, carried from the review before.

Rows are written with the demo's own moments (not the clock), so that a build is repeatable.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from heedful.accounts.models import Account
from heedful.lib.months import month_before, review_period_ending
from heedful.reviews import services
from heedful.reviews.models import MetricComment, Review, ReviewStatus, ReviewTopic, TopicKind
from heedful.reviews.periods import parse_period

if TYPE_CHECKING:  # the company builds its reviews last: it imports this module
    from heedful.demo.company import Plan

STORY_ACCOUNT = "ACC-10008"
COMMENTARY = {
    "First-call resolution %": (
        "Resolution on the first call fell below 80% as ticket volume rose to 35-40% above "
        "the 4,000 a month the contract covers; the busiest weeks brought many first-time "
        "questions about the new building-access system.",
        "A knowledge article for each of the ten most asked access questions, and two more "
        "agents on the desk from the first of next month.",
    ),
    "Average speed of answer (s)": (
        "With the same staffing for a third more calls, callers waited longer than the "
        "30 seconds we promised.",
        "Call-back instead of queueing at peak hours from next week, and the two added agents "
        "on the morning shift, when most calls arrive.",
    ),
    "Tickets resolved within SLA %": (
        "Fewer tickets were resolved within their SLA because the desk-side visits queue "
        "grew with the ticket volume.",
        "A daily review of every ticket near its SLA, led by our support lead, until we are "
        "back above 95%.",
    ),
}


def build_reviews(plan: "Plan") -> None:
    account = Account.objects.select_related("owner__manager").get(external_id=STORY_ACCOUNT)
    rep = account.owner
    latest = month_before(f"{plan.as_of:%Y-%m}", 1)
    current = parse_period(review_period_ending(latest))
    before = parse_period(review_period_ending(month_before(latest, 3)))
    # The review sent for the three months before: its scope question left open.
    sent_on = plan.moment((plan.as_of - before.end).days - 12, 15)
    previous = Review.objects.create(
        account=account, period=before.key, period_from=before.start, period_to=before.end,
        status=ReviewStatus.SENT, created_by=rep, created_at=sent_on - timedelta(days=2),
        updated_at=sent_on, sent_at=sent_on, sent_by=rep,
    )
    ReviewTopic.objects.create(
        review=previous, position=1, kind=TopicKind.SCOPE_CHANGE,
        title="Ticket volume above the contracted 4,000 a month",
        text="Volume has started to grow; we suggest looking at it together next time.",
        is_open=True, updated_by=rep, updated_at=sent_on,
    )
    content = services.with_edits(
        services.build_content(account=account, period=before, as_of=sent_on.date()), previous
    )
    content["sent_at"] = sent_on.isoformat()
    content["sent_by"] = {"name": rep.display_name, "email": rep.email} if rep else None
    previous.snapshot = content
    previous.save(update_fields=["snapshot"])
    # The draft for the last three months, started from that open topic.
    prepared = plan.moment(1, 9)
    draft = Review.objects.create(
        account=account, period=current.key, period_from=current.start, period_to=current.end,
        previous=previous, created_by=rep, created_at=prepared, updated_at=prepared,
        revision=len(COMMENTARY) + 2,
    )
    MetricComment.objects.bulk_create([
        MetricComment(review=draft, metric=metric, what_happened=happened,
                      what_we_are_doing=doing, updated_by=rep, updated_at=prepared)
        for metric, (happened, doing) in COMMENTARY.items()
    ])
    ReviewTopic.objects.bulk_create([
        ReviewTopic(
            review=draft, position=1, kind=TopicKind.SCOPE_CHANGE,
            title="Contract the volume you use: 5,500 tickets a month",
            text="For three months the desk has handled 5,160 to 5,600 tickets a month against "
            "4,000 contracted. Contracting the volume you use pays for the agents that bring "
            "the SLAs back to target.",
            is_open=True, carried_from=previous, updated_by=rep, updated_at=prepared,
        ),
        ReviewTopic(
            review=draft, position=2, kind=TopicKind.RENEWAL,
            title="The contract's renewal",
            text="The outsourcing contract runs for about 16 more months; we would like to "
            "plan the renewal with the new volume in mind.",
            is_open=True, updated_by=rep, updated_at=prepared,
        ),
    ])
