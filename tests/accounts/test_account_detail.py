import re

from django.urls import reverse

from heedful.account360 import services
from heedful.plays.models import Play
from tests.accounts.conftest import furnish
from tests.conftest import AS_OF
from tests.factories import AccountFactory


def url(external_id: str) -> str:
    return reverse("accounts:detail", args=[external_id])


def test_login_is_required(client, people) -> None:  # noqa: ANN001
    # when
    response = client.get(url("ACC-OURS"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_rep_cannot_open_another_teams_account(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(url("ACC-THEIRS"))
    # then
    assert response.status_code == 404
    assert "Theirs Utilities" not in response.content.decode()


def test_missing_account_is_the_same_not_found(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(url("ACC-NOPE"))
    # then
    assert response.status_code == 404


def test_manager_opens_their_reports_account(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.manager)
    # when
    response = client.get(url("ACC-OURS"))
    # then
    assert response.status_code == 200
    assert "Ours Telecom" in response.content.decode()


def test_other_manager_cannot_open_it(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.other_manager)
    # then
    assert client.get(url("ACC-OURS")).status_code == 404


def test_shows_what_a_rep_must_notice_before_a_call(client, people, furnished) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(url("ACC-OURS")).content.decode()
    # then
    assert "call them <strong>Rich</strong>" in body
    assert "Prefers e-mail — do not phone" in body
    assert "Dislikes: golf, phone calls" in body
    assert "Do not contact" in body
    assert re.search(r'<tr class="row-danger severity-1">\s*<td>Phones are down', body)
    assert "<svg" in body and "Invoiced per period" in body
    assert "chart-bar-highlight" in body
    assert "3.12× contracted" in body
    assert "Closing 30% of its offices" in body
    assert "Price increase" in body


def test_shows_the_team_with_managers_for_feedback_and_history(client, people, furnished) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(url("ACC-OURS")).content.decode()
    # then
    assert "Carla Success" in body
    assert "for feedback: <strong>Maria Boss</strong>" in body
    assert "for feedback: <strong>Manager</strong>" in body
    assert "Frank Former · Account owner, Jan 2022 – Dec 2023" in body


def test_day_counts_are_as_of_today(client, people, furnished) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    overview = client.get(url("ACC-OURS")).context["overview"]
    # then: today is pinned to 22 Nov 2026
    assert overview.as_of == AS_OF
    assert overview.contracts[0].days_left == 45
    assert overview.contracts[0].notice_days_left == 15
    assert overview.holdings[0].maintenance_days_left == 45
    assert overview.orders[0].days_since_shipped == 10


def test_missed_service_targets_are_highlighted(client, people, furnished) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(url("ACC-OURS"))
    # then
    assert response.context["overview"].missed_metric_count == 1
    assert response.content.decode().count("metric-missed") == 1
    assert "180%" in response.content.decode()


def test_open_tickets_come_first(people, furnished) -> None:  # noqa: ANN001
    # when
    overview = services.get_account_360(account=people.ours, as_of=AS_OF)
    # then
    assert [ticket.is_open for ticket in overview.tickets] == [True, False]
    assert overview.open_ticket_count == 1


def test_empty_account_renders_every_section(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(url("ACC-OURS"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "No invoices." in body
    assert "No contacts." in body


def test_query_count_is_bounded_whatever_the_size_of_the_account(
    client, people, django_assert_num_queries  # noqa: ANN001
) -> None:
    # given
    small = AccountFactory(external_id="ACC-SMALL", owner=people.rep)
    large = AccountFactory(external_id="ACC-LARGE", owner=people.rep)
    furnish(small)
    furnish(large, months=24, extra=8)
    for index in range(5):
        Play.objects.create(
            rule="billing.spike", account=large, subject=f"invoice:{index}", owner=people.rep,
            priority=50 + index, urgent=index == 0, title=f"Play {index}", explanation="Why.",
            facts={"amount": "7800.00"}, suggested_action="Call.",
        )
    client.force_login(people.rep)
    # when / then: the same count for both (30 since the health section: its weights, its
    # snapshots and the owner's sentiment)
    with django_assert_num_queries(30):
        client.get(url("ACC-SMALL"))
    with django_assert_num_queries(30):
        response = client.get(url("ACC-LARGE"))
    assert len(response.context["overview"].invoices) == 12
    assert len(response.context["overview"].plays) == 5
