"""The one visibility rule through every endpoint: a rep can neither read, change nor create
anything on another team's account, and hidden looks exactly like missing (404).

The routes come from the NinjaAPI, so an endpoint added without a description in
``tests/api/resources.py`` fails here."""

import json

import pytest

from heedful.core.models import AuditEntry
from tests.api.conftest import API, client_for
from tests.api.resources import CATALOGUE_PATHS, EVENT_PATHS, routes, spec_of

ROUTES = [
    (method, path) for method, path in routes()
    if not path.startswith((*CATALOGUE_PATHS, *EVENT_PATHS))
]


def _url(path: str, key: object) -> str:
    return API + path.split("{")[0] + str(key)


def test_every_route_is_described_for_the_visibility_tests() -> None:
    undescribed = [f"{method} {path}" for method, path in ROUTES
                   if spec_of(path) is None and path != "/search"]
    assert undescribed == []


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_rep_cannot_reach_another_teams_account(people, method: str, path: str) -> None:  # noqa: ANN001
    if path == "/search":
        _search_hides_other_teams_customers(people)
        return
    spec = spec_of(path)
    assert spec is not None, f"describe {path} in tests/api/resources.py"
    # given
    ours, theirs = spec.make(people.ours), spec.make(people.theirs)
    rep = client_for(people.rep)
    executive = client_for(people.executive)
    audit_before = AuditEntry.objects.count()
    count_before = spec.model.objects.count()

    if method == "GET" and "{" not in path:
        # when
        response = rep.get(API + path, {"limit": 500})
        # then
        assert response.status_code == 200
        keys = {str(item[spec.key_field]) for item in response.json()["items"]}
        assert str(spec.key(ours)) in keys
        assert str(spec.key(theirs)) not in keys
        assert "ACC-THEIRS" not in response.content.decode()
        if spec.account_field:
            filtered = rep.get(API + path, {"account_external_id": "ACC-THEIRS"})
            assert filtered.json()["count"] == 0
    elif method == "GET":
        response = rep.get(_url(path, spec.key(theirs)))
        assert response.status_code == 404
        assert executive.get(_url(path, spec.key(theirs))).status_code == 200
    elif method == "PATCH":
        before = executive.get(_url(path, spec.key(theirs))).json()
        response = rep.patch(_url(path, spec.key(theirs)), json.dumps(spec.change),
                             content_type="application/json")
        assert response.status_code == 404
        assert executive.get(_url(path, spec.key(theirs))).json() == before
        if spec.account_field:
            # moving our record onto their account is refused the same way
            ours_before = executive.get(_url(path, spec.key(ours))).json()
            moved = rep.patch(
                _url(path, spec.key(ours)),
                json.dumps({spec.account_field: spec.move_to(people.theirs)}),
                content_type="application/json",
            )
            assert moved.status_code == 404
            assert executive.get(_url(path, spec.key(ours))).json() == ours_before
        assert AuditEntry.objects.count() == audit_before
    elif method == "POST":
        payload = spec.create(people.theirs, people)
        if spec.account_field:
            payload[spec.account_field] = spec.move_to(people.theirs)
            response = rep.post(API + path, json.dumps(payload), content_type="application/json")
            assert response.status_code == 404
        else:
            # accounts, quotas: a rep cannot create one for another team either
            payload[spec.owner_field] = "other_rep"
            response = rep.post(API + path, json.dumps(payload), content_type="application/json")
            assert response.status_code == 422
            assert spec.owner_field in response.json()["errors"]
        assert spec.model.objects.count() == count_before
        assert AuditEntry.objects.count() == audit_before
    elif method == "DELETE":
        response = rep.delete(_url(path, spec.key(theirs)))
        assert response.status_code == 404
        assert spec.model.objects.count() == count_before
        assert AuditEntry.objects.count() == audit_before
    else:
        pytest.fail(f"no visibility test for {method} {path}")


def _search_hides_other_teams_customers(people) -> None:  # noqa: ANN001
    response = client_for(people.rep).get(API + "/search", {"q": "Utilities"})
    assert response.status_code == 200
    assert all(hit["account_external_id"] != "ACC-THEIRS" for hit in response.json())


@pytest.mark.parametrize("who", ["manager", "director"])
def test_manager_sees_their_reports_accounts_but_not_others(people, who: str) -> None:  # noqa: ANN001
    # when
    client = client_for(getattr(people, who))
    # then
    listed = client.get(API + "/accounts").json()
    assert [item["external_id"] for item in listed["items"]] == ["ACC-OURS"]
    assert client.get(API + "/accounts/ACC-OURS").status_code == 200
    assert client.get(API + "/accounts/ACC-THEIRS").status_code == 404


@pytest.mark.parametrize("who", ["executive", "admin"])
def test_executive_and_admin_see_every_account(people, who: str) -> None:  # noqa: ANN001
    listed = client_for(getattr(people, who)).get(API + "/accounts").json()
    assert {item["external_id"] for item in listed["items"]} == {"ACC-OURS", "ACC-THEIRS"}


def test_manager_may_update_a_reports_account(people) -> None:  # noqa: ANN001
    # when
    response = client_for(people.manager).patch(
        API + "/accounts/ACC-OURS", json.dumps({"segment": "mid-market"}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 200
    people.ours.refresh_from_db()
    assert people.ours.segment == "mid-market"
