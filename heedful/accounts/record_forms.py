"""What every record form of Heedful shares (in accounts: every record but a user lives on
an account, and its form offers only the accounts the acting user may see).

Each app's ``forms.py`` holds one ModelForm per record, the door through which the REST API
and the web pages hand input to a service (see ``heedful.accounts.records``). What a valid record
is, is declared on the model (field validators and ``checks_across_fields``, see
``heedful.lib.validators``): the form runs it through ``Model.full_clean``, and the CSV import
runs the same declarations, so both refuse the same input with the same message. A form adds
only what depends on the acting user or on other records (visibility, references).

Forms refer to other records by the ids people use (an account's external id, an invoice's
number, a product's SKU, a user's username), and only offer accounts, and records on
accounts, that the acting user may see.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet

from heedful.accounts.models import Account
from heedful.accounts.visibility import visible_accounts
from heedful.core.exceptions import NotFound
from heedful.core.kinds import NATURAL_KEYS
from heedful.core.models import User
from heedful.lib.validators import on_another_account


class HeedfulModelForm(forms.ModelForm):
    """A ModelForm built for one acting ``user``.

    Choices of accounts, and of records on accounts (contacts, contracts, invoices), are
    limited to what the user may see. Such a reference to anything else is not a form error
    but ``NotFound`` (``raise_if_referring_to_unseen``), so that the answer is the same 404
    whether the record does not exist or is hidden.
    """

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scoped_fields: list[str] = []
        visible = visible_accounts(user)
        for name, field in self.fields.items():
            if name not in self.declared_fields:
                # A field made from the model field leaves validation to the model's
                # validators (Model.full_clean runs them), whose messages the CSV import
                # gives too; the form field only reads the value's type. A form may still
                # add validators of its own, in its class or after this __init__.
                field.validators = []
            if isinstance(field, forms.ModelChoiceField):
                self._refer_by_natural_key(name, field, visible)
                if self.instance.pk and not isinstance(field, forms.ModelMultipleChoiceField):
                    # Initial values by natural key too, so changed_data compares like with like.
                    self.initial[name] = field.prepare_value(getattr(self.instance, name))

    @classmethod
    def model_defaults(cls) -> dict[str, Any]:
        """The model's default of each field that has one, as the input of a new record
        leaves them out (a status, a currency)."""
        model = cls._meta.model
        defaults = {}
        for name in cls.base_fields:
            model_field = model._meta.get_field(name)
            if model_field.has_default() and not model_field.many_to_many:
                defaults[name] = model_field.get_default()
        return defaults

    on_the_same_account: dict[str, str] = {}
    """Fields whose chosen records (one, or several) must be on the record's account, each
    with the noun that names them when one is not (``{"contract": "contract"}``)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() answers its cleaned_data
        for name, noun in self.on_the_same_account.items():
            self._refuse_records_of_another_account(name, noun=noun)
        return cleaned

    def account_id_of_record(self) -> int | None:
        """The account the record is on, as the input has it: the account chosen in the
        form (None when none is, or it is not valid)."""
        account = self.cleaned_data.get("account")
        return account.pk if account is not None else None

    def _refer_by_natural_key(
        self, name: str, field: forms.ModelChoiceField, visible: QuerySet[Account]
    ) -> None:
        assert field.queryset is not None  # a model form's choice field has its model's
        model = field.queryset.model
        field.to_field_name = NATURAL_KEYS.get(model._meta.label_lower)
        if model is Account:
            field.queryset = visible
            self.scoped_fields.append(name)
        elif any(f.name == "account" and f.related_model is Account for f in model._meta.fields):
            field.queryset = field.queryset.filter(account__in=visible)
            self.scoped_fields.append(name)
        message = f"There is no {model._meta.verbose_name} “%(value)s”."
        field.error_messages["invalid_choice"] = message
        field.error_messages["invalid_pk_value"] = message

    def raise_if_referring_to_unseen(self) -> None:
        """NotFound if the input points at an account (or a record on one) the user cannot
        see, or that does not exist."""
        for name in self.scoped_fields:
            raw = self.data.get(name)
            if raw in (None, "", [], ()):
                continue
            wanted = [str(value) for value in (raw if isinstance(raw, list | tuple) else [raw])]
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            assert field.queryset is not None  # set by _refer_by_natural_key
            key = field.to_field_name or "pk"
            found = {
                str(value)
                for value in field.queryset.filter(**{f"{key}__in": wanted}).values_list(
                    key, flat=True
                )
            }
            for value in wanted:
                if value not in found:
                    verbose_name = field.queryset.model._meta.verbose_name
                    raise NotFound(f"No {verbose_name} {value!r} that you can see.")

    def _refuse_records_of_another_account(self, name: str, *, noun: str) -> None:
        """An error on field ``name`` naming each record chosen in it that is on another
        account than the record's (the CSV import says the same through
        ``on_another_account``)."""
        account_id = self.account_id_of_record()
        chosen = self.cleaned_data.get(name)
        if account_id is None or not chosen:
            return
        several = isinstance(self.fields[name], forms.ModelMultipleChoiceField)
        strangers = [
            record.external_id for record in (chosen if several else [chosen])
            if record.account_id != account_id
        ]
        if strangers:
            self.add_error(name, on_another_account(noun, strangers))

    def current_data(self) -> dict[str, Any]:
        """The instance's values as form input (references by natural key), for merging a
        partial update into."""
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.ModelMultipleChoiceField):
                value = [field.prepare_value(item) for item in value or []]
            data[name] = value
        return data


def error_dict(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        name: [str(message) for error in errors.as_data() for message in error.messages]
        for name, errors in form.errors.items()
    }
