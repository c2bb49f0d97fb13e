"""No page shows a rep another team's account, whatever the URL. The test walks every
route of the site (the admin and the API have their own tests), so a new page that takes an
account or a play fails here until it is described below."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from heedful.plays.models import Play

THEIR_NAME = "Theirs Utilities"


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from walk(entry, route)
        else:
            yield route, entry


ROUTES = sorted(route for route, _ in walk(get_resolver()))


def url_for(route: str, *, external_id: str, play_id: int) -> tuple[str, str]:
    """The URL and method that would show the other team's record on this route."""
    url = "/" + route
    url = url.replace("<path:external_id>", external_id).replace("<int:play_id>", str(play_id))
    method = "get"
    if "<slug:action>" in url:
        url, method = url.replace("<slug:action>", "dismiss"), "post"
    assert "<" not in url, f"describe the parameters of the new route {route!r} in this test"
    return url, method


@pytest.fixture
def their_play(people) -> Play:  # noqa: ANN001
    return Play.objects.create(
        rule="support.ticket_opened", account=people.theirs, subject="ticket:T-1",
        owner=people.other_rep, priority=90, urgent=True, title="Phones down at Theirs",
        explanation="A severity-1 ticket was opened.", suggested_action="Call them.",
    )


@pytest.mark.parametrize("route", ROUTES)
def test_rep_never_sees_another_teams_account_on_any_page(
    route: str, people, their_play: Play, client  # noqa: ANN001
) -> None:
    # given
    client.force_login(people.rep)
    url, method = url_for(route, external_id=people.theirs.external_id, play_id=their_play.pk)
    # when
    if method == "post":
        response = client.post(url, {"reason": "not mine"})
    else:
        response = client.get(
            url, {"q": "Theirs", "scope": "all", "owner": people.other_rep.pk, "account": "Theirs"}
        )
    # then
    assert response.status_code in (200, 302, 403, 404, 405)
    assert THEIR_NAME not in response.content.decode()
    assert "Phones down at Theirs" not in response.content.decode()
    their_play.refresh_from_db()
    assert their_play.status == "open"


def test_manager_sees_the_reports_account_page(people, client) -> None:  # noqa: ANN001
    client.force_login(people.director)
    response = client.get(f"/accounts/{people.ours.external_id}/")
    assert response.status_code == 200
    assert "Ours Telecom" in response.content.decode()
