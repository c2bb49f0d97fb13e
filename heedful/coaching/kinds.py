"""The columns of reviews, their coaching points and follow-ups (``heedful.core.kinds``): the
API's fields follow from these. A review's coaching points and follow-ups are shown inside it,
read-only, as a meeting's action items are kept with the meeting."""

from heedful.coaching.models import CoachingPoint, FollowUp, Review
from heedful.core.kinds import Column, RecordKind, Shown

COACHING_POINT = RecordKind(
    model=CoachingPoint,
    columns=(
        Column("skill", required=True),
        Column("observed", required=True),
        Column("direction", required=True),
        Column("dimension"),
    ),
    shown=(Shown("id", int),),
)

FOLLOW_UP = RecordKind(
    model=FollowUp,
    columns=(
        Column("what", required=True),
        Column("owner_username", field="owner", required=True),
        Column("due_on", required=True),
        Column("done_on", description="Empty while it is open."),
    ),
    shown=(Shown("id", int),),
)

CoachingPointOut = COACHING_POINT.schemas("CoachingPoint")[2]
FollowUpOut = FOLLOW_UP.schemas("FollowUp")[2]

REVIEW = RecordKind(
    model=Review,
    columns=(
        Column("kind", required=True),
        Column("held_on", required=True),
        Column(
            "rep_username", field="rep", required=True,
            description="Whose review it is: someone who reports to you.",
        ),
        Column("subject", required=True),
        Column(
            "opportunity_external_id", field="opportunity",
            description="The deal reviewed; required for a deal review.",
        ),
        Column("notes"),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "manager_username", str, read=lambda review: review.manager.username,
            description="Who holds the review.",
        ),
        Shown(
            "account_external_id", str | None,
            read=lambda review: review.account.external_id if review.account else None,
            description="The account of the deal reviewed, if any.",
        ),
        Shown(
            "coaching_points", list[CoachingPointOut],  # type: ignore[valid-type]
            read=lambda review: list(review.points.all()),
            description="What the manager coached: the skill, what was observed, and whether "
            "it reinforces or corrects (written on the review's page).",
        ),
        Shown(
            "follow_ups", list[FollowUpOut],  # type: ignore[valid-type]
            read=lambda review: list(review.follow_ups.all()),
            description="The action items taken away (written on the review's page).",
        ),
    ),
)
