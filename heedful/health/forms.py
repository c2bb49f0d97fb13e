"""The forms of the health score: an admin's settings (one field per declared setting) and the
owner's sentiment."""

from django import forms

from heedful.health import components
from heedful.health.models import OwnerSentiment


def score_settings_form_class() -> type[forms.Form]:
    """A form of every setting of the score (the components registered by then), each a whole
    number, 0 or more, labelled and explained in words."""
    fields: dict[str, forms.Field] = {}
    for name in components.default_settings():
        label = components.setting_label(name)
        fields[name] = forms.IntegerField(
            min_value=0, label=label,
            error_messages={
                "required": f"{label}: enter a value.",
                "invalid": f"{label}: enter a whole number.",
                "min_value": f"{label}: must not be negative.",
            },
        )
    return type("ScoreSettingsForm", (forms.Form,), fields)


class OwnerSentimentForm(forms.Form):
    sentiment = forms.ChoiceField(
        choices=OwnerSentiment.choices, widget=forms.RadioSelect, label="How do you feel about "
        "this account?", error_messages={"required": "Choose worried, neutral or confident."},
    )
    note = forms.CharField(
        required=False, max_length=500, label="Why, in a sentence (optional)",
        error_messages={"max_length": "Keep the note under 500 characters."},
    )
