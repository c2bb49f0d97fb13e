"""Which account a meeting is with, and which deals it serves, from its attendees' e-mails.

An address names an account in one of two ways, the first winning:

1. it is the address of one of the account's contacts;
2. its domain (or a domain below it: ``eu.acme.com`` under ``acme.com``) is the domain of
   the account's website, the scheme, ``www.``, a port and a path ignored.

Our own users' addresses never count, whatever their domain. When several accounts are
named, the one named by the most attendees wins; a tie goes to the account named first in
the order of the invitation (the organizer, then the attendees as listed), so that the same
invitation always links the same way.

The lookups are set-based: ``Directory.of`` reads every address of a whole calendar import
in three queries (users, contacts, accounts by website), and ``open_opportunities`` reads
the deals of every meeting of the import in one.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.functions import Lower

from heedful.accounts.models import Account, Contact
from heedful.core.models import User
from heedful.sales.models import Opportunity


def normalize_email(address: str) -> str:
    """``MAILTO:Ana@Acme.com`` → ``ana@acme.com``; "" when it is no address."""
    text = (address or "").strip().strip('"').strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    text = text.strip().strip('"').strip().lower()
    return text if "@" in text else ""


def domain_of_email(address: str) -> str:
    return address.rpartition("@")[2]


def domain_of_website(website: str) -> str:
    """``https://www.Acme.com:443/about`` → ``acme.com``; "" for an empty website."""
    text = (website or "").strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rpartition("@")[2].split(":", 1)[0].strip(".")
    return text.removeprefix("www.")


def _domains_covering(domain: str) -> list[str]:
    """``eu.acme.com`` → ``["eu.acme.com", "acme.com"]`` (never a bare top-level domain)."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels) - 1)]


@dataclass(frozen=True)
class KnownContact:
    id: int
    account_id: int


@dataclass
class Directory:
    """Who the addresses of one import are: our users, the customers' contacts, and the
    accounts whose website has each domain."""

    user_ids: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, KnownContact] = field(default_factory=dict)
    accounts_by_domain: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, addresses: Iterable[str]) -> "Directory":
        emails = {normalize_email(address) for address in addresses} - {""}
        if not emails:
            return cls()
        user_ids = dict(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .order_by("pk")
            .values_list("address", "pk")
        )
        contacts: dict[str, KnownContact] = {}
        # Two contacts with one address: the older record names it (a stable choice).
        for email, contact_id, account_id in (
            Contact.objects.filter(email__in=emails - set(user_ids))
            .order_by("-pk")
            .values_list("email", "pk", "account_id")
        ):
            contacts[email] = KnownContact(contact_id, account_id)
        domains = {
            covering
            for email in emails - set(user_ids) - set(contacts)
            for covering in _domains_covering(domain_of_email(email))
        }
        accounts_by_domain: dict[str, list[int]] = {}
        if domains:
            # One query: every account whose website mentions one of the domains; the exact
            # domain is compared here, where "acme.com" must not match "notacme.com".
            mentions = reduce(or_, (Q(website__icontains=domain) for domain in domains))
            for account_id, website in (
                Account.objects.filter(mentions).order_by("pk").values_list("pk", "website")
            ):
                domain = domain_of_website(website)
                if domain in domains:
                    accounts_by_domain.setdefault(domain, []).append(account_id)
        return cls(user_ids, contacts, accounts_by_domain)

    def user_id(self, address: str) -> int | None:
        return self.user_ids.get(normalize_email(address))

    def contact(self, address: str) -> KnownContact | None:
        email = normalize_email(address)
        if email in self.user_ids:
            return None
        return self.contacts.get(email)

    def account_for(self, addresses: Sequence[str]) -> int | None:
        """The account of a meeting whose people have ``addresses`` (organizer first, then
        the attendees in the invitation's order); None when none names an account."""
        emails = [normalize_email(address) for address in addresses]
        emails = [email for email in emails if email and email not in self.user_ids]
        by_contact = [self.contacts[email].account_id for email in emails if email in self.contacts]
        if by_contact:
            return _most_named(by_contact)
        by_domain: list[int] = []
        for email in emails:
            for domain in _domains_covering(domain_of_email(email)):
                if domain in self.accounts_by_domain:
                    by_domain.extend(self.accounts_by_domain[domain])
                    break
        return _most_named(by_domain) if by_domain else None


def _most_named(account_ids: list[int]) -> int:
    """The account named most often; on a tie, the one named first."""
    counts = Counter(account_ids)
    most = max(counts.values())
    return next(account_id for account_id in account_ids if counts[account_id] == most)


def open_opportunities(
    meetings: Iterable[tuple[int, date]],
) -> dict[tuple[int, date], list[Opportunity]]:
    """The deals open on each ``(account id, date)``: created on or before the date (or of
    unknown creation) and not closed before it (a deal closed that very day still counts: the
    meeting may be where it closed). One query for all of them."""
    wanted = set(meetings)
    answer: dict[tuple[int, date], list[Opportunity]] = {pair: [] for pair in wanted}
    if not wanted:
        return answer
    first = min(day for _, day in wanted)
    last = max(day for _, day in wanted)
    candidates = (
        Opportunity.objects.filter(account_id__in={account_id for account_id, _ in wanted})
        .filter(Q(created_on__isnull=True) | Q(created_on__lte=last))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .order_by("pk")
    )
    by_account: dict[int, list[Opportunity]] = {}
    for opportunity in candidates:
        by_account.setdefault(opportunity.account_id, []).append(opportunity)
    for account_id, day in wanted:
        answer[(account_id, day)] = [
            opportunity for opportunity in by_account.get(account_id, [])
            if (opportunity.created_on is None or opportunity.created_on <= day)
            and (opportunity.closed_on is None or opportunity.closed_on >= day)
        ]
    return answer
