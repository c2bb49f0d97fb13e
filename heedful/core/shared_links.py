"""Read-only links for customers (a meeting's shared page, a sent service review): made,
revoked and opened the same way wherever they are used (``docs/adr/0028``).

Only the SHA-256 of a 32-byte token is stored, so the link is shown once; an unknown, revoked
or expired token gets the same answer, which tells a guesser nothing; the page is kept out of
caches and search engines and its address never leaves as a referrer.
"""

from datetime import timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import HttpResponse

from heedful.core import audit
from heedful.core.exceptions import InvalidInput, NotFound
from heedful.core.models import SharedLink, User
from heedful.lib import clock, secret_links

L = TypeVar("L", bound=SharedLink)

LINK_DAYS = (7, 14, 30, 90)
"""How long a shared link may stay open, in days; the pages offer these."""
DEFAULT_LINK_DAYS = 30


def days_from_form(raw: str) -> int:
    """The number of days a form posted, 0 (refused by ``create``) for anything else."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 0


def create(
    model: type[L], *, user: User, days: int, subject: models.Model, action: str,
    **shown: Any,
) -> tuple[L, str]:
    """A new link of ``model`` for the record(s) in ``shown`` (e.g. ``meeting=...``), open
    ``days`` days: the link and its token. The caller shows the token once; only its hash is
    kept. ``subject`` and ``action`` name the audit entry."""
    if days not in LINK_DAYS:
        raise InvalidInput(
            "Choose how long the link stays open.",
            {"days": [f"One of {', '.join(str(d) for d in LINK_DAYS)} days."]},
        )
    token = model.new_token()
    now = clock.now()
    with transaction.atomic():
        link = model._default_manager.create(
            token_hash=model.hash(token), created_by=user, created_at=now,
            expires_at=now + timedelta(days=days), **shown,
        )
        audit.record(
            user=user, action=action, subject=audit.subject_of(subject),
            detail={"shared_page": link.pk, "expires_at": link.expires_at.isoformat()},
        )
    return link, token


def revoke(
    links: "models.QuerySet[L]", *, user: User, link_id: int, subject: models.Model, action: str
) -> L:
    """Withdraw the link ``link_id`` among ``links`` (those of one record): from now on it
    shows nothing. Revoking twice changes nothing; NotFound for a link not among them."""
    with transaction.atomic():
        try:
            link = links.select_for_update().get(pk=link_id)
        except (links.model.DoesNotExist, ValueError, TypeError):
            raise NotFound("No such link.") from None
        if link.revoked_at is None:
            link.revoked_at = clock.now()
            link.save(update_fields=["revoked_at"])
            audit.record(
                user=user, action=action, subject=audit.subject_of(subject),
                detail={"shared_page": link.pk},
            )
    return link


def get_open(links: "models.QuerySet[L]", *, token: str) -> L:
    """The link of ``token`` among ``links`` while it is open; NotFound for an unknown,
    revoked or expired token alike."""
    offered = secret_links.hash_of_offered(token)
    if offered is None:
        raise NotFound("No such page.")
    link = links.filter(token_hash=offered).first()
    if link is None or not link.is_open(clock.now()):
        raise NotFound("No such page.")
    return link


def private(response: HttpResponse) -> HttpResponse:
    """A shared page is for one customer: no cache keeps it, no search engine lists it, and
    its address (the token) is never sent to another site as a referrer (same-origin, not
    no-referrer: with no-referrer the browser sends "Origin: null" and the CSRF check refuses
    the customer's own form posts)."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
