"""REST endpoints of visits (their pages are ``views.py``). Announcing a visit, its photo and
the customer's answer stay on the pages: the code and link are shown once, to a person."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.visits import schemas, services
from heedful.visits.kinds import VISIT

router = Router()

VISITS = Resource(
    path="visits", key="id",
    out=schemas.VisitOut, page=schemas.VisitPage, filters=schemas.VisitFilter,
    create_schema=schemas.VisitIn, patch_schema=schemas.VisitPatch,
    orderings={
        "window_start": "window_start", "account_external_id": "account__external_id",
        "visitor_username": "visitor__username", "work_order": "work_order",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update,
    form_names=VISIT.form_names, joined_lists=VISIT.joined_lists,
)

register(router, VISITS, tag="visits")
