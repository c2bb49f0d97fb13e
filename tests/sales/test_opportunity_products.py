"""Products on an opportunity (Salesforce's opportunity products, HubSpot's line items): a
product of the catalogue, how many and the price of one, in the opportunity's currency;
through the API, the CSV import and the opportunity's page, with the same rules."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from heedful.core.exceptions import IdNotAvailable, InvalidInput
from heedful.integrations.csv_import import ImportRejected, import_files
from heedful.sales import services
from heedful.sales.models import Opportunity, OpportunityProduct, Stage
from tests.api.conftest import API, client_for
from tests.factories import OpportunityFactory, ProductFactory


@pytest.fixture
def deal(people):  # noqa: ANN001, ANN201
    return OpportunityFactory(
        external_id="OPP-1", account=people.ours, owner=people.rep, currency="EUR",
        amount=Decimal("30000.00"),
    )


@pytest.fixture
def handset(db):  # noqa: ANN001, ANN201
    return ProductFactory(sku="HS-100", name="Desk handset")


def test_a_rep_prices_products_on_their_deal_in_its_currency(people, deal, handset) -> None:  # noqa: ANN001
    # when
    response = client_for(people.rep).post(
        f"{API}/opportunity-products",
        json.dumps({"opportunity_external_id": "OPP-1", "sku": "HS-100", "quantity": 40,
                    "unit_price": "250.00"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["product_name"] == "Desk handset"
    assert answer["currency"] == "EUR"
    assert Decimal(answer["total_price"]) == Decimal("10000.00")
    assert services.products_total(deal).amount == Decimal("10000.00")


@pytest.mark.parametrize(("quantity", "unit_price", "refused"), [
    ("0", "250.00", "quantity"),
    ("1", "-0.01", "unit_price"),
])
def test_a_product_needs_a_quantity_of_one_or_more_and_a_price_of_zero_or_more(
    people, deal, handset, quantity, unit_price, refused,  # noqa: ANN001
) -> None:
    # when
    with pytest.raises(InvalidInput) as refusal:
        services.create_opportunity_product(user=people.rep, data={
            "opportunity": "OPP-1", "product": "HS-100", "quantity": quantity,
            "unit_price": unit_price,
        })
    # then
    assert refused in refusal.value.errors
    assert not OpportunityProduct.objects.exists()


def test_one_and_a_free_one_are_taken(people, deal, handset) -> None:  # noqa: ANN001
    # when
    line = services.create_opportunity_product(user=people.rep, data={
        "opportunity": "OPP-1", "product": "HS-100", "quantity": "1", "unit_price": "0",
    })
    # then
    assert line.quantity == 1 and line.unit_price == Decimal("0.00")


def test_an_opportunity_without_a_currency_cannot_price_products(people, handset) -> None:  # noqa: ANN001
    # given
    OpportunityFactory(external_id="OPP-BARE", account=people.ours, owner=people.rep,
                       amount=None, currency="")
    # when
    with pytest.raises(InvalidInput) as refusal:
        services.create_opportunity_product(user=people.rep, data={
            "opportunity": "OPP-BARE", "product": "HS-100", "unit_price": "10.00",
        })
    # then
    assert "set its currency" in refusal.value.errors["opportunity"][0]
    assert not OpportunityProduct.objects.exists()


def test_an_opportunity_with_products_keeps_its_currency(people, deal, handset) -> None:  # noqa: ANN001
    # given
    services.create_opportunity_product(user=people.rep, data={
        "opportunity": "OPP-1", "product": "HS-100", "unit_price": "250.00",
    })
    # when
    with pytest.raises(InvalidInput) as refusal:
        services.update(user=people.rep, external_id="OPP-1", changes={"currency": "USD"})
    # then
    assert "priced in EUR" in refusal.value.errors["currency"][0]
    assert Opportunity.objects.get(external_id="OPP-1").currency == "EUR"


def test_a_product_is_on_a_deal_once(people, deal, handset) -> None:  # noqa: ANN001
    # given
    data = {"opportunity": "OPP-1", "product": "HS-100", "unit_price": "250.00"}
    services.create_opportunity_product(user=people.rep, data=data)
    # when, then
    with pytest.raises(IdNotAvailable):
        services.create_opportunity_product(user=people.rep, data=data)
    assert OpportunityProduct.objects.count() == 1


def test_a_rep_cannot_put_products_on_another_teams_deal(people, handset) -> None:  # noqa: ANN001
    # given
    OpportunityFactory(external_id="OPP-THEIRS", account=people.theirs, owner=people.other_rep)
    # when
    response = client_for(people.rep).post(
        f"{API}/opportunity-products",
        json.dumps({"opportunity_external_id": "OPP-THEIRS", "sku": "HS-100",
                    "unit_price": "1.00"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 404
    assert not OpportunityProduct.objects.exists()


def test_the_csv_import_takes_products_and_refuses_what_the_api_refuses(
    people, deal, handset, write_csv,  # noqa: ANN001
) -> None:
    # given
    OpportunityFactory(external_id="OPP-BARE", account=people.ours, owner=people.rep,
                       amount=None, currency="")
    good = write_csv("opportunity_products.csv", """
        opportunity_external_id,sku,quantity,unit_price
        OPP-1,HS-100,40,250.00
    """)
    bad = write_csv("bad.csv", """
        opportunity_external_id,sku,quantity,unit_price
        OPP-1,HS-100,0,250.00
        OPP-BARE,HS-100,1,10.00
    """)
    # when
    first = import_files([("opportunity_products", good)])
    again = import_files([("opportunity_products", good)])
    with pytest.raises(ImportRejected) as rejected:
        import_files([("opportunity_products", bad)])
    # then
    assert first[0].created == 1 and again[0].unchanged == 1
    problems = {(problem.line, problem.column) for problem in rejected.value.problems}
    assert problems == {(2, "quantity"), (3, "opportunity_external_id")}
    line = OpportunityProduct.objects.get()
    assert (line.quantity, line.unit_price) == (40, Decimal("250.00"))


def test_the_csv_import_keeps_the_currency_of_an_opportunity_with_products(
    people, deal, handset, write_csv,  # noqa: ANN001
) -> None:
    # given
    services.create_opportunity_product(user=people.rep, data={
        "opportunity": "OPP-1", "product": "HS-100", "unit_price": "250.00",
    })
    changed = write_csv("opportunities.csv", f"""
        external_id,account_external_id,name,owner_username,stage,amount,currency
        OPP-1,{people.ours.external_id},Expansion,rep,qualify,30000.00,USD
    """)
    # when
    with pytest.raises(ImportRejected) as rejected:
        import_files([("opportunities", changed)])
    # then
    assert [(problem.column, "priced in EUR" in problem.reason)
            for problem in rejected.value.problems] == [("currency", True)]
    assert Opportunity.objects.get(external_id="OPP-1").currency == "EUR"


def test_the_opportunity_page_shows_its_products_and_adds_one(people, deal, handset) -> None:  # noqa: ANN001
    # given
    ProductFactory(sku="LIC-1", name="Call-centre licence")
    services.create_opportunity_product(user=people.rep, data={
        "opportunity": "OPP-1", "product": "HS-100", "quantity": "40", "unit_price": "250.00",
    })
    browser = Client()
    browser.force_login(people.rep)
    # when
    added = browser.post("/sales/opportunities/OPP-1/products/", {
        "product": "LIC-1", "quantity": "10", "unit_price": "99.50",
    })
    refused = browser.post("/sales/opportunities/OPP-1/products/", {
        "product": "LIC-1", "quantity": "0", "unit_price": "99.50",
    })
    page = browser.get("/sales/opportunities/OPP-1/").content.decode()
    # then
    assert added.status_code == 302
    assert refused.status_code == 400
    assert "Desk handset" in page and "Call-centre licence" in page
    assert "€10,995.00" in page  # 40 × 250 + 10 × 99.50, in the deal's currency


def test_the_opportunity_page_names_the_forecast_category_its_stage_gives(people) -> None:  # noqa: ANN001
    # given
    Stage.objects.create(name="negotiate", order=3, forecast_category="commit", probability=75)
    OpportunityFactory(external_id="OPP-NEG", account=people.ours, owner=people.rep,
                       stage="negotiate", forecast_category="")
    OpportunityFactory(external_id="OPP-ODD", account=people.ours, owner=people.rep,
                       stage="unheard-of", forecast_category="")
    browser = Client()
    browser.force_login(people.rep)
    # when
    set_up = browser.get("/sales/opportunities/OPP-NEG/").content.decode()
    not_set_up = browser.get("/sales/opportunities/OPP-ODD/").content.decode()
    # then
    assert "Commit <span class=\"muted\">(the stage's)</span>" in set_up
    assert "(the stage's)" not in not_set_up


def test_a_rep_cannot_open_another_teams_opportunity(people) -> None:  # noqa: ANN001
    # given
    OpportunityFactory(external_id="OPP-THEIRS", account=people.theirs, owner=people.other_rep)
    browser = Client()
    browser.force_login(people.rep)
    # when
    response = browser.get("/sales/opportunities/OPP-THEIRS/")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize(("path", "extra"), [
    ("stage-changes", {"stage": "qualify"}),
    ("opportunity-products", {"sku": "HS-100"}),
])
def test_the_records_on_deals_filter_by_the_deal_and_by_its_account(
    people, deal, handset, path, extra,  # noqa: ANN001
) -> None:
    # given a second deal of the rep's, on another account, each with a stage and a product
    from datetime import UTC, datetime

    from heedful.sales.models import StageChange
    from tests.factories import AccountFactory

    other = OpportunityFactory(
        external_id="OPP-2", account=AccountFactory(external_id="ACC-2", owner=people.rep),
        owner=people.rep, currency="EUR",
    )
    for opportunity in (deal, other):
        StageChange.objects.create(opportunity=opportunity, stage="qualify",
                                   changed_at=datetime(2026, 11, 2, tzinfo=UTC))
        OpportunityProduct.objects.create(opportunity=opportunity, product=handset, quantity=1,
                                          unit_price=Decimal("250.00"))
    client = client_for(people.rep)

    def deals_listed(**filters: str) -> list[str]:
        items = client.get(f"{API}/{path}", {**extra, **filters}).json()["items"]
        return sorted(item["opportunity_external_id"] for item in items)

    # when / then
    assert deals_listed() == ["OPP-1", "OPP-2"]
    assert deals_listed(opportunity_external_id="OPP-2") == ["OPP-2"]
    assert deals_listed(account_external_id="ACC-OURS") == ["OPP-1"]
