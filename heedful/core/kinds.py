"""The declaration of each record kind: its columns, once (ADR 0014).

A kind (contacts, invoices, …) lists its columns in the order of its CSV format
(CONTRACTS.md); each column names the model field it fills. From that one list follow:

- the ModelForm's fields (``RecordKind.form_fields``), which validate through the model's
  field validators and declared checks;
- the API's input, patch and output schemas (``RecordKind.schemas``): names, types, which
  are required, descriptions (the model's help text and choices), and how a reference or a
  list is read back;
- the API's mapping of its names to the form's (``form_names``, ``joined_lists``);
- the CSV import's columns (``heedful.integrations.csv_import``) and the export's header.

A column's type comes from its model field: a foreign key is named by the related record's
natural key (``NATURAL_KEYS``), a many-to-many field by a list of them, a ``;``-separated
text by a list (``is_list``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from ninja import Schema
from pydantic import Field, create_model

from heedful.core import value_schemas as values
from heedful.core.rest import Page
from heedful.lib.text import split_list

NATURAL_KEYS: dict[str, str] = {
    "accounts.account": "external_id",
    "accounts.contact": "external_id",
    "billing.invoice": "invoice_number",
    "catalog.contract": "external_id",
    "catalog.product": "sku",
    "catalog.productfamily": "name",
    "core.user": "username",
    "forecasts.forecastperiod": "name",
    "sales.opportunity": "external_id",
}
"""The field by which a record of each model is named in forms, the API and CSV files
(model label → field name)."""


@dataclass(frozen=True)
class Column:
    """One column of a kind: a CSV column and an API field of the same name.

    ``field`` is the model field it fills (default: the column's name); ``None`` for a
    column the kind's service or importer handles itself. ``required``: the CSV column must
    be present and filled, and the API input must give it, unless ``defaults_to_you`` (the
    API fills in the acting user). ``is_list``: a ``;``-separated text shown as a list.
    ``description`` replaces the model field's help text.
    """

    name: str
    field: str | None = ""
    required: bool = False
    is_list: bool = False
    description: str = ""
    defaults_to_you: bool = False

    @property
    def field_name(self) -> str | None:
        return self.name if self.field == "" else self.field


@dataclass(frozen=True)
class Shown:
    """A field the API's output adds to the columns (``id``, a related record's name)."""

    name: str
    type: Any
    read: Callable[[Any], Any] | None = None
    description: str = ""


@dataclass(frozen=True)
class RecordKind:
    model: type[models.Model]
    columns: tuple[Column, ...]
    shown: tuple[Shown, ...] = ()
    """What the API's output shows besides the columns, first."""

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def model_field(self, column: Column) -> models.Field | None:
        name = column.field_name
        if name is None:
            return None
        field = self.model._meta.get_field(name)
        assert isinstance(field, models.Field)  # columns fill fields, never reverse relations
        return field

    @property
    def form_fields(self) -> list[str]:
        """The model fields a ModelForm of the kind edits, in column order."""
        return [column.field_name for column in self.columns if column.field_name is not None]

    @property
    def form_names(self) -> dict[str, str]:
        """API and CSV name → form field name, where they differ."""
        return {
            column.name: column.field_name
            for column in self.columns
            if column.field_name is not None and column.field_name != column.name
        }

    @property
    def joined_lists(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.is_list)

    # --- API schemas ------------------------------------------------------------------------

    def schemas(
        self, name: str
    ) -> tuple[type[Schema], type[Schema], type[Schema], type[Page]]:
        """``(<name>In, <name>Patch, <name>Out, <name>Page)``: what the API takes to create a
        record, to change some of its fields, what it answers, and a page of answers.

        The input schemas say every rule of one value that the model declares (``values``):
        its type, its choices, its length, the characters it may hold, whether it may be
        empty (null), so that an input the description calls valid is one the form takes.
        What JSON Schema cannot say (dates in order, a reference to a record of the same
        account) is listed in the body's ``x-checked-together``: only those fields may be
        refused (422) for an input that is valid field by field."""
        inputs: dict[str, Any] = {}
        patches: dict[str, Any] = {}
        for column in self.columns:
            field = self.model_field(column)
            value_type = values.input_type(self, column, field)
            description = self._description(column) or None
            may_be_empty = values.may_be_empty(field)
            optional_type = value_type | None if may_be_empty else value_type
            if column.required and not column.defaults_to_you:
                inputs[column.name] = (value_type, Field(..., description=description))
            else:
                inputs[column.name] = (optional_type, Field(None, description=description))
            patches[column.name] = (optional_type, Field(None, description=description))
        module = self.model.__module__
        together = values.checked_together(self)
        base = values.input_base(together)
        create = create_model(f"{name}In", __base__=base, __module__=module, **inputs)
        patch = create_model(f"{name}Patch", __base__=base, __module__=module, **patches)
        out = self._out_schema(name)
        page = create_model(
            f"{name}Page", __base__=Page, __module__=module, items=(list[out], ...)  # type: ignore[valid-type]
        )
        return create, patch, out, page

    def _out_schema(self, name: str) -> type[Schema]:
        annotations: dict[str, Any] = {}
        namespace: dict[str, Any] = {"__module__": self.model.__module__}
        for shown in self.shown:
            annotations[shown.name] = shown.type
            if shown.description:
                namespace[shown.name] = Field(description=shown.description)
            if shown.read is not None:
                namespace[f"resolve_{shown.name}"] = staticmethod(shown.read)
        for column in self.columns:
            field = self.model_field(column)
            value_type = self._type(column)
            if field is None or (field.null and not field.many_to_many):
                value_type = value_type | None
            annotations[column.name] = value_type
            reader = self._reader(column, field)
            if reader is not None:
                namespace[f"resolve_{column.name}"] = staticmethod(reader)
        namespace["__annotations__"] = annotations
        return type(f"{name}Out", (Schema,), namespace)

    def _type(self, column: Column) -> Any:
        field = self.model_field(column)
        if column.is_list or (field is not None and field.many_to_many):
            return list[str]
        if field is None or field.is_relation:
            return str
        if isinstance(field, models.BooleanField):
            return bool
        if isinstance(field, models.DateTimeField):
            return datetime
        if isinstance(field, models.DateField):
            return date
        if isinstance(field, models.DecimalField):
            return Decimal
        if isinstance(field, models.IntegerField):
            return int
        return str

    def _description(self, column: Column) -> str:
        field = self.model_field(column)
        text = column.description or (str(field.help_text) if field is not None else "")
        if field is not None and field.choices and not field.is_relation:
            listed = ", ".join(str(value) for value, _label in field.flatchoices)
            text = f"{text} One of: {listed}." if text else f"One of: {listed}."
        if column.defaults_to_you:
            text = f"{text} Default: you." if text else "Default: you."
        return text

    @staticmethod
    def _reader(column: Column, field: models.Field | None) -> Callable[[Any], Any] | None:
        """How the output reads a column that is not a plain attribute of the record."""
        if field is None:
            return None
        attribute = field.name
        if field.many_to_many:
            key = NATURAL_KEYS[field.related_model._meta.label_lower]  # type: ignore[union-attr]
            return lambda record: sorted(
                getattr(item, key) for item in getattr(record, attribute).all()
            )
        if field.is_relation:
            key = NATURAL_KEYS[field.related_model._meta.label_lower]  # type: ignore[union-attr]

            def natural_key(record: Any) -> Any:
                related = getattr(record, attribute)
                return getattr(related, key) if related is not None else None

            return natural_key
        if column.is_list:
            return lambda record: split_list(getattr(record, attribute))
        if column.name != attribute:
            return lambda record: getattr(record, attribute)
        return None
