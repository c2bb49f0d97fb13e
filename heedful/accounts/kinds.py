"""The columns of accounts, contacts, account teams and business news (``heedful.core.kinds``):
their CSV formats, API fields and forms follow from these."""

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.core.kinds import Column, RecordKind, Shown

ACCOUNT = RecordKind(
    model=Account,
    columns=(
        Column("external_id", required=True),
        Column("name", required=True),
        Column("industry"),
        Column("segment", description="e.g. enterprise, mid-market"),
        Column("status"),
        Column(
            "owner_username", field="owner", defaults_to_you=True,
            description="The account owner from today on. Reps and managers may choose only "
            "themselves or their reports.",
        ),
        Column("phone"),
        Column("website"),
        Column("city"),
        Column("country"),
        Column("aliases", is_list=True, description="Other names the customer goes by."),
    ),
)

CONTACT = RecordKind(
    model=Contact,
    columns=(
        Column("external_id", required=True),
        Column("account_external_id", field="account", required=True),
        Column("full_name", required=True),
        Column("preferred_name"),
        Column("pronunciation"),
        Column("title"),
        Column("email"),
        Column("phone"),
        Column("role_type"),
        Column("is_key"),
        Column("preferred_channel"),
        Column("language"),
        Column("likes", is_list=True),
        Column("dislikes", is_list=True),
        Column("do_not_contact"),
        Column(
            "reports_to",
            description="The external id of the contact this person reports to, at the same "
            "customer.",
        ),
    ),
)

TEAM_MEMBERSHIP = RecordKind(
    model=TeamMembership,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("username", field="user", required=True),
        Column("role", required=True),
        Column("start_date"),
        Column("end_date"),
    ),
    shown=(Shown("id", int),),
)

NEWS_ITEM = RecordKind(
    model=NewsItem,
    columns=(
        Column("account_external_id", field="account", required=True),
        Column("occurred_on", required=True),
        Column("sentiment", required=True),
        Column("headline", required=True),
    ),
    shown=(Shown("id", int),),
)
