import re

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_logs_a_rep_in_on_today(client, people) -> None:  # noqa: ANN001
    # given
    assert "Log in to Heedful" in client.get(reverse("login")).content.decode()
    # when
    response = client.post(
        reverse("login"), {"username": "rep", "password": PASSWORD}, follow=True
    )
    # then
    assert response.redirect_chain[-1][0] == reverse("today:page")
    assert "Nothing needs you right now." in response.content.decode()


def test_wrong_password_says_so(client, people) -> None:  # noqa: ANN001
    # when
    response = client.post(reverse("login"), {"username": "rep", "password": "nope"})
    # then
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_top_bar_shows_name_role_search_and_logout(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.manager)
    # when
    body = client.get(reverse("accounts:list")).content.decode()
    # then
    assert '<span class="whoami-name">Manager</span>' in body
    assert '<span class="badge">Manager</span>' in body
    assert f'action="{reverse("accounts:search")}"' in body
    assert f'<form method="post" action="{reverse("logout")}">' in body


def test_logout_is_a_post_with_csrf(people) -> None:  # noqa: ANN001
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.rep)
    page = browser.get(reverse("accounts:list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # when
    refused_get = browser.get(reverse("logout"))
    refused_without_token = browser.post(reverse("logout"))
    still_in = browser.get(reverse("accounts:list")).status_code
    logged_out = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    # then
    assert refused_get.status_code == 405
    assert refused_without_token.status_code == 403
    assert still_in == 200
    assert logged_out.status_code == 302
    assert browser.get(reverse("accounts:list")).status_code == 302


def test_static_files_are_served_offline(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    body = client.get(reverse("accounts:list")).content.decode()
    # then: no CDN, and the vendored files are there
    assert "https://" not in re.sub(r'href="https?://[^"]*"', "", body)
    assert "/static/heedful/htmx.min.js" in body
    assert "/static/heedful/app.css" in body
