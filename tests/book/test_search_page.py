from django.urls import reverse

from heedful.book.search import SearchHit

URL = reverse("accounts:search")


def test_login_is_required(client, people) -> None:  # noqa: ANN001
    # when
    response = client.get(URL, {"q": "ours"})
    # then
    assert response.status_code == 302


def test_empty_query_explains_what_to_type(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL).content.decode()
    # then
    assert "Type a few letters" in body


def test_results_link_to_the_account_360(client, people, monkeypatch) -> None:  # noqa: ANN001
    # given: a stand-in for the search engine
    def fake_search(*, user, text, limit):  # noqa: ANN001, ANN202
        assert (user, text, limit) == (people.rep, "ours", 20)
        return [
            SearchHit(
                kind="account", external_id="ACC-OURS", name="Ours Telecom",
                account_external_id="ACC-OURS", account_name="Ours Telecom",
                matched="name", score=95, closeness="close",
            ),
            SearchHit(
                kind="contact", external_id="CON-1", name="Richard Stone",
                account_external_id="ACC-OURS", account_name="Ours Telecom",
                matched="preferred_name", score=80, closeness="close",
            ),
        ]

    monkeypatch.setattr("heedful.book.views.search_customers", fake_search)
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "ours"}, headers={"HX-Request": "true"}).content.decode()
    # then
    assert "<html" not in body
    assert body.count('href="/accounts/ACC-OURS/"') == 2
    assert "Richard Stone" in body and "at Ours Telecom" in body
    assert "Close match on the preferred name" in body and "preferred_name" not in body


def test_finds_a_misspelled_account_the_user_may_see(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "Ourz Telecon"}).content.decode()
    # then
    assert 'href="/accounts/ACC-OURS/"' in body
    assert "Theirs Utilities" not in body


def test_does_not_find_another_teams_account(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "Theirs Utilities"}).content.decode()
    # then
    assert "ACC-THEIRS" not in body


def test_a_query_that_matches_nothing_answers_no_close_match(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "xyzzy nothing"}).content.decode()
    # then
    assert "No close match for “xyzzy nothing”" in body


def test_loose_matches_come_under_no_close_match(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "Ourz"}).content.decode()
    # then
    assert "No close match for “Ourz”. The nearest, only loosely alike:" in body
    assert 'href="/accounts/ACC-OURS/"' in body
    assert "Loose match on the name" in body


def test_close_matches_leave_out_the_loose_ones(client, people, monkeypatch) -> None:  # noqa: ANN001
    # given
    def fake_search(*, user, text, limit):  # noqa: ANN001, ANN202
        return [
            SearchHit(
                kind="account", external_id="ACC-OURS", name="Ours Telecom",
                account_external_id="ACC-OURS", account_name="Ours Telecom",
                matched="name", score=95, closeness="close",
            ),
            SearchHit(
                kind="account", external_id="ACC-LOOSE", name="Loosely Alike",
                account_external_id="ACC-LOOSE", account_name="Loosely Alike",
                matched="alias", score=70, closeness="loose",
            ),
        ]

    monkeypatch.setattr("heedful.book.views.search_customers", fake_search)
    client.force_login(people.rep)
    # when
    body = client.get(URL, {"q": "ours"}).content.decode()
    # then
    assert "Ours Telecom" in body and "Close match on the name" in body
    assert "Loosely Alike" not in body and "No close match" not in body
