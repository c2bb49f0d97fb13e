"""Validation of a visit, for its page and the API."""

from typing import Any

from django.db.models import Q

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.core.models import User
from heedful.lib import clock, secret_links
from heedful.lib.validators import on_another_account
from heedful.visits.kinds import VISIT
from heedful.visits.models import Visit

UNANNOUNCED_CODE = "-"
"""A new visit's code hash: no code matches it until the visit is announced."""


class VisitForm(HeedfulModelForm):
    """A visit the ``user`` plans or changes: the contact is one of the account's people,
    the visitor one of our active people."""

    class Meta:
        model = Visit
        fields = VISIT.form_fields
        error_messages = {
            "contact": {"required": "Choose the customer's person to announce it to."},
            "visitor": {"required": "Choose who goes."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visitor = self.fields["visitor"]
        # Someone who has left goes on no new visit, yet stays on the visits they made.
        visitor.queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=self.instance.visitor_id)
        )
        if self.instance.pk is None:
            # Until it is announced a visit's link is one nobody holds (only hashes are
            # stored) and no code opens it.
            self.instance.token_hash = secret_links.token_hash(secret_links.new_token())
            self.instance.code_hash = UNANNOUNCED_CODE
            self.instance.created_at = clock.now()
            self.instance.created_by = self.user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        account, contact = cleaned.get("account"), cleaned.get("contact")
        if account is not None and contact is not None and contact.account_id != account.pk:
            self.add_error("contact", on_another_account("contact", [contact.external_id]))
        return cleaned
