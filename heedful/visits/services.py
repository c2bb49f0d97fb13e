"""Planning, announcing and verifying a visit.

The announcement carries a link with a 256-bit token (``heedful.lib.secret_links``, as a
meeting's shared page) and a six-digit code; only their hashes are stored, so both are
shown once, to whoever announces. The customer's page asks for the code before it shows
anything, and answers a wrong code, an unknown link and an expired one with the same words.
"""

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac

from heedful.accounts import records
from heedful.accounts.models import Account, Channel
from heedful.accounts.visibility import visible_accounts
from heedful.core import audit
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.interactions.models import Direction, Interaction, InteractionKind
from heedful.lib import clock, secret_links, words
from heedful.visits.forms import VisitForm
from heedful.visits.models import (
    WRONG_CODES_ALLOWED,
    HappenedAsAnnounced,
    Visit,
)

CODE_DIGITS = 6
PHOTO_LIMIT_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
REFUSED = "That code does not open a visit. Check the code and the link in the message we sent."
"""The one answer to a wrong code, an unknown or expired link: it says nothing of whether
a visit exists."""

CHANNEL_INTERACTION: dict[str, str] = {
    Channel.EMAIL: InteractionKind.EMAIL, Channel.PHONE: InteractionKind.CALL,
    Channel.CHAT: InteractionKind.CHAT, Channel.VIDEO: InteractionKind.CALL,
    Channel.IN_PERSON: InteractionKind.CALL,
}
"""How an announcement goes in each preferred channel: in person is not possible ahead of
a visit, so that person is called."""


class Refused(Exception):
    """The customer's page refuses the code (wrong, unknown, expired: one answer)."""


def get_all(*, user: User) -> QuerySet[Visit]:
    """The visits ``user`` may see, without their photos (up to 2 MB each, read only where a
    page shows one)."""
    return (
        Visit.objects.filter(account__in=visible_accounts(user))
        .select_related("account", "contact", "visitor")
        .defer("photo")
    )


def get_or_raise(*, user: User, id: int) -> Visit:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def get_for_account(*, user: User, account: Account) -> QuerySet[Visit]:
    return get_all(user=user).filter(account=account).order_by("-window_start", "-pk")


def _code_hash(token_hash: str, code: str) -> str:
    # Keyed with the site's secret: six digits alone would fall to a search of a million.
    return salted_hmac("heedful.visits.code", f"{token_hash}:{code}").hexdigest()


def create(*, user: User, data: Mapping[str, Any]) -> Visit:
    """A visit planned: at ``account`` (an external id the user may see), who goes
    (``visitor``, a username), to whom it is announced (``contact``, an external id of the
    account), when, why and the work order (``VisitForm``'s fields)."""
    return records.create_with_form(VisitForm, user=user, data=data)


def create_at(*, user: User, account: Account, data: Mapping[str, Any]) -> Visit:
    """A visit planned from ``account``'s page (which names the account itself)."""
    return create(user=user, data={**data, "account": account.external_id})


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> Visit:  # noqa: A002
    """A person's change to a visit's plan (the API). The customer's page shows the visit as
    it now stands; the announcement already sent is not sent again."""
    return records.update_with_form(
        VisitForm, user=user, queryset=get_all(user=user), lookup={"pk": id}, changes=changes
    )


def set_photo(*, user: User, visit: Visit, content: bytes) -> None:
    """The visitor's photo, a JPEG or PNG of at most 2 MB, shown to the customer."""
    if len(content) > PHOTO_LIMIT_BYTES:
        raise InvalidInput("The photo is larger than 2 MB: choose a smaller one.")
    kind = next((kind for magic, kind in PHOTO_TYPES.items() if content.startswith(magic)), "")
    if not kind:
        raise InvalidInput("The photo must be a JPEG or PNG picture.")
    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(photo=content, photo_type=kind)
        audit.record(user=user, action="visit.photo", subject=audit.subject_of(visit), detail={})


@dataclass(frozen=True)
class Announcement:
    """What went to the customer, shown once to whoever announced it: the code and link
    cannot be shown again."""

    visit: Visit
    channel: str
    link: str
    code: str
    message: str
    sent_by_email: bool


def announcement_text(visit: Visit, link: str, code: str) -> str:
    visitor = visit.visitor.display_name
    return (
        f"Dear {visit.contact.address_as},\n\n"
        f"{visitor} ({visit.visitor_role}) will visit {visit.account.name} between "
        f"{words.format_moment(visit.window_start)} and {words.format_moment(visit.window_end)} "
        f"for work order {visit.work_order}: {visit.purpose}.\n\n"
        f"Before you let anyone in, check who is coming at {link} with the code {code}. "
        f"If in doubt, call us on {visit.our_phone}: that number is ours, not the visitor's.\n"
    )


def announce(*, user: User, visit: Visit, link_for: Any) -> Announcement:
    """Announce ``visit`` to its contact in their preferred channel: an e-mail (sent after
    the commit, recorded on the timeline) for e-mail people, otherwise a call or chat whose
    words the page shows to read out. A new token and code replace any earlier ones, so an
    earlier link stops working. ``link_for(token)`` makes the page's address."""
    token = secret_links.new_token()
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    token_hash = secret_links.token_hash(token)
    link = link_for(token)
    now = clock.now()
    with transaction.atomic():
        locked = Visit.objects.select_for_update().select_related(
            "account", "contact", "visitor"
        ).get(pk=visit.pk)
        if locked.window_end <= now:
            raise InvalidInput("This visit's window is over: plan a new visit instead.")
        contact = locked.contact
        channel = contact.preferred_channel or (Channel.EMAIL if contact.email else Channel.PHONE)
        if channel == Channel.EMAIL and not contact.email:
            channel = Channel.PHONE
        if contact.do_not_contact:
            raise InvalidInput(f"{contact.full_name} is not to be contacted: choose another "
                               "person to announce the visit to.")
        locked.token_hash, locked.code_hash = token_hash, _code_hash(token_hash, code)
        locked.announced_at, locked.announced_by, locked.wrong_codes = now, channel, 0
        locked.save(update_fields=[
            "token_hash", "code_hash", "announced_at", "announced_by", "wrong_codes",
        ])
        message = announcement_text(locked, link, code)
        late = "" if locked.is_announced_in_time() else " (late)"
        note = Interaction(
            account=locked.account, occurred_at=now, user=user,
            kind=CHANNEL_INTERACTION.get(channel, InteractionKind.CALL),
            direction=Direction.OUTBOUND,
            subject=f"Visit announced{late}: {locked.visitor.display_name}, work order "
            f"{locked.work_order}, {words.format_moment(locked.window_start)}"[:500],
            tags=";visit-announcement;",
        )
        note.full_clean()
        note.save()
        note.contacts.add(contact)
        records.tell_written(note)
        audit.record(user=user, action="visit.announce", subject=audit.subject_of(locked),
                     detail={"channel": channel, "in_time": locked.is_announced_in_time()})
        sent_by_email = channel == Channel.EMAIL
        if sent_by_email:
            email = EmailMessage(
                f"Visit on {words.format_day(locked.window_start)}: how to check it is us",
                message, settings.DEFAULT_FROM_EMAIL, [contact.email],
                reply_to=[user.email] if user.email else None,
            )
            transaction.on_commit(email.send, robust=True)
    return Announcement(visit=locked, channel=channel, link=link, code=code, message=message,
                        sent_by_email=sent_by_email)


# -- the customer's page -------------------------------------------------------------------


def verify(*, token: str, code: str, now: datetime | None = None) -> Visit:
    """The visit behind ``token`` when ``code`` is its code and the page is open; Refused
    otherwise, the same for every reason. Wrong codes are counted; past
    ``WRONG_CODES_ALLOWED`` even the right one is refused (a guesser learns nothing)."""
    now = now or clock.now()
    offered = secret_links.hash_of_offered(token)
    code = (code or "").strip().replace(" ", "")
    if offered is None:
        raise Refused(REFUSED)
    visit = Visit.objects.filter(token_hash=offered).select_related(
        "account", "visitor", "contact"
    ).first()
    if visit is None:
        raise Refused(REFUSED)
    right = constant_time_compare(_code_hash(offered, code), visit.code_hash)
    if not right:
        Visit.objects.filter(pk=visit.pk).update(wrong_codes=F("wrong_codes") + 1)
    if not right or visit.wrong_codes >= WRONG_CODES_ALLOWED or not visit.is_open(now):
        raise Refused(REFUSED)
    return visit


@dataclass(frozen=True)
class CustomerView:
    """All the customer's page shows: nothing internal, no other visit, no other account."""

    visitor_name: str
    visitor_role: str
    photo_data_url: str
    work_order: str
    purpose: str
    window_start: datetime
    window_end: datetime
    our_phone: str
    shows_visitor: bool
    takes_answer: bool
    answered: str


def customer_view(visit: Visit, now: datetime | None = None) -> CustomerView:
    now = now or clock.now()
    shows = visit.shows_visitor(now)
    photo = ""
    if shows and visit.photo:
        photo = f"data:{visit.photo_type};base64,{base64.b64encode(bytes(visit.photo)).decode()}"
    return CustomerView(
        visitor_name=visit.visitor.display_name if shows else "",
        visitor_role=visit.visitor_role if shows else "",
        photo_data_url=photo, work_order=visit.work_order,
        purpose=visit.purpose if shows else "",
        window_start=visit.window_start, window_end=visit.window_end,
        our_phone=visit.our_phone, shows_visitor=shows,
        takes_answer=visit.takes_answer(now) and not visit.happened,
        answered=visit.get_happened_display() if visit.happened else "",
    )


def customer_answers(*, token: str, code: str, happened: str, comment: str = "") -> Visit:
    """After the visit the customer says whether it happened as announced (once), recorded on
    the visit, in the audit log and as an inbound note on the account's timeline."""
    if happened not in HappenedAsAnnounced.values:
        raise InvalidInput("Say whether the visit happened as announced.")
    comment = comment.strip()[:2000]
    now = clock.now()
    with transaction.atomic():
        visit = verify(token=token, code=code, now=now)
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if not locked.takes_answer(now) or locked.happened:
            raise Refused(REFUSED)
        locked.happened, locked.customer_comment, locked.answered_at = happened, comment, now
        locked.save(update_fields=["happened", "customer_comment", "answered_at"])
        audit.record(user=None, action="visit.answered_by_customer",
                     subject=audit.subject_of(locked), detail={"happened": happened})
        words_of = HappenedAsAnnounced(happened).label
        note = Interaction(
            account=visit.account, occurred_at=now, kind=InteractionKind.NOTE,
            direction=Direction.INBOUND,
            subject=(f"{visit.contact.full_name} on visit {visit.work_order}: {words_of}"
                     + (f". Their comment: {comment}" if comment else ""))[:500],
            tags=";visit-verified;",
        )
        note.full_clean()
        note.save()
        note.contacts.add(visit.contact)
        records.tell_written(note)
    return locked
