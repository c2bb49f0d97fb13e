"""The ISO 4217 currency codes in use, from the Unicode CLDR; no Django here, so that settings
can check a currency with the same list every record is checked against."""

from babel.core import get_global


def _iso_4217_codes() -> frozenset[str]:
    """The ISO 4217 codes of money in circulation, as the Unicode CLDR (shipped by babel)
    records them: a code is current when some territory uses it as tender with no end date.
    Withdrawn codes (DEM, FRF) and the test and precious-metal codes (XTS, XAU) are left out."""
    current = set()
    for territory_currencies in get_global("territory_currencies").values():
        for code, _start, end, is_tender in territory_currencies:
            if end is None and is_tender:
                current.add(code)
    return frozenset(current)


CURRENCIES = _iso_4217_codes()
