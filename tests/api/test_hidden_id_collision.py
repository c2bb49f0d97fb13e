"""A create (or a change of id) that collides with a record the caller cannot see answers
exactly as one colliding with a record they can see, confirming nothing, and writes
nothing."""

import json

import pytest

from heedful.accounts.models import Account, Contact
from heedful.core.models import AuditEntry
from tests.api.conftest import API, client_for
from tests.factories import ContactFactory

NEUTRAL = "This id cannot be used; choose another."


def _post(client, path: str, body: dict):  # noqa: ANN001, ANN202
    return client.post(f"{API}/{path}", json.dumps(body), content_type="application/json")


def test_account_with_the_id_of_a_hidden_account_is_refused_like_a_visible_one(people) -> None:  # noqa: ANN001
    # given the rep sees ACC-OURS and not ACC-THEIRS
    client = client_for(people.rep)
    accounts, audited = Account.objects.count(), AuditEntry.objects.count()
    # when
    hidden = _post(client, "accounts", {"external_id": "ACC-THEIRS", "name": "Probe"})
    visible = _post(client, "accounts", {"external_id": "ACC-OURS", "name": "Probe"})
    # then
    assert hidden.status_code == visible.status_code == 409
    assert hidden.json() == visible.json()
    assert hidden.json()["errors"] == {"external_id": [NEUTRAL]}
    assert "exist" not in hidden.content.decode()
    assert Account.objects.count() == accounts
    assert AuditEntry.objects.count() == audited
    assert Account.objects.get(external_id="ACC-THEIRS").name == "Theirs Utilities"


def test_contact_with_the_id_of_a_contact_on_a_hidden_account_is_refused_neutrally(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(account=people.theirs, external_id="CON-THEIRS", full_name="Hidden Person")
    ContactFactory(account=people.ours, external_id="CON-OURS")
    client = client_for(people.rep)
    contacts = Contact.objects.count()
    body = {"account_external_id": "ACC-OURS", "full_name": "Probe"}
    # when
    hidden = _post(client, "contacts", {**body, "external_id": "CON-THEIRS"})
    visible = _post(client, "contacts", {**body, "external_id": "CON-OURS"})
    # then
    assert hidden.status_code == visible.status_code == 409
    assert hidden.json() == visible.json()
    assert NEUTRAL in hidden.json()["detail"]
    assert Contact.objects.count() == contacts
    assert Contact.objects.get(external_id="CON-THEIRS").account == people.theirs


@pytest.mark.parametrize(("path", "key", "hidden_id"), [
    ("accounts", "ACC-OURS", "ACC-THEIRS"),
    ("contacts", "CON-OURS", "CON-THEIRS"),
])
def test_renaming_to_a_hidden_id_is_refused_neutrally(
    people, path: str, key: str, hidden_id: str  # noqa: ANN001
) -> None:
    # given
    ContactFactory(account=people.theirs, external_id="CON-THEIRS")
    ContactFactory(account=people.ours, external_id="CON-OURS")
    # when
    response = client_for(people.rep).patch(
        f"{API}/{path}/{key}", json.dumps({"external_id": hidden_id}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 409
    assert response.json()["errors"] == {"external_id": [NEUTRAL]}


def test_a_free_id_is_still_created(people) -> None:  # noqa: ANN001
    # when
    response = _post(client_for(people.rep), "accounts", {"external_id": "ACC-NEW", "name": "New"})
    # then
    assert response.status_code == 201
    assert response["ETag"]
    assert Account.objects.filter(external_id="ACC-NEW").exists()


def test_a_taken_id_among_other_errors_is_422_alike_for_hidden_and_visible(people) -> None:  # noqa: ANN001
    # given
    client = client_for(people.rep)
    # when
    hidden = _post(client, "accounts", {"external_id": "ACC-THEIRS", "name": "", "status": "x"})
    visible = _post(client, "accounts", {"external_id": "ACC-OURS", "name": "", "status": "x"})
    # then
    assert hidden.status_code == visible.status_code == 422
    assert hidden.json() == visible.json()
    assert hidden.json()["errors"]["external_id"] == [NEUTRAL]
    assert set(hidden.json()["errors"]) == {"external_id", "name", "status"}
