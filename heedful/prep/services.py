"""The prep brief of one meeting: the people coming and how to address them, the customer's
service data first (good and bad), then billing, contracts, adverse changes, open plays,
open action items and recent interactions, and a suggested agenda that puts the customer's
open issues before our own topics.

It reads the Account 360 (``account360.services.get_account_360``), which already computes
the SLA status, marked bills, renewals and plays by the rules' own thresholds, and adds what
is particular to a meeting. Every fact is worded here or by the template filters
(``heedful.lib.words``): money with its currency, one date format, people by name.
"""

from dataclasses import dataclass
from datetime import date

from heedful.account360.services import Account360, InvoiceLine, get_account_360
from heedful.accounts.models import Contact
from heedful.core.models import User
from heedful.lib import words
from heedful.meetings import services as meetings_services
from heedful.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    AttendeeRole,
    Meeting,
    RaisedBy,
)
from heedful.support.models import ServiceMetric, Ticket


@dataclass(frozen=True)
class Person:
    """One attendee as the brief shows them."""

    attendee: Attendee
    contact: Contact | None
    user: User | None
    name_to_use: str
    full_name: str
    is_interpreter: bool

    @property
    def is_customer(self) -> bool:
        return self.contact is not None


@dataclass(frozen=True)
class Fact:
    """One line of the customer's data, worded, marked good or bad."""

    text: str
    is_good: bool = False
    is_bad: bool = False


@dataclass(frozen=True)
class Topic:
    """A line of the suggested agenda."""

    text: str
    why: str
    is_theirs: bool


@dataclass(frozen=True)
class PrepBrief:
    meeting: Meeting
    as_of: date
    overview: Account360
    customers: list[Person]
    ours: list[Person]
    others: list[Person]
    interpreters: list[Person]
    languages: list[str]
    """The customer attendees' languages other than the meeting's, by name."""
    service: list[Fact]
    """SLA metrics met and missed in the latest month, scope overruns, open tickets."""
    billing: list[Fact]
    dates: list[Fact]
    """Contract and maintenance ends ahead."""
    adverse: list[Fact]
    open_action_items: list[ActionItem]
    agenda: list[Topic]


def _person(attendee: Attendee) -> Person:
    contact, user = attendee.contact, attendee.user
    if contact is not None:
        name_to_use, full_name = contact.address_as, contact.full_name
    elif user is not None:
        name_to_use = full_name = user.display_name
    else:
        name_to_use = full_name = attendee.name or attendee.email
    return Person(
        attendee=attendee, contact=contact, user=user, name_to_use=name_to_use,
        full_name=full_name, is_interpreter=attendee.role == AttendeeRole.INTERPRETER,
    )


def _number(value: object) -> str:
    return words.format_number(value)  # type: ignore[arg-type]


def _metric_fact(metric: ServiceMetric) -> Fact:
    better = "at least" if metric.higher_is_better else "at most"
    verdict = "met" if metric.met_target else "missed"
    return Fact(
        text=f"{metric.metric}, {words.format_month(metric.period)}: {_number(metric.actual)} "
        f"against a target of {better} {_number(metric.target)}: {verdict}",
        is_good=metric.met_target, is_bad=not metric.met_target,
    )


def _ticket_fact(ticket: Ticket, as_of: date) -> Fact:
    age = (as_of - words.parse_day(ticket.opened_at)).days if ticket.opened_at else 0  # type: ignore[operator]
    who = f", reported by {ticket.contact.full_name}" if ticket.contact else ""
    return Fact(
        text=f"Open ticket, severity {ticket.severity}: {ticket.subject or ticket.external_id} "
        f"(opened {words.format_day(ticket.opened_at)}, {words.format_days(max(age, 0))} ago{who})",
        is_bad=True,
    )


def _bill_fact(line: InvoiceLine) -> Fact:
    invoice = line.invoice
    contracted = (
        f" against a contracted {words.format_money(line.contracted_amount, invoice.currency)}"
        if line.contracted_amount is not None else ""
    )
    return Fact(
        text=f"Bill for {words.format_month(invoice.period_start)}: "
        f"{words.format_money(invoice.amount, invoice.currency)}{contracted}",
        is_bad=True,
    )


def _service_facts(overview: Account360, as_of: date) -> list[Fact]:
    facts: list[Fact] = []
    if overview.sla_status is not None:
        latest = overview.sla_status.period
        for metric in overview.service_metrics:
            if metric.period == latest:
                facts.append(_metric_fact(metric))
    for line in overview.scope_lines:
        if line.is_overrun and line.record.period == max(
            other.record.period for other in overview.scope_lines
        ):
            record = line.record
            facts.append(Fact(
                text=f"{record.function}, {words.format_month(record.period)}: "
                f"{_number(record.delivered_quantity)} delivered against "
                f"{_number(record.contracted_quantity)} contracted",
                is_bad=True,
            ))
    facts += [_ticket_fact(ticket, as_of) for ticket in overview.tickets if ticket.is_open]
    # Bad news first within the section, then the good.
    return sorted(facts, key=lambda fact: not fact.is_bad)


def _billing_facts(overview: Account360) -> list[Fact]:
    facts = [_bill_fact(line) for line in overview.invoices if line.differs_from_contract]
    for line in overview.invoices:
        for dispute in line.invoice.disputes.all():
            if dispute.status == "open":
                amount = (
                    f" of {words.format_money(dispute.amount, line.invoice.currency)}"
                    if dispute.amount is not None else ""
                )
                facts.append(Fact(
                    text=f"Open dispute{amount} on invoice {line.invoice.invoice_number}, "
                    f"since {words.format_day(dispute.opened_on)}",
                    is_bad=True,
                ))
    return facts


def _date_facts(overview: Account360) -> list[Fact]:
    facts = []
    for contract in overview.contracts:
        if contract.days_left < 0:
            continue
        notice = (
            f"; notice by {words.format_day(contract.notice_by)}" if contract.notice_by else ""
        )
        facts.append(Fact(
            text=f"Contract {contract.contract.name} ends "
            f"{words.format_day(contract.contract.end_date)}, "
            f"in {words.format_days(contract.days_left)}{notice}",
            is_bad=contract.is_ending,
        ))
    for holding in overview.holdings:
        end = holding.holding.maintenance_end
        days_left = holding.maintenance_days_left
        if end is None or days_left is None or days_left < 0:
            continue
        tier = holding.holding.get_maintenance_tier_display()
        facts.append(Fact(
            text=f"Maintenance ({tier}) of {holding.holding.product.name} ends "
            f"{words.format_day(end)}, in {words.format_days(days_left)}",
            is_bad=holding.is_ending,
        ))
    return facts


def _adverse_facts(overview: Account360) -> list[Fact]:
    return [
        Fact(
            text=f"{line.change.get_kind_display()} from "
            f"{words.format_day(line.change.effective_on)}"
            + (f": {line.change.summary}" if line.change.summary else "")
            + ". Tell them in person, first.",
            is_bad=True,
        )
        for line in overview.adverse_changes
    ]


def _suggested_agenda(
    overview: Account360, agenda: list[AgendaItem], billing: list[Fact], adverse: list[Fact],
    open_items: list[ActionItem],
) -> list[Topic]:
    """Their open issues first (what hurts them: open tickets, missed targets, bills that
    differ, overdue commitments of ours), then the topics they raised, then ours."""
    topics: list[Topic] = []
    for ticket in overview.tickets:
        if ticket.is_open:
            topics.append(Topic(
                text=f"Where we are on “{ticket.subject or ticket.external_id}”",
                why=f"open ticket, severity {ticket.severity}", is_theirs=True,
            ))
    if overview.sla_status is not None and overview.sla_status.missed:
        topics.append(Topic(
            text=f"The targets missed in {overview.sla_status.month}: "
            f"{', '.join(overview.sla_status.missed)}, and what we are doing about them",
            why="service data, shown first", is_theirs=True,
        ))
    if billing:
        topics.append(Topic(
            text="The bills that differ from the contract", why=billing[0].text, is_theirs=True,
        ))
    ours_open = [item for item in open_items if not item.is_customers]
    if ours_open:
        topics.append(Topic(
            text="What we promised last time and where it stands",
            why=f"{len(ours_open)} open action item{'s' if len(ours_open) != 1 else ''} of ours",
            is_theirs=True,
        ))
    for fact in adverse:
        topics.append(Topic(text=fact.text.removesuffix(" Tell them in person, first."),
                            why="news they should hear from us", is_theirs=True))
    topics += [
        Topic(text=item.topic, why="their topic", is_theirs=True)
        for item in agenda if item.raised_by == RaisedBy.CUSTOMER
    ]
    topics += [
        Topic(text=item.topic, why="our topic", is_theirs=False)
        for item in agenda if item.raised_by != RaisedBy.CUSTOMER
    ]
    return topics


def get_prep_brief(*, meeting: Meeting, as_of: date) -> PrepBrief:
    overview = get_account_360(account=meeting.account, as_of=as_of)
    people = [_person(attendee) for attendee in meetings_services.get_attendees(meeting=meeting)]
    customers = [person for person in people if person.is_customer]
    meeting_language = meeting.language.strip().lower()
    languages = sorted({
        person.contact.language for person in customers
        if person.contact and person.contact.language
        and person.contact.language.strip().lower() != meeting_language
    })
    open_items = list(
        ActionItem.objects.filter(meeting__account=meeting.account, status=ActionStatus.OPEN)
        .select_related("user", "contact", "meeting")
        .order_by("due_on", "pk")
    )
    billing = _billing_facts(overview)
    adverse = _adverse_facts(overview)
    return PrepBrief(
        meeting=meeting,
        as_of=as_of,
        overview=overview,
        customers=customers,
        ours=[person for person in people if person.user is not None],
        others=[
            person for person in people
            if person.contact is None and person.user is None and not person.is_interpreter
        ],
        interpreters=[person for person in people if person.is_interpreter],
        languages=languages,
        service=_service_facts(overview, as_of),
        billing=billing,
        dates=_date_facts(overview),
        adverse=adverse,
        open_action_items=open_items,
        agenda=_suggested_agenda(
            overview, meetings_services.get_agenda(meeting=meeting), billing, adverse, open_items
        ),
    )
