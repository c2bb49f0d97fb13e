"""Validation of timeline interactions, for the API and pages."""

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.interactions.kinds import INTERACTION
from heedful.interactions.models import Interaction, normalize_tags
from heedful.lib.text import split_list
from heedful.lib.validators import on_another_account


class InteractionForm(HeedfulModelForm):
    class Meta:
        model = Interaction
        fields = INTERACTION.form_fields

    def clean_tags(self) -> str:
        return normalize_tags(split_list(self.cleaned_data.get("tags") or ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        account = cleaned.get("account")
        contacts = cleaned.get("contacts") or []
        strangers = [c for c in contacts if account and c.account_id != account.pk]
        if strangers:
            keys = [contact.external_id for contact in strangers]
            self.add_error("contacts", on_another_account("contact", keys))
        return cleaned
