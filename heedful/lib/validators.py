"""What makes a record valid, declared once next to each model and run by every path.

Two kinds of declarations (ADR 0008):

- *Field validators* (Django's ``validators=[...]`` on a model field) for what one value must
  be: an ISO 4217 currency, an amount that is not negative, an id that can live in a URL and
  a CSV cell. Every text field also refuses control characters without saying so: that rule
  follows from the field's type (``implied_validators``).
- *Checks* (``RecordCheck``), a short list per model in ``Model.checks_across_fields``, for
  what several fields of one record must be together: dates in order, a won opportunity's
  close date, an amount's currency.

The ModelForm (API and pages) runs both through ``Model.full_clean`` (``ValidatedModel``);
the CSV import runs the same validators on each parsed cell and the same checks on each
row. Both report the same message on the same field, which the CSV names by its column.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from heedful.lib.currencies import CURRENCIES

# --- Single values -----------------------------------------------------------------------


def validate_currency(value: str) -> None:
    if value not in CURRENCIES:
        raise ValidationError(
            "“%(value)s” is not an ISO 4217 currency code in use (e.g. USD, EUR, GBP).",
            code="invalid_currency", params={"value": value},
        )


_MONTH = re.compile(r"\A\d{4}-(0[1-9]|1[0-2])\Z")


def validate_month(value: str) -> None:
    if not _MONTH.match(value):
        raise ValidationError("Use a month as YYYY-MM, e.g. 2026-10.", code="invalid_month")


def validate_not_negative(value: Decimal | int | None) -> None:
    if value is not None and value < 0:
        raise ValidationError(
            "Must not be negative (%(value)s).", code="negative", params={"value": value}
        )



# C0 controls (NUL included), DEL and the C1 controls. Tab, line feed and carriage return
# are allowed in long text only (a note's paragraphs), never in a name or an id.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _first_control(pattern: re.Pattern[str], value: str) -> None:
    found = pattern.search(value)
    if found:
        raise ValidationError(
            "Must not contain control characters (found U+%(code)s at position %(position)s).",
            code="control_character",
            params={"code": f"{ord(found.group()):04X}", "position": found.start() + 1},
        )


def validate_no_control_characters(value: str) -> None:
    _first_control(_CONTROL, value)


def validate_no_control_characters_in_long_text(value: str) -> None:
    _first_control(_CONTROL_IN_LONG_TEXT, value)


_NOT_IN_ID = re.compile(r"[\x00-\x1f\x7f-\x9f/?#%\\]")


def validate_record_id(value: str) -> None:
    """An id people and other systems use to name a record (an external id, an invoice
    number, a SKU): it becomes part of a URL and a CSV cell, so it holds no ``/ ? # % \\``,
    no white space at its ends and no control characters. Spaces inside are allowed."""
    if not _NOT_IN_ID.search(value) and value == value.strip():
        return  # the common case, in one pass: the CSV import checks 100,000 ids at a time
    _first_control(_CONTROL, value)
    if value != value.strip():
        raise ValidationError(
            "Must not begin or end with white space.", code="id_white_space"
        )
    found = re.search(r"[/?#%\\]", value)
    if found:
        raise ValidationError(
            "Must not contain “%(character)s”: an id has to fit in a web address "
            "(use letters, digits, - _ . : and spaces).",
            code="id_character", params={"character": found.group()},
        )


def is_record_id_field(model_field: models.Field) -> bool:
    return validate_record_id in model_field.validators


def implied_validators(model_field: models.Field) -> list[Callable[[Any], None]]:
    """Validators every field of a type has without declaring them: text refuses control
    characters (unless its own validators allow a narrower alphabet: choices, ids, codes)."""
    if not isinstance(model_field, models.CharField | models.TextField):
        return []
    if model_field.choices or not model_field.editable:
        return []
    narrower = (validate_record_id, validate_currency, validate_month)
    if any(validator in narrower for validator in model_field.validators):
        return []
    if isinstance(model_field, models.TextField):
        return [validate_no_control_characters_in_long_text]
    return [validate_no_control_characters]


def run_field_validators(model_field: models.Field, value: Any) -> None:
    """The declared validators of a field, then (when they pass) the implied ones, as
    ``ValidatedModel.clean_fields`` runs them for the API; raises one ValidationError with
    every message."""
    if value is None or value == "":
        return
    run_validators_in_turn((model_field.validators, implied_validators(model_field)), value)


def run_validators_in_turn(
    groups: Iterable[Iterable[Callable[[Any], None]]], value: Any
) -> None:
    """Each group of validators on ``value``; the first group with a failure raises one
    ValidationError with every message of that group."""
    for validators in groups:
        messages: list[str] | None = None  # made only on a failure: the CSV runs this a lot
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                messages = [*(messages or []), *error.messages]
        if messages:
            raise ValidationError(messages)


# --- Several fields of one record ---------------------------------------------------------


def on_another_account(noun: str, keys: Iterable[str]) -> str:
    """The reason a record refers to ``noun`` records (by their ids) of another account; the
    form (API, pages) and the CSV import both say it, having each found the records their way."""
    named = sorted(keys)
    if len(named) == 1:
        return f"{noun.capitalize()} {named[0]} is on another account."
    nouns = f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"  # opportunity, contact
    return f"{nouns.capitalize()} {', '.join(named)} are on another account."



@dataclass(frozen=True)
class RecordCheck:
    """A rule over several fields of one record. ``test`` takes the record (a model instance,
    its foreign keys as ``*_id``) and answers the reason it is wrong, or None; the reason is
    reported on ``field``. A test never queries: the CSV import runs it on 100,000 rows."""

    field: str
    reads: tuple[str, ...]
    test: Callable[[Any], str | None]
    summary: str = "checked by a rule of its own"
    """What the API's description says of a check that reads only its own field."""

    def reason(self, record: Any) -> str | None:
        return self.test(record)


def _label(field_name: str) -> str:
    return field_name.replace("_", " ")


def dates_in_order(first: str, last: str) -> RecordCheck:
    """``last`` must not come before ``first`` (either may be empty)."""

    def test(record: Any) -> str | None:
        start, end = getattr(record, first), getattr(record, last)
        if start is not None and end is not None and end < start:
            shown = start.isoformat() if isinstance(start, date) else start
            return f"Must not be before {_label(first)} ({shown})."
        return None

    return RecordCheck(field=last, reads=(first, last), test=test)


def amount_has_currency(amount: str = "amount", currency: str = "currency") -> RecordCheck:
    """An amount is money only with its currency: never a silent default."""

    def test(record: Any) -> str | None:
        if getattr(record, amount) is not None and not getattr(record, currency):
            return f"Give the currency of the {_label(amount)} (an ISO 4217 code, e.g. EUR)."
        return None

    return RecordCheck(field=currency, reads=(amount, currency), test=test)


def required_when(
    field: str, condition: Callable[[Any], bool], reads: tuple[str, ...], reason: str
) -> RecordCheck:
    """``field`` must have a value when ``condition`` holds for the record."""

    def test(record: Any) -> str | None:
        if condition(record) and getattr(record, field) in (None, ""):
            return reason
        return None

    return RecordCheck(field=field, reads=(field, *reads), test=test)


def check_record(checks: Iterable[RecordCheck], record: Any) -> dict[str, list[str]]:
    """Every failed check's reason by the field it is reported on."""
    failed: dict[str, list[str]] = {}
    for check in checks:
        reason = check.test(record)
        if reason:
            failed.setdefault(check.field, []).append(reason)
    return failed


class ValidatedModel(models.Model):
    """A model whose ``full_clean`` (run by every ModelForm and the admin) also runs the
    implied validators and the model's ``checks_across_fields``.

    An id that breaks today's id rules but is already stored as it is passes: existing
    records stay readable and editable; only new ids must be clean.
    """

    checks_across_fields: ClassVar[tuple[RecordCheck, ...]] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        excluded = set(exclude or ())
        errors: dict[str, list[str]] = {}
        try:
            super().clean_fields(exclude=excluded | self._stored_unsafe_ids(excluded))
        except ValidationError as error:
            errors.update(error.message_dict)
        for model_field in self._meta.concrete_fields:
            if model_field.name in excluded or model_field.name in errors:
                continue
            value = getattr(self, model_field.attname)
            for validator in implied_validators(model_field):
                if value not in (None, ""):
                    try:
                        validator(value)
                    except ValidationError as error:
                        errors.setdefault(model_field.name, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        super().clean()
        failed = check_record(self.checks_across_fields, self)
        if failed:
            raise ValidationError(failed)

    def _stored_unsafe_ids(self, excluded: set[str]) -> set[str]:
        """The id fields whose value breaks the id rules but is the one stored already."""
        if self.pk is None:
            return set()
        unchanged = set()
        for model_field in self._meta.concrete_fields:
            if model_field.name in excluded or not is_record_id_field(model_field):
                continue
            value = getattr(self, model_field.attname)
            if not isinstance(value, str) or "\x00" in value:
                continue  # never stored (PostgreSQL cannot even be asked)
            try:
                validate_record_id(value)
            except ValidationError:
                stored = type(self)._default_manager.filter(
                    pk=self.pk, **{model_field.attname: value}
                )
                if stored.exists():
                    unchanged.add(model_field.name)
        return unchanged
