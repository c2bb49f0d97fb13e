"""REST endpoints of reviews: the manager's reviews of a rep, each with its coaching points and
follow-ups shown inside (written on the review's page)."""

from typing import Any

from ninja import Router

from heedful.coaching import schemas, services
from heedful.coaching.kinds import REVIEW
from heedful.coaching.models import Review
from heedful.core.models import User
from heedful.core.rest import Resource, register

router = Router()


def _get_or_raise(*, user: User, id: int) -> Review:  # noqa: A002
    return services.get_or_raise(user=user, review_id=id)


def _update(*, user: User, id: int, changes: dict[str, Any]) -> Review:  # noqa: A002
    return services.update(user=user, review_id=id, changes=changes)


def _delete(*, user: User, id: int) -> None:  # noqa: A002
    services.delete(user=user, review_id=id)


REVIEWS = Resource(
    path="reviews", key="id",
    out=schemas.ReviewOut, page=schemas.ReviewPage, filters=schemas.ReviewFilter,
    create_schema=schemas.ReviewIn, patch_schema=schemas.ReviewPatch,
    orderings={
        "held_on": "held_on", "kind": "kind", "rep_username": "rep__username",
        "manager_username": "manager__username", "subject": "subject",
    },
    get_all=services.get_all_with_points, get_or_raise=_get_or_raise,
    create=services.create_from_input, update=_update, delete=_delete,
    form_names=REVIEW.form_names, joined_lists=REVIEW.joined_lists,
)

register(router, REVIEWS, tag="reviews")
