"""REST endpoints of the timeline's interactions."""

from ninja import Router

from heedful.core.rest import Resource, register
from heedful.interactions import schemas, services
from heedful.interactions.kinds import INTERACTION

router = Router()

INTERACTIONS = Resource(
    path="interactions", key="id",
    out=schemas.InteractionOut, page=schemas.InteractionPage, filters=schemas.InteractionFilter,
    create_schema=schemas.InteractionIn, patch_schema=schemas.InteractionPatch,
    orderings={
        "occurred_at": "occurred_at", "account_external_id": "account__external_id",
        "kind": "kind",
    },
    get_all=services.get_all, get_or_raise=services.get_or_raise,
    create=services.create, update=services.update,
    form_names=INTERACTION.form_names, joined_lists=INTERACTION.joined_lists,
)

register(router, INTERACTIONS, tag="interactions")
