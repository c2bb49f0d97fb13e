"""REST endpoints of forecast submissions: another system (Salesforce, HubSpot) reads and
files them. A submission is history: a change is a new submission, so there is no PATCH."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.forecasts import schemas, services
from heedful.forecasts.kinds import FORECAST_SUBMISSION

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

register(router, FORECAST_SUBMISSIONS, tag="forecast submissions")
