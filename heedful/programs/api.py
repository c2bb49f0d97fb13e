"""REST endpoints of the sponsor programme: how often a sponsor should see a customer of each
tier (a company-wide setting on no account: everyone reads it, an admin changes it, as the
product catalogue), and leaders' requests to see a customer (on the account: the visibility
rule; only a leader asks, and only they change their request)."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.programs import schemas, services
from heedful.programs.kinds import JOIN_REQUEST, VISIT_CADENCE

router = Router()

VISIT_CADENCES = Resource(
    path="visit-cadences", key="segment",
    out=schemas.VisitCadenceOut, page=schemas.VisitCadencePage,
    filters=schemas.VisitCadenceFilter,
    create_schema=schemas.VisitCadenceIn, patch_schema=schemas.VisitCadencePatch,
    orderings={"segment": "segment", "visit_every_days": "visit_every_days"},
    get_all=services.get_all_cadences, get_or_raise=services.get_cadence_or_raise,
    create=services.create_cadence, update=services.update_cadence,
    form_names=VISIT_CADENCE.form_names, joined_lists=VISIT_CADENCE.joined_lists,
)

JOIN_REQUESTS = Resource(
    path="join-requests", key="id",
    out=schemas.JoinRequestOut, page=schemas.JoinRequestPage, filters=schemas.JoinRequestFilter,
    create_schema=schemas.JoinRequestIn, patch_schema=schemas.JoinRequestPatch,
    orderings={
        "asked_at": "asked_at", "account_external_id": "account__external_id",
        "leader_username": "leader__username",
    },
    get_all=services.get_all_join_requests, get_or_raise=services.get_join_request_or_raise,
    create=services.create_join_request, update=services.update_join_request,
    form_names=JOIN_REQUEST.form_names, joined_lists=JOIN_REQUEST.joined_lists,
)

register(router, VISIT_CADENCES, tag="sponsor programme")
register(router, JOIN_REQUESTS, tag="sponsor programme")
