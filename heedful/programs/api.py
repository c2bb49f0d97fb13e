"""REST endpoints of the sponsor programme: how often a sponsor should see a customer of each
tier. A company-wide setting on no account: everyone reads it, an admin changes it (as the
product catalogue)."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.programs import schemas, services
from heedful.programs.kinds import VISIT_CADENCE

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

register(router, VISIT_CADENCES, tag="sponsor programme")
