"""Who a calendar import may take off a meeting, and whether it may move the meeting to
another account (docs/adr/0029-a-calendar-import-follows-the-invitation.md).

Meetings imported before these fields existed: their attendees are taken to come from the
invitation unless the audit log records a person adding them on the page; their account to
be set by hand when the log records a person changing it."""

from django.db import migrations, models
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat


def mark_what_the_calendar_wrote(apps, schema_editor) -> None:  # noqa: ANN001
    Attendee = apps.get_model("meetings", "Attendee")
    Meeting = apps.get_model("meetings", "Meeting")
    AuditEntry = apps.get_model("core", "AuditEntry")
    added_by_hand = AuditEntry.objects.filter(
        action="attendee.create",
        subject=Concat(Value("attendee #"), Cast(OuterRef("pk"), CharField())),
    )
    Attendee.objects.filter(meeting__calendar_key__isnull=False).exclude(
        Exists(added_by_hand)
    ).update(from_invitation=True)
    # The log's detail is JSON, which SQLite cannot search inside: the few meeting updates
    # are read here, a chunk at a time.
    moved_by_hand = set()
    for subject, detail in (
        AuditEntry.objects.filter(action="meeting.update", subject__startswith="meeting #")
        .values_list("subject", "detail").iterator(chunk_size=2000)
    ):
        if "account" in (detail or {}).get("fields", []):
            number = subject.removeprefix("meeting #")
            if number.isdigit():
                moved_by_hand.add(int(number))
    Meeting.objects.filter(pk__in=moved_by_hand, calendar_key__isnull=False).update(
        account_set_by_hand=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0002_calendar"),
        ("core", "0003_apitoken_expires_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendee",
            name="from_invitation",
            field=models.BooleanField(
                default=False, editable=False,
                help_text="Added by a calendar import because the invitation names them: "
                "importing it again takes them off when it no longer does (someone added by "
                "hand stays).",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="account_set_by_hand",
            field=models.BooleanField(
                default=False, editable=False,
                help_text="A person chose the account: importing the calendar again never "
                "moves the meeting to the account its attendees' e-mails name.",
            ),
        ),
        migrations.RunPython(mark_what_the_calendar_wrote, migrations.RunPython.noop),
    ]
