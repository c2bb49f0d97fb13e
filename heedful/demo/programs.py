"""The demo's customer programmes, written after the rest of the company.

- Who works where: the sales team, customer success in support, solutions engineers in
  engineering, and three senior leaders beside the executive: Ravi Patel (engineering)
  sponsors two customers and has visited one; Felix Moreau (finance) sponsors one he last
  saw 200 days ago; Ingrid Holm (product) sponsors nobody yet. Catherine Duval asked to be
  taken to a large customer nobody sponsors.
- A focus group on the voice platform 18 days ago: key contacts of customers owning Voice
  invited, four came, one registered and did not (a follow-up play), one declined; what
  they said, by theme and product family.
- An engineering visit to Ours Telecom's neighbour in story 4 (phones cut off), announced in
  time in the contact's channel and confirmed by the customer afterwards; another one ahead.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from heedful.accounts.models import Account, Contact, TeamMembership, TeamRole
from heedful.catalog.models import ProductFamily
from heedful.core.models import User
from heedful.demo.vocabulary import VENDOR_DOMAIN
from heedful.events.models import (
    Event,
    EventFormat,
    FeedbackItem,
    FeedbackTheme,
    Invitation,
    InvitationStatus,
)
from heedful.interactions.models import Interaction, normalize_tags
from heedful.lib import secret_links
from heedful.programs.models import JoinRequest, SharedPraise
from heedful.visits.models import HappenedAsAnnounced, Visit

if TYPE_CHECKING:
    from heedful.demo.company import Plan

# username → (department, title, senior)
WHO_WORKS_WHERE = {
    "admin": ("finance", "Finance and operations", False),
    "executive": ("leadership", "Chief Executive", True),
    "manager": ("sales", "Sales Director", False),
    "priya": ("sales", "Sales Director", False),
    "tomasz": ("sales", "Sales Director", False),
    "sofia": ("support", "Customer Success Manager", False),
    "yuki": ("support", "Customer Success Manager", False),
    "amara": ("support", "Customer Success Manager", False),
    "hannah": ("engineering", "Solutions Engineer", False),
    "kwame": ("engineering", "Solutions Engineer", False),
    "oliver": ("engineering", "Solutions Engineer", False),
}
# username, full name, role, department, title, days employed
NEW_LEADERS = (
    ("ravi", "Ravi Patel", "executive", "engineering", "VP Engineering", 2100),
    ("felix", "Felix Moreau", "executive", "finance", "Chief Financial Officer", 1800),
    ("ingrid", "Ingrid Holm", "executive", "product", "Head of Product", 1500),
)
SAID = (
    (FeedbackTheme.PROBLEM, "Voice", "Calls drop when the branch link fails over; nobody "
     "notices until customers complain."),
    (FeedbackTheme.PROBLEM, "Cloud Contact Centre", "Our agents cannot see a caller's open "
     "ticket while they talk to them."),
    (FeedbackTheme.DOES_WELL, "Voice", "Number porting was the smoothest we have had with "
     "any carrier."),
    (FeedbackTheme.NEEDS, "Voice", "Call recordings we can search by customer, kept for "
     "seven years."),
    (FeedbackTheme.NEEDS, "", "One bill for every site instead of forty."),
)


def _log(plan: "Plan", account: Account, *, days_ago: int, hour: int, kind: str,
         user: User | None, subject: str, contacts: list[Contact], tags: list[str],
         direction: str = "two_way") -> None:
    moment = plan.moment(days_ago, hour)
    interaction = Interaction(account=account, occurred_at=moment, kind=kind, user=user,
                              direction=direction, subject=subject, tags=normalize_tags(tags))
    interaction.save()
    interaction.contacts.add(*contacts)


def build_programs(plan: "Plan") -> None:
    users = plan.users
    for username, (department, title, senior) in WHO_WORKS_WHERE.items():
        User.objects.filter(username=username).update(
            department=department, title=title, is_senior=senior
        )
        users[username].department, users[username].title = department, title
    for username, full_name, role, department, title, days in NEW_LEADERS:
        leader = User(
            username=username, full_name=full_name, role=role, department=department,
            title=title, is_senior=True, first_name=full_name.split(" ")[0],
            last_name=full_name.split(" ", 1)[1], email=f"{username}@{VENDOR_DOMAIN}",
            password=users["admin"].password, start_date=plan.day(days),
            date_joined=plan.moment(days, 9),
        )
        leader.save()
        users[username] = leader
    User.objects.filter(department="", is_active=True).exclude(
        username__in=[name for name, *_ in NEW_LEADERS]
    ).update(department="sales")

    sponsored = TeamMembership.objects.active(plan.as_of).filter(
        role=TeamRole.EXECUTIVE_SPONSOR).values("account_id")
    unsponsored = list(
        Account.objects.filter(segment="enterprise", status="customer")
        .exclude(pk__in=sponsored).exclude(external_id__startswith="ACC-100")
        .order_by("external_id")[:4]
    )
    ravi, felix = users["ravi"], users["felix"]
    for account, sponsor, since in ((unsponsored[0], ravi, 400), (unsponsored[1], ravi, 380),
                                    (unsponsored[2], felix, 300)):
        TeamMembership.objects.create(account=account, user=sponsor,
                                      role=TeamRole.EXECUTIVE_SPONSOR, start_date=plan.day(since))
    key = {account.pk: list(account.contacts.filter(is_key=True)[:1]) for account in unsponsored}
    _log(plan, unsponsored[0], days_ago=30, hour=10, kind="visit", user=ravi,
         subject="Sponsor visit: their network team wants failover tested every quarter",
         contacts=key[unsponsored[0].pk], tags=["executive"])
    _log(plan, unsponsored[2], days_ago=200, hour=11, kind="meeting", user=felix,
         subject="Sponsor lunch: they want one bill for all their sites",
         contacts=key[unsponsored[2].pk], tags=["executive"])
    JoinRequest.objects.create(
        account=unsponsored[3], leader=users["executive"], asked_at=plan.moment(3, 9),
        note="How our service feels to them since the network refresh",
    )
    _focus_group(plan)
    _engineering_visit(plan)
    _praise_in_public(plan)


def _focus_group(plan: "Plan") -> None:
    users = plan.users
    voice = ProductFamily.objects.get(name="Voice")
    families = {family.name: family for family in ProductFamily.objects.all()}
    event = Event.objects.create(
        topic="Voice platform focus group: what breaks, what works", format=EventFormat.IN_PERSON,
        starts_at=plan.moment(18, 14), ends_at=plan.moment(18, 16),
        location="Our offices, 200 Market Street, San Francisco", family=voice,
        host=users["ingrid"], created_at=plan.moment(45, 9),
        attendance_recorded_at=plan.moment(17, 9),
    )
    candidates = list(
        Contact.objects.filter(
            is_key=True, do_not_contact=False, account__status="customer",
            account__holdings__product__family=voice,
        ).exclude(email="").exclude(account__external_id__startswith="ACC-100")
        .order_by("account__external_id", "external_id").distinct()[:12]
    )
    # The guest who registered and did not come has heard nothing from us since: the
    # follow-up play is theirs.
    heard_since = set(Interaction.objects.filter(
        contacts__in=candidates, occurred_at__gte=event.ends_at,
    ).exclude(kind="note").values_list("contacts", flat=True))
    no_show = next(contact for contact in candidates if contact.pk not in heard_since)
    others = [contact for contact in candidates if contact != no_show][:5]
    guests = [*others[:2], no_show, *others[2:]]
    outcomes = (
        InvitationStatus.ATTENDED, InvitationStatus.ATTENDED, InvitationStatus.REGISTERED,
        InvitationStatus.ATTENDED, InvitationStatus.DECLINED, InvitationStatus.ATTENDED,
    )
    came = []
    for contact, status in zip(guests, outcomes, strict=False):
        Invitation.objects.create(
            event=event, account_id=contact.account_id, contact=contact, status=status,
            emailed_at=plan.moment(40, 9),
            attended_minutes=110 if status == InvitationStatus.ATTENDED else None,
        )
        if status == InvitationStatus.ATTENDED:
            came.append(contact)
            _log(plan, contact.account, days_ago=18, hour=14, kind="meeting",
                 user=users["ingrid"], subject=f"Attended “{event.topic}”: {contact.full_name}",
                 contacts=[contact], tags=["event", "in_person"])
    for index, (theme, family, said) in enumerate(SAID):
        contact = came[index % len(came)]
        FeedbackItem.objects.create(
            event=event, account_id=contact.account_id, contact=contact,
            family=families.get(family), theme=theme, said=said,
            recorded_at=plan.moment(17, 10), recorded_by=users["ingrid"],
        )
        about = f" about {family}" if family else ""
        _log(plan, contact.account, days_ago=17, hour=10 + index, kind="note",
             user=users["ingrid"], direction="inbound",
             subject=f"Feedback{about} ({FeedbackTheme(theme).label}): {said}",
             contacts=[contact], tags=["feedback", theme])


def _praise_in_public(plan: "Plan") -> None:
    """The oldest praise on the timeline, shared with the team: the customer agreed."""
    praise = Interaction.objects.filter(tags__contains=";praise;", user__isnull=False).order_by(
        "occurred_at", "natural_key").first()
    if praise is None:
        return
    SharedPraise.objects.create(
        interaction=praise, customer_agreed=True, shared_by=praise.user.manager if praise.user
        else None, shared_at=praise.occurred_at + timedelta(days=2),
        customer_words=f"{praise.subject}. You can tell the whole team.",
    )


def _placeholder_hash(plan: "Plan") -> str:
    """A demo visit's link was sent to nobody: a hash of no token anyone holds, the same
    for the same seed (the demo is reproducible)."""
    return secret_links.token_hash(f"demo-{plan.rng.getrandbits(256):064x}")


def _engineering_visit(plan: "Plan") -> None:
    users = plan.users
    account = Account.objects.get(external_id="ACC-10004")
    contact = account.contacts.filter(is_key=True).order_by("external_id").first()
    assert contact is not None
    engineer = users["hannah"]
    common = dict(
        account=account, contact=contact, visitor=engineer, visitor_role="Field engineer",
        our_phone="+1 415 555 0100", created_by=account.owner,
    )
    Visit.objects.create(
        **common, work_order="WO-2291", purpose="Replace the failed SIP gateway in the "
        "basement comms room", window_start=plan.moment(3, 9), window_end=plan.moment(3, 11),
        token_hash=_placeholder_hash(plan), code_hash="-",
        announced_at=plan.moment(6, 15), announced_by=contact.preferred_channel or "email",
        happened=HappenedAsAnnounced.YES, answered_at=plan.moment(2, 9),
        customer_comment="Hannah showed the work order before we asked. Thank you.",
        created_at=plan.moment(7, 9), internal_notes="Bring the spare gateway from stock.",
    )
    _log(plan, account, days_ago=3, hour=9, kind="visit", user=engineer,
         subject="Replaced the failed SIP gateway (work order WO-2291)", contacts=[contact],
         tags=["engineering"])
    Visit.objects.create(
        **common, work_order="WO-2318", purpose="Add SIP capacity for the new call centre",
        window_start=plan.moment(-2, 13), window_end=plan.moment(-2, 15),
        token_hash=_placeholder_hash(plan), code_hash="-",
        announced_at=plan.moment(1, 10), announced_by=contact.preferred_channel or "email",
        created_at=plan.moment(2, 9),
    )
