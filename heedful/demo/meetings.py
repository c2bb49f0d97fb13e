"""The demo's meetings, written after the rest of the company (``company.write``).

- Every story account has one meeting held in the last two months, with its value for the
  customer, an agenda confirmed with them, a playback and action items (none overdue, so the
  ``meetings.*`` rules stay quiet there).
- Story 9: the CFO of Energia Adriatica and his interpreter. The briefing 64 days ago has a
  transcript (the interpreter speaks the CFO's words); the quarterly review in four days,
  held in Italian with an interpreter booked, is the one to prepare.
- Story 15: Brad's pitch meetings have transcripts in which he makes ten statements for
  every three questions: his question ratio over the last 30 days is 0.3.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from heedful.accounts.models import Account, Contact
from heedful.core.models import User
from heedful.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingStatus,
    RaisedBy,
)
from heedful.meetings.transcripts import store_transcript

if TYPE_CHECKING:  # the company builds its meetings last: it imports this module
    from heedful.demo.company import Plan

STORY_PLAYBACKS = {
    1: "Monthly voice bills are higher than they expected; they want a line-by-line review "
    "before the next invoice.",
    2: "Rich wants every follow-up by e-mail, with the contract terms in writing.",
    3: "They would welcome us on site to see the branch network we support.",
    4: "The new call centre needs more SIP capacity before it opens.",
    5: "Budget for maintenance is tight this year; they want options before the renewal.",
    6: "The SD-WAN rollout is their biggest project of the year; they need the branch "
    "schedule confirmed.",
    7: "Their branch strategy is under review; no new spending until it is decided.",
    8: "The service desk is busier than planned and they feel it in the response times.",
    10: "They would like to see our executive team more than once a year.",
    11: "The trading floor voice refresh went well; they are weighing the SOC extension.",
    13: "The engineers are happy; nobody from operations joined.",
    14: "Store openings in the spring will need installers and project management.",
}


@dataclass(frozen=True)
class Line:
    speaker: str
    seconds: int
    text: str


def build_meetings(plan: "Plan") -> None:
    accounts = {account.external_id: account for account in plan.accounts}
    contacts_of: dict[int, list[Contact]] = {}
    for contact in plan.contacts:
        contacts_of.setdefault(contact.account_id, []).append(contact)
    for number, playback in STORY_PLAYBACKS.items():
        account = accounts[f"ACC-{10000 + number}"]
        _past_meeting(plan, account, contacts_of[account.pk], playback, days_ago=20 + number * 3)
    _story_9(plan, accounts["ACC-10009"], contacts_of[accounts["ACC-10009"].pk])
    _story_15(plan, contacts_of)


def _key_contact(contacts: Sequence[Contact]) -> Contact:
    return next((contact for contact in contacts if contact.is_key), contacts[0])


def _meeting(
    account: Account, *, title: str, start: datetime, minutes: int, owner: User,
    contacts: Sequence[Contact], held: bool, late_minutes: int = 0, **fields: str,
) -> Meeting:
    end = start + timedelta(minutes=minutes)
    meeting = Meeting.objects.create(
        account=account, title=title, scheduled_start=start, scheduled_end=end,
        status=MeetingStatus.HELD if held else MeetingStatus.SCHEDULED,
        actual_start=start + timedelta(minutes=late_minutes) if held else None,
        actual_end=end if held else None, organizer=owner, **fields,
    )
    Attendee.objects.create(meeting=meeting, user=owner, role=AttendeeRole.ORGANIZER)
    for contact in contacts:
        Attendee.objects.create(meeting=meeting, contact=contact)
    return meeting


def _past_meeting(
    plan: "Plan", account: Account, contacts: list[Contact], playback: str, *, days_ago: int
) -> None:
    owner = account.owner
    assert owner is not None, "every story account has an owner"
    contact = _key_contact(contacts)
    meeting = _meeting(
        account, title=f"Account review with {account.name}", minutes=45,
        start=plan.moment(days_ago, 15), owner=owner, contacts=[contact], held=True,
        location="Video call", objective="Review the last quarter and what comes next.",
        customer_value="A clear picture of their service and spend, and answers to their "
        "open questions.",
        notes="Went through the service figures first, then their questions.",
        playback_summary=playback,
    )
    for position, (topic, raised_by) in enumerate(
        (("Their open questions", RaisedBy.CUSTOMER), ("Service figures", RaisedBy.US),
         ("What comes next", RaisedBy.US))
    ):
        AgendaItem.objects.create(meeting=meeting, position=position, topic=topic,
                                  raised_by=raised_by, confirmed_with_customer=True)
    ActionItem.objects.create(
        meeting=meeting, what="Send the summary and the figures we showed", user=owner,
        due_on=plan.day(days_ago - 2), status=ActionStatus.DONE,
        done_at=plan.moment(days_ago - 1, 11),
    )
    ActionItem.objects.create(
        meeting=meeting, what="Confirm who joins the next review", contact=contact,
        due_on=plan.day(-14),
    )
    meeting.follow_up_sent_at = plan.moment(days_ago - 1, 11)
    meeting.save(update_fields=["follow_up_sent_at"])


def _story_9(plan: "Plan", account: Account, contacts: list[Contact]) -> None:
    rep = plan.users["rep"]
    cfo = next(contact for contact in contacts if contact.full_name == "Vittorio Sant'Angelo")
    briefing = _meeting(
        account, title="Executive briefing with the CFO", minutes=60,
        start=plan.moment(64, 9, 30), owner=rep, contacts=[cfo], held=True, late_minutes=4,
        location="Energia Adriatica, Via Manzoni 12, Milano", language="Italian",
        objective="Understand the CFO's priorities for the network budget.",
        customer_value="A plan to cut their telecom spend across 40 sites, in their words "
        "and their language.",
        playback_summary="The CFO wants one invoice for all 40 sites and a saving he can "
        "show the board by June.",
    )
    Attendee.objects.create(meeting=briefing, name="Giulia Ferri", role=AttendeeRole.INTERPRETER)
    ActionItem.objects.create(
        meeting=briefing, what="Send the consolidated-invoice proposal, in Italian", user=rep,
        due_on=plan.day(50), status=ActionStatus.DONE, done_at=plan.moment(52, 16),
    )
    ActionItem.objects.create(
        meeting=briefing, what="Share the list of the 40 sites and their contracts", contact=cfo,
        due_on=plan.day(-10),
    )
    store_transcript(user=rep, meeting=briefing, file_name="briefing-cfo.vtt",
                     content=_vtt(BRIEFING_9))
    review = _meeting(
        account, title="Quarterly review with the CFO", minutes=60,
        start=plan.moment(-4, 9, 30), owner=rep, contacts=[cfo], held=False,
        location="Energia Adriatica, Via Manzoni 12, Milano", language="Italian",
        objective="Agree the consolidated invoice and the savings to show the board.",
        customer_value="The saving the CFO promised his board, in figures he can present.",
    )
    Attendee.objects.create(meeting=review, name="Giulia Ferri", role=AttendeeRole.INTERPRETER)
    for position, (topic, raised_by) in enumerate(
        (("The sites missing from the consolidated invoice", RaisedBy.CUSTOMER),
         ("Savings to date, site by site", RaisedBy.US))
    ):
        AgendaItem.objects.create(meeting=review, position=position, topic=topic,
                                  raised_by=raised_by)


def _story_15(plan: "Plan", contacts_of: dict[int, list[Contact]]) -> None:
    brad = plan.users["brad"]
    pitches = sorted(
        (i for i in plan.interactions if i.user is brad and i.subject.startswith("Pitch: ")),
        key=lambda interaction: interaction.occurred_at, reverse=True,
    )
    for interaction in pitches:
        account = interaction.account
        contact = _key_contact(contacts_of[account.pk])
        product = interaction.subject.removeprefix("Pitch: ")
        start = interaction.occurred_at
        meeting = _meeting(
            account, title=interaction.subject, minutes=30, start=start, owner=brad,
            contacts=[contact], held=True, late_minutes=6, location="Video call",
            objective=f"Present {product}.",
            customer_value="",  # Brad never says what the customer gains: the pitch is the point
            playback_summary=f"Presented {product}; they will think about it.",
        )
        ActionItem.objects.create(
            meeting=meeting, what=f"Send the {product} brochure", user=brad,
            due_on=start.date() + timedelta(days=2), status=ActionStatus.DONE,
            done_at=start + timedelta(days=1),
        )
        store_transcript(user=brad, meeting=meeting, file_name="pitch.vtt",
                         content=_vtt(_pitch(brad.full_name, contact.full_name, product)))


def _vtt(lines: Sequence[Line]) -> str:
    """A WebVTT file of ``lines`` one after the other, each with its speaker's voice tag."""
    cues = ["WEBVTT", ""]
    clock = 0
    for line in lines:
        start, clock = clock, clock + line.seconds
        cues += [f"{_stamp(start)} --> {_stamp(clock)}", f"<v {line.speaker}>{line.text}", ""]
        clock += 1  # a breath between cues
    return "\n".join(cues)


def _stamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


ALEX, VITTORIO, GIULIA = "Alex Rivera", "Vittorio Sant'Angelo", "Giulia Ferri"
BRIEFING_9 = (
    Line(ALEX, 8, "Buongiorno, Dottor Sant'Angelo. Thank you for receiving us."),
    Line(ALEX, 9, "Before we begin, what would make this hour worth your time?"),
    Line(VITTORIO, 14, "Vorrei capire perché paghiamo quaranta fatture diverse."),
    Line(GIULIA, 10, "He would like to understand why they pay forty different invoices."),
    Line(ALEX, 8, "Which of those invoices cause the most work for your team?"),
    Line(VITTORIO, 22, "Le sedi del sud. Ogni mese qualcuno deve controllare tutto a mano."),
    Line(GIULIA, 12, "The southern sites. Every month someone checks everything by hand."),
    Line(ALEX, 7, "How many people does that take, and for how long?"),
    Line(VITTORIO, 16, "Due persone, tre giorni al mese."),
    Line(GIULIA, 8, "Two people, three days a month."),
    Line(ALEX, 9, "What would the board want to see by June?"),
    Line(VITTORIO, 25, "Un risparmio chiaro, e una sola fattura. Il consiglio non vuole "
         "sorprese."),
    Line(GIULIA, 14, "A clear saving, and a single invoice. The board does not want "
         "surprises."),
    Line(ALEX, 12, "Then let me play back what I heard. One invoice for all forty sites, "
         "and a saving you can show the board by June."),
    Line(ALEX, 6, "Did I get that right?"),
    Line(VITTORIO, 6, "Sì, esatto."),
    Line(GIULIA, 4, "Yes, exactly."),
    Line(ALEX, 11, "I'll send the consolidated-invoice proposal in Italian by Friday."),
    Line(ALEX, 7, "Could you share the list of the forty sites and their contracts?"),
    Line(VITTORIO, 8, "Certo, la mando la settimana prossima."),
    Line(GIULIA, 6, "Of course, he will send it next week."),
)


def _pitch(brad: str, customer: str, product: str) -> list[Line]:
    """Ten statements and three questions from Brad; the customer gets a word in now and
    then."""
    return [
        Line(brad, 12, f"Thanks for the time. Today I want to show you {product}."),
        Line(brad, 15, "It is the most complete offer on the market. Customers love it."),
        Line(brad, 14, "Let me walk you through the features, and there are a lot of them."),
        Line(customer, 6, "We mostly worry about the outages last month."),
        Line(brad, 18, "Sure, the new release fixes all of that."),
        Line(brad, 6, "Have you seen the dashboard?"),
        Line(brad, 20, "It shows every site at a glance, and it is really something."),
        Line(customer, 5, "Can it work with what we have?"),
        Line(brad, 14, "Absolutely. Pricing is very competitive this quarter."),
        Line(brad, 5, "Shall I send you the brochure?"),
        Line(customer, 4, "Yes, please."),
        Line(brad, 8, "Great. Any other questions?"),
    ]
