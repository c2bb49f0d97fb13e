"""The columns of forecast submissions (``heedful.core.kinds``): their API fields follow from
these. What the submission records of itself (when, whether late, whether the latest, the
period's currency) is shown, never taken."""

from datetime import datetime

from heedful.core.kinds import Column, RecordKind, Shown
from heedful.forecasts.models import ForecastAdjustment, ForecastSubmission

FORECAST_SUBMISSION = RecordKind(
    model=ForecastSubmission,
    columns=(
        Column("period", required=True),
        Column(
            "rep_username", field="rep", required=True, defaults_to_you=True,
            description="Whose forecast it is: your own (an admin may file anyone's).",
        ),
        Column("commit", required=True, description="A decimal string, e.g. \"120000.00\"."),
        Column("best_case", required=True, description="At least the commit."),
        Column("pipeline", required=True, description="At least the best case."),
        Column("note"),
    ),
    shown=(
        Shown("id", int),
        Shown("currency", str, description="The period's currency, in which the amounts are."),
        Shown("submitted_at", datetime),
        Shown(
            "is_late", bool, description="Submitted after the period's due date (kept as it "
            "was then).",
        ),
        Shown(
            "is_latest", bool,
            description="The submission that counts; earlier ones are the rep's history.",
        ),
    ),
)

FORECAST_ADJUSTMENT = RecordKind(
    model=ForecastAdjustment,
    columns=(
        Column("period", required=True),
        Column("rep_username", field="rep", required=True),
        Column("category", required=True),
        Column(
            "change", required=True,
            description="Added to the rep's figure, a decimal string; negative (\"-25000.00\") "
            "to take off; never zero.",
        ),
        Column("reason", required=True),
    ),
    shown=(
        Shown("id", int),
        Shown(
            "manager_username", str, read=lambda adjustment: adjustment.manager.username,
            description="Who adjusted.",
        ),
        Shown(
            "currency", str, read=lambda adjustment: adjustment.period.currency,
            description="The period's currency, in which the change is.",
        ),
        Shown("made_at", datetime),
    ),
)
