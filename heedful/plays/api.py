"""REST endpoints of plays: the list (``GET /plays``), one play, and what a person does with
it (``PATCH /plays/{id}``). Only plays on accounts the caller may see; anything else is 404."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from heedful.core.api_auth import request_user
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.core.rest import (
    ErrorOut,
    query_holds_nul,
    refuse_nul_in_body,
    refuse_repeated_parameters,
)
from heedful.core.versions import etag_of, lock_if_unchanged
from heedful.plays import schemas, services
from heedful.plays.models import Play, PlayStatus

router = Router(tags=["plays"])


def _out(play: Any) -> dict[str, Any]:
    return {"id": play.pk, **services.as_contract(play)}


@router.get(
    "/plays", response={200: schemas.PlayPage, 401: ErrorOut, 422: ErrorOut},
    operation_id="list_plays",
    summary="List plays on accounts you can see (open ones unless you ask for a status)",
)
def list_plays(request: HttpRequest, params: Query[schemas.PlayListParams]) -> dict[str, Any]:
    refuse_repeated_parameters(request)
    if query_holds_nul(request):
        return {"count": 0, "limit": params.limit, "offset": params.offset, "items": []}
    statuses = PlayStatus.values if params.status == "all" else [params.status]
    plays = services.get_all(user=request_user(request), statuses=statuses)
    if params.rule is not None:
        plays = plays.filter(rule=params.rule)
    if params.account_external_id is not None:
        plays = plays.filter(account__external_id=params.account_external_id)
    if params.owner is not None:
        plays = plays.filter(owner__username=params.owner)
    if params.urgent is not None:
        plays = plays.filter(urgent=params.urgent)
    if params.ordering:
        name = params.ordering.removeprefix("-")
        column = schemas.PLAY_ORDERINGS[name]
        descending = params.ordering.startswith("-")
        plays = plays.order_by(f"-{column}" if descending else column, "id")
    else:
        plays = plays.order_by(*services.QUEUE_ORDER)
    items = plays[params.offset : params.offset + params.limit]
    return {
        "count": plays.count(), "limit": params.limit, "offset": params.offset,
        "items": [_out(play) for play in items],
    }


@router.get(
    "/plays/{id}", response={200: schemas.PlayOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="get_play",
    summary="Get one play",
)
def get_play(request: HttpRequest, response: HttpResponse, id: int) -> dict[str, Any]:  # noqa: A002
    play = services.get_or_raise(user=request_user(request), id=id)
    response["ETag"] = etag_of(play)
    return _out(play)


@router.patch(
    "/plays/{id}",
    response={
        200: schemas.PlayOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 412: ErrorOut,
        422: ErrorOut,
    },
    operation_id="update_play",
    summary="Mark a play done, snooze it, dismiss it, or reopen it",
    description="Send the play's ETag (from GET) as If-Match to act only on the play as you "
    "read it: 412, and nothing written, when it changed since (another person acted on it, or "
    "a scan updated it).",
)
def update_play(
    request: HttpRequest, response: HttpResponse, id: int, payload: schemas.PlayPatch  # noqa: A002
) -> dict[str, Any]:
    refuse_nul_in_body(payload.model_dump(exclude_unset=True))
    user = request_user(request)
    play = services.get_or_raise(user=user, id=id)
    expected = request.headers.get("If-Match")
    with transaction.atomic():
        if expected is not None:
            # Checked and written in one transaction, the play's row locked in between.
            lock_if_unchanged(play, expected=expected)
        _act(play, user=user, payload=payload)
    response["ETag"] = etag_of(play)
    return _out(play)


def _act(play: Play, *, user: User, payload: schemas.PlayPatch) -> None:
    if payload.status == PlayStatus.DONE:
        services.mark_done(play=play, user=user, outcome=payload.outcome or "")
    elif payload.status == PlayStatus.SNOOZED:
        if payload.snoozed_until is None:
            raise InvalidInput(
                "Say until when to snooze.", {"snoozed_until": ["This field is required."]}
            )
        try:
            services.snooze(play=play, user=user, until=payload.snoozed_until)
        except InvalidInput as error:
            errors = {
                "snoozed_until" if name == "until" else name: reasons
                for name, reasons in error.errors.items()
            }
            raise InvalidInput(str(error), errors) from None
    elif payload.status == PlayStatus.DISMISSED:
        services.dismiss(play=play, user=user, reason=payload.reason or "")
    else:
        services.reopen(play=play, user=user)
