"""Money is a Decimal amount with an ISO 4217 currency; never a float."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models

from heedful.lib import words
from heedful.lib.validators import validate_currency

CURRENCY_FIELD_LENGTH = 3


def amount_field(**options: object) -> models.DecimalField:
    return models.DecimalField(max_digits=14, decimal_places=2, **options)  # type: ignore[arg-type]


def currency_field(**options: object) -> models.CharField:
    """An ISO 4217 code in use. There is no default: an amount without its currency is refused
    (``validators.amount_has_currency``), and a record without an amount may leave it empty."""
    options.setdefault("blank", True)
    options.setdefault("validators", [validate_currency])
    options.setdefault("help_text", "ISO 4217 code, e.g. USD, EUR.")
    return models.CharField(max_length=CURRENCY_FIELD_LENGTH, **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal | None, currency: str) -> str:
    """The amount with its currency in the site's locale ($7,800.00, ¥10,593,600); see
    ``heedful.lib.words``."""
    return words.format_money(amount, currency)


def parse_amount(raw: str) -> Decimal:
    """Parse a decimal string such as ``2500.00``; raises ValueError with a readable reason."""
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(f"{raw!r} is not a decimal amount (use e.g. 2500.00)") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite amount")
    return value
