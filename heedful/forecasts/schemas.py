"""API input and output of forecast submissions (``FORECAST_SUBMISSION``'s columns)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from heedful.core.rest import Moment
from heedful.forecasts.kinds import FORECAST_ADJUSTMENT, FORECAST_SUBMISSION

ForecastSubmissionIn, ForecastSubmissionPatch, ForecastSubmissionOut, ForecastSubmissionPage = (
    FORECAST_SUBMISSION.schemas("ForecastSubmission")
)


class ForecastSubmissionFilter(FilterSchema):
    rep_username: Annotated[str | None, FilterLookup("rep__username")] = None
    period: Annotated[str | None, FilterLookup("period__name__iexact")] = None
    is_latest: bool | None = None
    is_late: bool | None = None
    submitted_from: Annotated[Moment | None, FilterLookup("submitted_at__gte")] = None
    submitted_to: Annotated[Moment | None, FilterLookup("submitted_at__lte")] = None


ForecastAdjustmentIn, ForecastAdjustmentPatch, ForecastAdjustmentOut, ForecastAdjustmentPage = (
    FORECAST_ADJUSTMENT.schemas("ForecastAdjustment")
)


class ForecastAdjustmentFilter(FilterSchema):
    rep_username: Annotated[str | None, FilterLookup("rep__username")] = None
    manager_username: Annotated[str | None, FilterLookup("manager__username")] = None
    period: Annotated[str | None, FilterLookup("period__name__iexact")] = None
    category: str | None = None
