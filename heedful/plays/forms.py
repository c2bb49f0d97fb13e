"""Validation of what a person does with a play in the pages, and of an admin's thresholds."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from heedful.lib import words
from heedful.plays.rules import Rule

SNOOZE_DAYS = 7
"""How far the snooze date defaults ahead of today."""


def default_snooze_until(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=SNOOZE_DAYS)


class DoneForm(forms.Form):
    outcome = forms.CharField(
        max_length=2000, strip=True, label="Outcome",
        error_messages={"required": "Say what happened."},
    )


class SnoozeForm(forms.Form):
    until = forms.DateField(
        label="Snooze until", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Choose a day.", "invalid": "Enter a date as YYYY-MM-DD."},
    )

    def clean_until(self) -> date:
        until: date = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError(
                f"Choose a day after today ({words.format_day(today)}).", code="not_in_future"
            )
        return until


class DismissForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, strip=True, label="Reason",
        error_messages={"required": "Say why it is not worth doing."},
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "done": DoneForm, "snooze": SnoozeForm, "dismiss": DismissForm,
}


def rule_setting_form_class(rule: Rule) -> type[forms.Form]:
    """A form of one rule's switch and thresholds, each typed like its default (whole number,
    decimal or yes/no) and never negative; every label and error names its threshold in
    words (``Rule.threshold_labels``)."""
    fields: dict[str, forms.Field] = {
        "enabled": forms.BooleanField(required=False, label="Enabled"),
    }
    for name, default in rule.defaults.items():
        label = rule.threshold_label(name)
        messages = {
            "required": f"{label}: enter a value.",
            # Django fills this message in with %-formatting: a "%" of the label is doubled.
            "min_value": f"{label.replace('%', '%%')}: must not be negative.",
        }
        if isinstance(default, bool):
            fields[name] = forms.BooleanField(required=False, label=label)
        elif isinstance(default, int):
            fields[name] = forms.IntegerField(
                min_value=0, label=label,
                error_messages={**messages, "invalid": f"{label}: enter a whole number."},
            )
        else:
            fields[name] = forms.DecimalField(
                min_value=Decimal(0), label=label,
                error_messages={**messages, "invalid": f"{label}: enter a number."},
            )
    return type(f"{rule.__class__.__name__}SettingForm", (forms.Form,), fields)


def thresholds_from(form: forms.Form, rule: Rule) -> dict[str, Any]:
    """The cleaned thresholds as the rule stores them (JSON numbers)."""
    values: dict[str, Any] = {}
    for name in rule.defaults:
        value = form.cleaned_data[name]
        values[name] = float(value) if isinstance(value, Decimal) else value
    return values
