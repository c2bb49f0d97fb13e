"""Names for the generated book (``heedful generate``): as varied as a real customer base.

The demo's hand-written lists (``vocabulary``) give 100,000 generated accounts only 8,843
distinct names and a contact's full name to about 143 others, so a search at scale could not
be judged. Here:

- A company name is "<first word> <second word> <industry noun>" ("Silverbrook Coastal
  Freight"), the two words read from the account's number by a permutation, so that no two of
  the first 134,358 accounts share them: unique by construction, in every process of a
  parallel generate, with no list of names taken to share.
- People's names are ours (the accents the demo relies on) followed by Faker's lists of the
  language (a well-kept library's data, read as plain lists: our own seeded random picks from
  them, so a seed still gives the same book for a given Faker release).
"""

from importlib import import_module
from math import gcd

from heedful.demo.vocabulary import FIRST_NAMES, LAST_NAMES, NAME_WORDS

_COINED_STARTS = (
    "North", "South", "East", "West", "Blue", "Silver", "Red", "Iron", "Oak", "Pine", "Lake",
    "Stone", "Sun", "Bright", "Clear", "Gold", "High", "Maple", "River", "Salt", "Storm",
    "Wild", "Fox", "Green", "Grey", "Cedar", "Elm", "Ash", "Bay", "Copper", "Crystal", "Deer",
    "Eagle", "Fair", "Glen", "Hazel", "Ivy", "Kings", "Long", "Mill", "Moss", "Rock",
    "Rose", "Sand", "Sea", "Snow", "Star", "Swan", "Thorn", "Willow",
)
_COINED_ENDS = (
    "wind", "water", "ridge", "field", "gate", "brook", "stone", "crest", "haven", "wood",
    "point", "line", "view", "mont", "ford", "port", "vale", "shore", "bridge", "hill",
    "dale", "mere", "wick", "ton", "holm",
)
FIRST_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    [word for words in NAME_WORDS.values() for word in words]
    + [start + end for start in _COINED_STARTS for end in _COINED_ENDS]
))
SECOND_WORDS: tuple[str, ...] = (
    "Coastal", "Regional", "United", "National", "Pacific", "Atlantic", "Metro", "Northern",
    "Southern", "Western", "Eastern", "Central", "Valley", "Global", "Continental", "Premier",
    "Allied", "Federal", "Heritage", "Frontier", "Capital", "Royal", "Crown", "Summit",
    "Harbour", "Gateway", "Prime", "Keystone", "Liberty", "Pioneer", "Horizon", "Landmark",
    "Midland", "Highland", "Lowland", "Island", "Mountain", "Prairie", "Delta", "Canyon",
    "Bayside", "Lakeside", "Riverside", "Hillside", "Parkway", "Crossroads", "Meridian",
    "Compass", "Anchor", "Beacon", "Cornerstone", "Bedrock", "Evergreen", "Lodestar",
    "Northgate", "Southgate", "Quayside", "Orchard", "Foundry", "Mercantile", "Civic",
    "Municipal", "County", "Tri-State", "Interstate", "Transit", "Union", "Standard",
    "General", "Consolidated", "Integrated", "Associated", "Independent", "Cooperative",
    "Community", "Bluegrass", "Lakeland", "Tidewater", "Piedmont", "Cascade", "Sierra",
    "Coastline", "Borderland", "Heartland", "Upland", "Seaboard", "Peninsula", "Uptown",
    "Downtown", "Old Town", "New World", "First", "Second Street", "Main Street",
    "Market Street", "Bridge Street", "Harbor Street", "Mill Street",
)

_NAME_SPACE = len(FIRST_WORDS) * len(SECOND_WORDS)
_STRIDE = next(s for s in range(7_919, _NAME_SPACE) if gcd(s, _NAME_SPACE) == 1)


def company_words(number: int) -> tuple[str, str]:
    """The first and second word of account ``number``'s name: a bijection of the numbers
    below ``len(FIRST_WORDS) * len(SECOND_WORDS)`` (a stride coprime with it), so neighbours
    get unrelated names."""
    index = (number * _STRIDE) % _NAME_SPACE
    return FIRST_WORDS[index // len(SECOND_WORDS)], SECOND_WORDS[index % len(SECOND_WORDS)]


# Faker's person lists by our language key (several locales where one is thin).
_FAKER_LOCALES = {
    "en": ("en_US", "en_GB"), "ga": ("ga_IE",), "de": ("de_DE",), "fr": ("fr_FR",),
    "it": ("it_IT",), "es": ("es_ES",), "nl": ("nl_NL",), "sv": ("sv_SE",), "pl": ("pl_PL",),
    "pt": ("pt_BR",), "ja": ("ja_JP",),
}


def _faker_names(language: str, which: str) -> list[str]:
    names: list[str] = []
    for locale in _FAKER_LOCALES.get(language, ()):
        provider = import_module(f"faker.providers.person.{locale}").Provider
        if language == "ja":  # the romanized lists: our contacts' names are in Latin letters
            names += provider.first_romanized_names if which == "first" else \
                provider.last_romanized_names
        elif language == "pl" and which == "last":  # Polish surnames come by gender
            names += [*provider.male_last_names, *provider.unisex_last_names]
        else:
            names += list(getattr(provider, f"{which}_names"))
    return [name for name in names if name.strip() and name != "Doe"]


def _widened(ours: dict[str, tuple[str, ...]], which: str) -> dict[str, tuple[str, ...]]:
    return {
        language: tuple(dict.fromkeys([*names, *_faker_names(language, which)]))
        for language, names in ours.items()
    }


BOOK_FIRST_NAMES = _widened(FIRST_NAMES, "first")
BOOK_LAST_NAMES = _widened(LAST_NAMES, "last")
