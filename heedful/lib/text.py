"""Text helpers shared by imports, search and pages."""

import re
import unicodedata

_NON_DIGITS = re.compile(r"\D+")


def phone_digits(phone: str) -> str:
    """The digits of a phone number, for matching "+1 (555) 010-2000" with "5550102000".

    A leading international "00" is dropped, as is a leading "1" country code when the rest
    is a ten-digit North American number, so the same line matches in every common format.
    """
    digits = _NON_DIGITS.sub("", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def fold(text: str) -> str:
    """Lower-case text without accents, for matching "Zoë" with "zoe"; the stored name keeps
    its accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def split_list(raw: str) -> list[str]:
    """A ``;``-separated CSV list, trimmed, without empties."""
    return [item.strip() for item in (raw or "").split(";") if item.strip()]


def join_list(items: list[str]) -> str:
    return ";".join(items)
