"""Validation of timeline interactions, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.interactions.kinds import INTERACTION
from heedful.interactions.models import Interaction, normalize_tags
from heedful.lib.text import split_list


class InteractionForm(HeedfulModelForm):
    class Meta:
        model = Interaction
        fields = INTERACTION.form_fields

    on_the_same_account = {"contacts": "contact"}

    def clean_tags(self) -> str:
        return normalize_tags(split_list(self.cleaned_data.get("tags") or ""))
