"""Owner memberships become the truth of who owns an account (ADR 0008).

Existing databases kept ``Account.owner`` and the owner memberships in step only through
``accounts.csv``: an owner changed by the API or the admin left the old owner's membership
running, and an account created through the API had none. This migration gives every
account's cached owner a running period from today (when the history does not already say
they own it today), normalises each account's periods (one running owner, no overlaps) and
sets the cache from them, then adds the constraint.
"""

from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone

from heedful.accounts.ownership import Period, normalized, owner_on


def unify_owners(apps, schema_editor):  # noqa: ANN001, ANN201
    Account = apps.get_model("accounts", "Account")
    TeamMembership = apps.get_model("accounts", "TeamMembership")
    today = timezone.localdate()
    periods = defaultdict(list)
    for pk, account_id, user_id, start, end in (
        TeamMembership.objects.filter(role="owner").order_by("pk")
        .values_list("pk", "account_id", "user_id", "start_date", "end_date").iterator()
    ):
        periods[account_id].append(Period(user_id, start, end, pk))
    for account_id, owner_id in Account.objects.values_list("pk", "owner_id").iterator():
        stored = periods.get(account_id, [])
        wanted = list(stored)
        if owner_id is not None and owner_on(stored, today) != owner_id:
            wanted.append(Period(owner_id, today, None))
        wanted = normalized(wanted)
        kept = {p.pk for p in wanted}
        TeamMembership.objects.filter(pk__in=[p.pk for p in stored if p.pk not in kept]).delete()
        old = {p.pk: p for p in stored}
        for period in sorted(wanted, key=lambda p: p.end_date is None):
            if period.pk is None:
                TeamMembership.objects.create(
                    account_id=account_id, user_id=period.user_id, role="owner",
                    start_date=period.start_date, end_date=period.end_date,
                )
            elif old[period.pk].end_date != period.end_date:
                TeamMembership.objects.filter(pk=period.pk).update(end_date=period.end_date)
        cached = owner_on(wanted, today)
        if cached != owner_id:
            Account.objects.filter(pk=account_id).update(owner_id=cached)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_search_terms")]

    operations = [
        migrations.RunPython(unify_owners, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="account",
            name="owner",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.SET_NULL,
                related_name="owned_accounts", to="core.user",
                help_text="The account owner today. Changing it hands the account over from today: the "
                "previous owner's period on the account team ends the day before.",
            ),
        ),
        migrations.AddConstraint(
            model_name="teammembership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("end_date__isnull", True), ("role", "owner")),
                fields=("account",), name="one_running_owner_per_account",
            ),
        ),
    ]
