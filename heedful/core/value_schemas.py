"""What the API's description says of each input value of a record kind, read from the model
field that value fills (its type, choices, length, validators, whether it may be empty).

The form (``Model.full_clean``) is what refuses a bad value; this module only says the same
rules in JSON Schema, so that an input the description calls valid is one the form takes
and a client (or schemathesis) can trust the description. Lists of text (aliases, tags)
have no field of their own to say their limits, so their limits are enforced here.

What one value's schema cannot say (dates in order, an amount's currency, a reference to a
record that must exist on the same account) is named in the body's ``x-checked-together``.
"""

from typing import TYPE_CHECKING, Annotated, Any

from django.core import validators as django_validators
from django.db import models
from ninja import Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    model_validator,
)

from heedful.core.rest import Day, Moment
from heedful.lib.currencies import CURRENCIES
from heedful.lib.validators import (
    validate_currency,
    validate_month,
    validate_not_negative,
    validate_record_id,
)

if TYPE_CHECKING:
    from heedful.core.kinds import Column, RecordKind

# Characters no text may hold (lib/validators: C0, DEL, C1); long text may hold tab and
# line breaks. Written for JSON Schema's (ECMA-262) patterns.
CONTROL = r"\x00-\x1f\x7f-\x9f"
CONTROL_IN_LONG_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_NOT_IN_ID = CONTROL + r"/?#%\\"
RECORD_ID_PATTERN = (
    rf"^(?:[^\s{_NOT_IN_ID}]|[^\s{_NOT_IN_ID}][^{_NOT_IN_ID}]*[^\s{_NOT_IN_ID}])$"
)
"""``validate_record_id``: no ``/ ? # % \\``, no control character, no white space at the ends."""
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def text_pattern(*, long: bool, required: bool) -> str:
    """Text without control characters; with at least one visible character when required
    (the form trims white space, and a required field left blank is refused)."""
    allowed = f"[^{CONTROL_IN_LONG_TEXT if long else CONTROL}]"
    if not required:
        return f"^{allowed}*$"
    visible = f"[^\\s{CONTROL_IN_LONG_TEXT if long else CONTROL}]"
    return f"^{allowed}*{visible}{allowed}*$"


def may_be_empty(field: models.Field | None) -> bool:
    """Whether the form takes an empty value (JSON null) for the field."""
    return field is None or field.blank or field.null


def _bounds(field: models.Field) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for validator in field.validators:
        if isinstance(validator, django_validators.MinValueValidator):
            limit = validator.limit_value
            bounds["minimum"] = max(bounds.get("minimum", limit), limit)
        elif isinstance(validator, django_validators.MaxValueValidator):
            limit = validator.limit_value
            bounds["maximum"] = min(bounds.get("maximum", limit), limit)
    if validate_not_negative in field.validators:
        bounds["minimum"] = max(bounds.get("minimum", 0), 0)
    return bounds


def _choices(field: models.Field) -> list[Any] | None:
    if not field.choices:
        return None
    values = [value for value, _label in field.flatchoices if value not in (None, "")]
    if field.blank and isinstance(field, models.CharField):
        values.append("")  # an empty choice is "none"
    return values


def _decimal_pattern(field: models.DecimalField) -> str:
    whole = max((field.max_digits or 20) - (field.decimal_places or 0), 1)
    sign = "" if _bounds(field).get("minimum", -1) >= 0 else "-?"
    fraction = f"(\\.[0-9]{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return f"^{sign}[0-9]{{1,{whole}}}{fraction}$"


def value_schema(field: models.Field, *, required: bool) -> dict[str, Any]:
    """The JSON Schema of one value the form takes for ``field`` (null aside)."""
    choices = _choices(field)
    if isinstance(field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, models.DateTimeField):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, models.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, models.DecimalField):
        return {"type": "string", "pattern": _decimal_pattern(field)}
    if isinstance(field, models.IntegerField):
        if choices is not None:
            return {"type": "integer", "enum": choices}
        return {"type": "integer", **_bounds(field)}
    schema: dict[str, Any] = {"type": "string"}
    if choices is not None:
        return {**schema, "enum": choices}
    if field.max_length:
        schema["maxLength"] = field.max_length
    if validate_currency in field.validators:
        currencies = sorted(CURRENCIES)
        return {**schema, "enum": [*currencies, ""] if field.blank else currencies}
    if validate_record_id in field.validators:
        return {**schema, "minLength": 1, "pattern": RECORD_ID_PATTERN}
    if validate_month in field.validators:
        return {**schema, "pattern": MONTH_PATTERN}
    expressions = [
        str(getattr(validator.regex, "pattern", validator.regex))
        for validator in field.validators
        if isinstance(validator, django_validators.RegexValidator)
        and not validator.inverse_match and not validator.flags
    ]
    if expressions:  # a username's letters: the same expression, in JSON Schema's dialect
        pattern = expressions[0].replace(r"\A", "^").replace(r"\Z", "$")
        return {**schema, "minLength": 1 if required else 0, "pattern": pattern}
    if isinstance(field, models.EmailField):
        email = {**schema, "format": "email"}
        return {"anyOf": [email, {"type": "string", "maxLength": 0}]} if field.blank else email
    long = isinstance(field, models.TextField)
    if required:
        schema["minLength"] = 1
    return {**schema, "pattern": text_pattern(long=long, required=required)}


def _not_a_truth_value(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("Send a number, not true or false.")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_a_truth_value)]
"""An integer: 4 or 4.0 as JSON Schema has it, or its digits as text (what a CSV cell holds,
and what the webhooks and the CSV-to-API tests send); never true or false."""


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("Send true or false, not a number.")
    return value


TruthValue = Annotated[bool, BeforeValidator(_not_a_number)]
"""true or false, or as text ("true", "no": what a CSV cell holds); never 0 or 1."""


def _python_type(field: models.Field) -> Any:
    if isinstance(field, models.BooleanField):
        return TruthValue
    if isinstance(field, models.DateTimeField):
        return Moment
    if isinstance(field, models.DateField):
        return Day
    if isinstance(field, models.IntegerField):
        return WholeNumber
    return str  # text, and decimals as decimal strings ("2500.00"): the form reads them


def _reference_field(field: models.Field) -> models.Field:
    """The field by which the record ``field`` refers to is named (its natural key)."""
    from heedful.core.kinds import NATURAL_KEYS

    related = field.related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    named = related._meta.get_field(NATURAL_KEYS[related._meta.label_lower])
    assert isinstance(named, models.Field)
    return named


def input_type(kind: "RecordKind", column: "Column", field: models.Field | None) -> Any:
    """The annotation of a column's value in the create and patch schemas (null aside)."""
    if column.is_list:
        # Items are joined with ";" into the field, whose own rules (length, characters) the
        # form applies, in the words the CSV import uses too.
        item = {"type": "string", "pattern": text_pattern(long=False, required=False)}
        return Annotated[list[str], WithJsonSchema({"type": "array", "items": item})]
    if field is None:
        return str
    required = not may_be_empty(field)
    if field.many_to_many:
        named = value_schema(_reference_field(field), required=True)
        return Annotated[list[str], WithJsonSchema({"type": "array", "items": named})]
    if field.is_relation:
        named = {**value_schema(_reference_field(field), required=True), "minLength": 1}
        if not required:
            named = {"anyOf": [named, {"type": "string", "maxLength": 0}]}  # "" is none
        return Annotated[str, WithJsonSchema(named)]
    return Annotated[_python_type(field), WithJsonSchema(value_schema(field, required=required))]


def checked_together(kind: "RecordKind") -> dict[str, str]:
    """The columns the form may refuse for a reason no single value's schema can say, each
    with that reason: the model's checks across fields, and references to other records
    (which must exist, be visible, and sit on the same account)."""
    names = {column.field_name: column.name for column in kind.columns if column.field_name}
    together: dict[str, str] = {}
    for check in getattr(kind.model, "checks_across_fields", ()):
        reads = ", ".join(names.get(name, name) for name in check.reads if name != check.field)
        if check.field in names:
            # A rule of one value the schema cannot say (an amount that may not be zero).
            reason = f"checked with {reads}" if reads else check.summary
            name = names[check.field]
            # Two checks on one field (a currency for the amount and for the budget): both.
            together[name] = f"{together[name]}, {reason}" if name in together else reason
    for column in kind.columns:
        field = kind.model_field(column)
        if field is not None and field.is_relation and column.name not in together:
            together[column.name] = "must name a record that exists and that you may see"
    return together


def input_base(together: dict[str, str]) -> type[Schema]:
    """The base of a kind's create and patch schemas: a JSON object that names the columns
    checked together."""
    rules = "; ".join(f"{name}: {reason}" for name, reason in together.items())
    description = (
        "Each field as its schema says. These are also checked against other fields or "
        f"records (422 names them): {rules}." if rules else None
    )
    extra: dict[str, Any] = {"x-checked-together": sorted(together)}
    if description:
        extra["description"] = description
    return type(
        "RecordInput", (ObjectInput,), {
            "__module__": __name__,
            "model_config": ConfigDict(json_schema_extra=extra),
        },
    )


class ObjectInput(Schema):
    """A body that must be a JSON object. Ninja's Schema reads the attributes of whatever it
    is given (to serialise records), which made ``[]`` or ``"x"`` a valid empty PATCH."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Ninja hands the validators its attribute reader (DjangoGetter) of the body.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object of the fields to set.")
        return data
