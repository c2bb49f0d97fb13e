"""REST endpoints of forecast submissions and the manager's adjustments: another system
(Salesforce, HubSpot) reads and files them. Both are history: a change is a new submission or
a further adjustment, so there is no PATCH."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.forecasts import schemas, services
from heedful.forecasts.kinds import FORECAST_ADJUSTMENT, FORECAST_SUBMISSION

router = Router()

FORECAST_SUBMISSIONS = Resource(
    path="forecast-submissions", key="id",
    out=schemas.ForecastSubmissionOut, page=schemas.ForecastSubmissionPage,
    filters=schemas.ForecastSubmissionFilter,
    create_schema=schemas.ForecastSubmissionIn, patch_schema=schemas.ForecastSubmissionPatch,
    orderings={
        "submitted_at": "submitted_at", "period": "period__starts_on",
        "rep_username": "rep__username", "commit": "commit", "best_case": "best_case",
        "pipeline": "pipeline",
    },
    get_all=services.get_all, get_or_raise=services.get_submission_or_raise,
    create=services.create_submission, update=services.refuse_change, is_editable=False,
    form_names=FORECAST_SUBMISSION.form_names, joined_lists=FORECAST_SUBMISSION.joined_lists,
)

FORECAST_ADJUSTMENTS = Resource(
    path="forecast-adjustments", key="id",
    out=schemas.ForecastAdjustmentOut, page=schemas.ForecastAdjustmentPage,
    filters=schemas.ForecastAdjustmentFilter,
    create_schema=schemas.ForecastAdjustmentIn, patch_schema=schemas.ForecastAdjustmentPatch,
    orderings={
        "made_at": "made_at", "period": "period__starts_on", "rep_username": "rep__username",
        "category": "category", "change": "change",
    },
    get_all=services.get_all_adjustments, get_or_raise=services.get_adjustment_or_raise,
    create=services.create_adjustment, update=services.refuse_adjustment_change,
    is_editable=False,
    form_names=FORECAST_ADJUSTMENT.form_names, joined_lists=FORECAST_ADJUSTMENT.joined_lists,
)

register(router, FORECAST_SUBMISSIONS, tag="forecast submissions")
register(router, FORECAST_ADJUSTMENTS, tag="forecast adjustments")
