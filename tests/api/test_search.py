"""GET /api/v1/search: fuzzy customer lookup through the one visibility rule."""

from tests.api.conftest import API, client_for
from tests.factories import ContactFactory


def test_search_answers_hits_in_the_contract_shape(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.ours, full_name="Zoë Ortiz", external_id="CON-ZOE")
    # when
    response = client_for(people.rep).get(API + "/search", {"q": "zoe ortiz"})
    # then
    assert response.status_code == 200
    hits = response.json()
    assert hits[0]["external_id"] == "CON-ZOE"
    assert set(hits[0]) == {"kind", "external_id", "name", "account_external_id",
                            "account_name", "matched", "score", "closeness"}
    assert hits[0]["kind"] == "contact" and hits[0]["account_external_id"] == "ACC-OURS"


def test_search_finds_only_what_the_caller_sees(people) -> None:  # noqa: ANN001
    rep_hits = client_for(people.rep).get(API + "/search", {"q": "Theirs Utilities"}).json()
    executive_hits = client_for(people.executive).get(
        API + "/search", {"q": "Theirs Utilities"}
    ).json()
    assert all(hit["account_external_id"] != "ACC-THEIRS" for hit in rep_hits)
    assert executive_hits[0]["external_id"] == "ACC-THEIRS"


def test_search_limit_caps_the_hits(people) -> None:  # noqa: ANN001
    for number in range(5):
        ContactFactory(account=people.ours, full_name=f"Pat Example {number}")
    hits = client_for(people.rep).get(API + "/search", {"q": "Pat Example", "limit": 2}).json()
    assert len(hits) == 2


def test_search_without_text_is_422(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/search", {"q": ""})
    assert response.status_code == 422
    assert "q" in response.json()["errors"]
