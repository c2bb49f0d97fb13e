"""Whom to reach about a play: the customer's people it names, else its account's key contacts,
each with how they want to be reached.

Set-based for any number of plays: three queries at most (the contacts the plays name, the
people who reported the tickets they are about, the key contacts of their accounts), whatever
the number of plays or accounts. The caller passes only plays it may show (their accounts'
contacts are then visible to the user too).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from heedful.accounts.models import Channel, Contact, ContactRoleType
from heedful.plays.models import Play
from heedful.support.models import Ticket

KEY_CONTACTS_SHOWN = 3
"""How many key contacts a play that names nobody offers."""

NAMED = "named"
REPORTED = "reported"
KEY_CONTACT = "key contact"


@dataclass(frozen=True)
class PersonToReach:
    contact: Contact
    why: str
    """``NAMED`` (the play is about them), ``REPORTED`` (they opened the ticket the play is
    about) or ``KEY_CONTACT`` (the play names nobody: the account's key people)."""

    @property
    def may_be_contacted(self) -> bool:
        return not self.contact.do_not_contact

    @property
    def prefers_email(self) -> bool:
        return self.contact.preferred_channel == Channel.EMAIL

    @property
    def calls_first(self) -> bool:
        """A phone link leads: they prefer the phone, or named no channel and have a number."""
        if not self.contact.phone or self.prefers_email:
            return False
        return self.contact.preferred_channel != "" or not self.contact.email

    @property
    def why_words(self) -> str:
        return {NAMED: "this play is about them", REPORTED: "reported the ticket",
                KEY_CONTACT: "key contact"}[self.why]


def _record_ids(value: Any) -> Iterable[str]:
    """Every text in a fact (lists and objects walked), as a candidate record id."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _record_ids(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _record_ids(item)


def _subject_id(play: Play, kind: str) -> str:
    prefix = f"{kind}:"
    return play.subject.removeprefix(prefix) if play.subject.startswith(prefix) else ""


ROLE_ORDER: dict[str, int] = {
    ContactRoleType.EXECUTIVE: 0, ContactRoleType.BUSINESS: 1, ContactRoleType.PROCUREMENT: 2,
    ContactRoleType.TECHNICAL: 3,
}


def get_people_to_reach(plays: Sequence[Play]) -> dict[int, list[PersonToReach]]:
    """For each play (by id): the contacts its subject or facts name (e.g. the cold key contact,
    the people a grouped play lists), the person who reported the ticket it is about, and,
    when it names nobody, up to ``KEY_CONTACTS_SHOWN`` key contacts of its account who may be
    contacted (executives and business people first). Contacts marked "do not contact" are
    listed only when the play names them, so the person sees why not to call."""
    if not plays:
        return {}
    account_ids = {play.account_id for play in plays}
    candidates: dict[int, set[str]] = {
        play.pk: {_subject_id(play, "contact"), *_record_ids(play.facts)} - {""} for play in plays
    }
    wanted = set().union(*candidates.values())
    named: dict[tuple[int, str], Contact] = {}
    if wanted:
        # Short texts only: record ids are short, and facts also hold sentences.
        wanted = {text for text in wanted if len(text) <= 64}
        for contact in Contact.objects.filter(account_id__in=account_ids, external_id__in=wanted):
            named[(contact.account_id, contact.external_id)] = contact
    tickets = {play.pk: _subject_id(play, "ticket") for play in plays}
    reporters: dict[str, Contact] = {}
    if any(tickets.values()):
        for ticket in (
            Ticket.objects.filter(
                account_id__in=account_ids, external_id__in={t for t in tickets.values() if t},
                contact__isnull=False,
            ).select_related("contact")
        ):
            assert ticket.contact is not None
            reporters[ticket.external_id] = ticket.contact
    answer: dict[int, list[PersonToReach]] = {}
    for play in plays:
        people = [
            PersonToReach(contact=named[(play.account_id, text)], why=NAMED)
            for text in sorted(candidates[play.pk]) if (play.account_id, text) in named
        ]
        reporter = reporters.get(tickets[play.pk])
        if reporter is not None and all(person.contact.pk != reporter.pk for person in people):
            people.append(PersonToReach(contact=reporter, why=REPORTED))
        answer[play.pk] = people
    nobody_named = {play.account_id for play in plays if not answer[play.pk]}
    if nobody_named:
        key_contacts: dict[int, list[Contact]] = {}
        for contact in Contact.objects.filter(
            account_id__in=nobody_named, is_key=True, do_not_contact=False,
        ).order_by("account_id", "full_name"):
            key_contacts.setdefault(contact.account_id, []).append(contact)
        for contacts in key_contacts.values():
            contacts.sort(key=lambda contact: ROLE_ORDER.get(contact.role_type, 9))
        for play in plays:
            if not answer[play.pk]:
                answer[play.pk] = [
                    PersonToReach(contact=contact, why=KEY_CONTACT)
                    for contact in key_contacts.get(play.account_id, [])[:KEY_CONTACTS_SHOWN]
                ]
    return answer
