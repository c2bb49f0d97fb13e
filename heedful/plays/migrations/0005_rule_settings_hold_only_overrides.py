"""Rule settings hold only what an admin overrode.

Until now the first scan copied every rule's defaults from the code into ``RuleSetting``, so a
default changed in code later never took effect. Which stored values an admin set cannot be
told apart from the copies, so this keeps only the values that differ from the defaults the
code had when the copies were made (below, frozen: a later change of a default in code must
not change what this migration does), and deletes the rows left with nothing overridden.
"""

from django.db import migrations, models

DEFAULTS_WHEN_COPIED = {
    "billing.spike": {
        "change_percent": 50, "previous_invoices": 3, "minimum_previous": 2,
        "lookback_months": 6, "recent_days": 60, "priority": 70,
    },
    "billing.contract_deviation": {"change_percent": 10, "recent_days": 60, "priority": 65},
    "billing.dispute_stale": {"open_days": 30, "priority": 60},
    "support.ticket_opened": {"recent_days": 2, "urgent_severity": 1, "priority": 60},
    "support.resolved_checkin": {"recent_days": 7, "priority": 60},
    "orders.shipped_followup": {"minimum_days": 3, "maximum_days": 30, "priority": 50},
    "contracts.renewal_due": {"days_ahead": 90, "priority": 65},
    "contracts.bad_news_first": {"days_ahead": 60, "urgent_days": 30, "priority": 75},
    "contacts.gone_cold": {"quiet_days": 90, "priority": 55},
    "contacts.only_technical": {"lookback_days": 180, "priority": 45},
    "roadmap.briefing_due": {
        "quiet_days": 180, "upcoming_days": 90, "recent_days": 90, "priority": 50,
    },
    "catalog.whitespace": {
        "minimum_share_percent": 30, "minimum_accounts_in_industry": 3,
        "families_per_account": 1, "priority": 35,
    },
    "team.new_owner_unintroduced": {"settle_days": 14, "priority": 55},
    "team.site_never_visited": {"owner_days": 180, "priority": 50},
    "team.exec_visit_due": {"quiet_days": 180, "priority": 55},
    "health.business_change": {"recent_days": 30, "suppress_days": 90, "priority": 75},
    "service.sla_miss": {"misses": 2, "periods": 3, "lookback_months": 6, "priority": 60},
    "service.scope_overrun": {"overrun_percent": 20, "lookback_months": 3, "priority": 55},
    "feedback.praise_to_manager": {"recent_days": 30, "priority": 40},
}


def keep_only_overrides(apps, schema_editor) -> None:  # noqa: ANN001
    RuleSetting = apps.get_model("plays", "RuleSetting")
    for setting in RuleSetting.objects.all():
        defaults = DEFAULTS_WHEN_COPIED.get(setting.rule, {})
        thresholds = setting.thresholds if isinstance(setting.thresholds, dict) else {}
        overrides = {
            name: value for name, value in thresholds.items()
            if name not in defaults or value != defaults[name]
        }
        if setting.enabled and not overrides:
            setting.delete()
        elif overrides != setting.thresholds:
            setting.thresholds = overrides
            setting.save(update_fields=["thresholds"])


class Migration(migrations.Migration):

    dependencies = [
        ("plays", "0004_digest_sent"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rulesetting",
            name="thresholds",
            field=models.JSONField(
                blank=True, default=dict,
                help_text="Only the numbers an admin changed, e.g. {\"change_percent\": 40}; "
                "every other threshold follows the rule's default in the code.",
            ),
        ),
        migrations.AlterField(
            model_name="rulesetting",
            name="enabled",
            field=models.BooleanField(
                default=True, help_text="Switched off by an admin when unticked.",
            ),
        ),
        migrations.RunPython(keep_only_overrides, migrations.RunPython.noop),
    ]
