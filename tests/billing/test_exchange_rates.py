"""Exchange rates an admin sets: one positive rate per ISO currency to the reporting currency."""

import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from heedful.billing.models import ExchangeRate

ADD_URL = "/admin/billing/exchangerate/add/"


def test_admin_sets_a_rate_to_the_reporting_currency(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    response = client.post(ADD_URL, {"currency": "EUR", "rate": "1.08"})
    # then
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.rate, rate.reporting_currency) == ("EUR", Decimal("1.08"), "USD")
    assert str(rate) == "1 EUR = 1.08 USD"


@pytest.mark.parametrize(
    ("currency", "rate", "reason"),
    [
        ("EUR", "0", "A rate must be above zero"),
        ("EUR", "-1.2", "A rate must be above zero"),
        ("EUR", "a lot", "Enter a number."),
        ("XYZ", "1.5", "is not an ISO 4217 currency code in use"),
        ("eur", "1.5", "is not an ISO 4217 currency code in use"),
        ("USD", "1", "The reporting currency needs no rate"),
    ],
)
def test_admin_is_refused_a_rate_that_cannot_be(client, people, currency, rate, reason) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    response = client.post(ADD_URL, {"currency": currency, "rate": rate})
    # then
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not ExchangeRate.objects.exists()


def test_a_currency_has_one_rate(client, people) -> None:  # noqa: ANN001
    # given
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.08"))
    client.force_login(people.admin)
    # when
    response = client.post(ADD_URL, {"currency": "EUR", "rate": "1.10"})
    # then
    assert "This currency already has a rate." in response.content.decode()
    assert list(ExchangeRate.objects.values_list("rate", flat=True)) == [Decimal("1.08")]


def test_the_database_refuses_a_rate_of_zero_and_a_second_rate(people) -> None:  # noqa: ANN001
    # given
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.08"))
    # then
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="GBP", rate=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.10"))
    assert ExchangeRate.objects.count() == 1


def test_a_rep_cannot_set_rates(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.post(ADD_URL, {"currency": "EUR", "rate": "1.08"})
    # then
    assert response.status_code != 302 or "/login/" in response["Location"]
    assert not ExchangeRate.objects.exists()


def test_a_reporting_currency_that_is_no_currency_stops_the_start(tmp_path) -> None:  # noqa: ANN001
    # when
    result = subprocess.run(
        [sys.executable, "-c", "import heedful.settings"],
        env={"HEEDFUL_HOME": str(tmp_path), "HEEDFUL_REPORTING_CURRENCY": "DOLLARS",
             "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False,
    )
    # then
    assert result.returncode != 0
    assert "HEEDFUL_REPORTING_CURRENCY='DOLLARS' is not an ISO 4217 currency code" in result.stderr
