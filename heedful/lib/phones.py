"""Phone numbers as search keys: one function for what is stored and what is looked up.

A number is written "+39 011 4553 1976" in one system and "011 4553 1976" in another (the
national form, with no country). The key is libphonenumber's ``national_number``, the number
without its country code and trunk prefix ("1145531976" for both), so either form finds the
other.

libphonenumber's own ``parse`` takes 45 µs a number, which would add most of a minute to an
import of a million contacts; the key needs only its country-code table (country codes are
prefix-free), so that is what is used here. ``tests/lib/test_phones.py`` checks the keys
against ``phonenumbers.parse`` for an example number of every region.
"""

import re

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, SUPPORTED_REGIONS, PhoneMetadata

_NON_DIGITS = re.compile(r"\D+")
# An extension ("ext. 12", "x12", ";ext=12") is not part of the line's number.
_EXTENSION = re.compile(r"(?i)\s*(?:e?xt\.?|extension|x|#|;\s*ext=).*$")
_NORTH_AMERICAN_WITH_TRUNK_PREFIX = 11
_COUNTRY_CODES = {str(code) for code in COUNTRY_CODE_TO_REGION_CODE if code}
# The trunk prefixes a national number may start with ("0", "1", "8", "06"), longest first.
_TRUNK_PREFIXES = sorted(
    {
        metadata.national_prefix
        for metadata in map(PhoneMetadata.metadata_for_region, SUPPORTED_REGIONS)
        if metadata is not None and metadata.national_prefix
    },
    key=len, reverse=True,
)


def phone_keys(raw: str) -> list[str]:
    """The keys under which the number ``raw`` is found, the one to store first; empty when
    ``raw`` has no digits.

    An international number ("+39 …", "0039 …") loses its country code and leading zeros;
    its other keys keep the country code, for numbers stored as digits with it but without
    the "+". A national number, whose country is unknown, is stored without a leading "0"
    (the common trunk prefix) or the "1" of an eleven-digit North American number, and is
    looked up also as typed and without each other trunk prefix ("8" in Russia, "06" in
    Hungary), so that it finds the international form of the number in those countries too.
    """
    text = _EXTENSION.sub("", (raw or "").strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+"):
        for length in (1, 2, 3):
            country = digits[:length]
            if country in _COUNTRY_CODES:
                significant = digits[length:]
                national = significant.lstrip("0")
                if national:
                    return list(dict.fromkeys(
                        [national, country + national, country + significant]
                    ))
                break
    if not digits:
        return []
    stored = digits
    if len(digits) == _NORTH_AMERICAN_WITH_TRUNK_PREFIX and digits.startswith("1"):
        stored = digits[1:]
    elif digits.startswith("0"):
        stored = digits[1:]
    others = [digits[len(prefix):] for prefix in _TRUNK_PREFIXES if digits.startswith(prefix)]
    return list(dict.fromkeys(key for key in [stored, digits, *others] if key))


def phone_key(raw: str) -> str:
    """The stored search key of a phone number ("" for none)."""
    keys = phone_keys(raw)
    return keys[0] if keys else ""
