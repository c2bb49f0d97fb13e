"""Phone search keys: the stored key and the query's keys agree with libphonenumber."""

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from heedful.lib.phones import phone_key, phone_keys

# National forms whose trunk prefix is followed by a zero of the number itself, or that
# carry a mobile token, and so have no key in common with their international form.
NATIONAL_FORMS_NOT_MATCHED = {"AR", "BY"}


def example_numbers() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append((region, number))
    return found


def test_an_international_number_is_keyed_by_its_national_number_in_every_region() -> None:
    for region, number in example_numbers():
        expected = str(number.national_number)
        for style in (PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164):
            written = phonenumbers.format_number(number, style)
            assert phone_key(written) == expected, (region, written)


def test_a_national_number_finds_its_international_form_in_almost_every_region() -> None:
    for region, number in example_numbers():
        if region in NATIONAL_FORMS_NOT_MATCHED:
            continue
        written = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        assert str(number.national_number) in phone_keys(written), (region, written)


@pytest.mark.parametrize(("stored", "typed"), [
    ("+39 011 4553 1976", "011 4553 1976"),
    ("011 4553 1976", "+39 011 4553 1976"),
    ("0039 011 4553 1976", "+39 (0)11 4553 1976"),
    ("+1 (555) 010-2000", "1-555-010-2000"),
    ("555.010.2000", "+1 555 010 2000"),
    ("+44 20 7946 0000", "020 7946 0000"),
    ("+1 555 010 2000 ext. 12", "(555) 010-2000"),
])
def test_a_number_typed_in_another_form_finds_the_stored_one(stored: str, typed: str) -> None:
    assert phone_key(stored) in phone_keys(typed)


def test_no_digits_no_key() -> None:
    assert phone_key("") == "" and phone_keys("call me") == []
