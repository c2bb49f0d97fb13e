"""A contact reports to a contact of the same customer: the customer's org chart. The same
rule (same customer, not themselves, no circle) holds in the API and the CSV import, with the
same message, and the Account 360 shows the chart."""

import json

from django.urls import reverse

from heedful.accounts.models import Contact
from tests.api.conftest import API, client_for
from tests.factories import ContactFactory
from tests.integrations.conftest import export_bytes, run, table_counts


def patch(client, path: str, payload: dict):  # noqa: ANN001, ANN201
    return client.patch(API + path, json.dumps(payload), content_type="application/json")


def test_api_sets_and_shows_whom_a_contact_reports_to(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(external_id="CON-CIO", account=people.ours, full_name="Carla Cio")
    ContactFactory(external_id="CON-LEAD", account=people.ours, full_name="Lea Lead")
    client = client_for(people.rep)
    # when
    response = patch(client, "/contacts/CON-LEAD", {"reports_to": "CON-CIO"})
    # then
    assert response.status_code == 200, response.content
    assert response.json()["reports_to"] == "CON-CIO"
    assert client.get(API + "/contacts/CON-CIO").json()["reports_to"] is None
    assert Contact.objects.get(external_id="CON-LEAD").reports_to.external_id == "CON-CIO"


def test_api_refuses_a_manager_at_another_customer_or_a_circle(people) -> None:  # noqa: ANN001
    # given
    ContactFactory(external_id="CON-A", account=people.ours)
    ContactFactory(external_id="CON-B", account=people.ours,
                   reports_to=Contact.objects.get(external_id="CON-A"))
    ContactFactory(external_id="CON-X", account=people.theirs)
    client = client_for(people.executive)
    # when
    elsewhere = patch(client, "/contacts/CON-A", {"reports_to": "CON-X"})
    circle = patch(client, "/contacts/CON-A", {"reports_to": "CON-B"})
    themselves = patch(client, "/contacts/CON-A", {"reports_to": "CON-A"})
    # then
    assert elsewhere.json()["errors"]["reports_to"] == ["Contact CON-X is on another account."]
    assert circle.json()["errors"]["reports_to"] == [
        "Reporting lines would go round in a circle: CON-A → CON-B → CON-A."
    ]
    assert themselves.json()["errors"]["reports_to"] == ["A person cannot be their own manager."]
    assert Contact.objects.get(external_id="CON-A").reports_to is None


def test_csv_import_reads_reports_to_from_the_same_file_and_exports_it_back(
    people, write_csv, tmp_path  # noqa: ANN001
) -> None:
    # given a report listed before their manager
    path = write_csv("contacts.csv", """
        external_id,account_external_id,full_name,reports_to
        CON-LEAD,ACC-OURS,Lea Lead,CON-CIO
        CON-CIO,ACC-OURS,Carla Cio,
    """)
    # when
    first = run("import", "contacts", str(path))
    again = run("import", "contacts", str(path))
    # then
    assert first.returncode == 0, first.stderr
    assert Contact.objects.get(external_id="CON-LEAD").reports_to.external_id == "CON-CIO"
    assert again.stdout.strip().endswith("0 created, 0 updated, 2 unchanged")
    exported = export_bytes(tmp_path / "out")["contacts.csv"].decode()
    assert exported.splitlines()[0].endswith(",do_not_contact,reports_to")
    assert "CON-LEAD,ACC-OURS,Lea Lead," in exported and exported.count(",CON-CIO\r\n") == 1


def test_csv_import_refuses_the_api_s_bad_managers_with_its_messages_and_writes_nothing(
    people, write_csv  # noqa: ANN001
) -> None:
    # given a stored line CON-B → CON-A, and a file that would close the circle
    ContactFactory(external_id="CON-A", account=people.ours)
    ContactFactory(external_id="CON-B", account=people.ours,
                   reports_to=Contact.objects.get(external_id="CON-A"))
    ContactFactory(external_id="CON-X", account=people.theirs)
    path = write_csv("contacts.csv", """
        external_id,account_external_id,full_name,reports_to
        CON-NEW,ACC-OURS,New Person,
        CON-A,ACC-OURS,Ann A,CON-B
        CON-C,ACC-OURS,Cee C,CON-X
        CON-D,ACC-OURS,Dee D,CON-D
        CON-E,ACC-OURS,Eee E,CON-NOWHERE
    """)
    before = table_counts()
    # when
    result = run("import", "contacts", str(path))
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}:3: reports_to: Reporting lines would go round in a circle: CON-A → CON-B → CON-A.",
        f"{path}:4: reports_to: Contact CON-X is on another account.",
        f"{path}:5: reports_to: A person cannot be their own manager.",
        f"{path}:6: reports_to: no contact 'CON-NOWHERE' here or in the file",
    ]
    assert table_counts() == before
    assert Contact.objects.get(external_id="CON-A").reports_to is None


def test_account_360_shows_the_customer_s_org_chart(client, people) -> None:  # noqa: ANN001
    # given
    cio = ContactFactory(external_id="CON-CIO", account=people.ours, full_name="Carla Cio",
                         title="CIO")
    lead = ContactFactory(external_id="CON-LEAD", account=people.ours, full_name="Lea Lead",
                          reports_to=cio)
    ContactFactory(external_id="CON-DEV", account=people.ours, full_name="Dev Eloper",
                   reports_to=lead)
    ContactFactory(external_id="CON-BUY", account=people.ours, full_name="Bo Buyer")
    client.force_login(people.rep)
    # when
    body = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    # then the chart nests Dev under Lea under Carla; Bo reports to nobody listed
    chart = body[body.index('class="org-chart"'):]
    carla, lea, dev, bo = (chart.index(name) for name in (
        "Carla Cio", "Lea Lead", "Dev Eloper", "Bo Buyer"))
    assert bo < carla < lea < dev or carla < lea < dev < bo
    nested = chart[carla:dev]
    assert nested.count('<ul class="org-chart">') == 2


def test_account_360_shows_no_chart_when_nobody_reports_to_anyone(client, people) -> None:  # noqa: ANN001
    ContactFactory(external_id="CON-1", account=people.ours)
    ContactFactory(external_id="CON-2", account=people.ours)
    client.force_login(people.rep)
    body = client.get(reverse("accounts:detail", args=["ACC-OURS"])).content.decode()
    assert "org-chart" not in body
