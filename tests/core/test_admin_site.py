"""The admin site is Heedful's: its name, its login, a link for admins only, and a refusal
in Heedful's layout for anyone else who opens it."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import log_in
from tests.core.test_content_security import violations, watch_for_violations
from tests.factories import PASSWORD


def test_admin_pages_say_heedful(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    index = client.get("/admin/").content.decode()
    users = client.get(reverse("admin:core_user_changelist")).content.decode()
    # then
    assert "<title>Records, users and settings | Heedful admin</title>" in index
    assert '<a href="/admin/">Heedful admin</a>' in index
    assert "<h1>Records, users and settings</h1>" in index
    assert "| Heedful admin</title>" in users
    assert "Django administration" not in index + users
    assert "Django site admin" not in index + users
    # the role alone decides powers: no permission groups to edit
    assert "/admin/auth/group/" not in index


@pytest.mark.parametrize(("username", "sees_link"), [
    ("rep", False), ("manager", False), ("executive", False), ("admin", True),
])
def test_the_pages_link_the_admin_for_admins_only(
    client, people, username: str, sees_link: bool  # noqa: ANN001
) -> None:
    # given
    client.force_login(getattr(people, username))
    # when
    body = client.get(reverse("accounts:list")).content.decode()
    # then
    assert ('href="/admin/"' in body) is sees_link


@pytest.mark.parametrize("path", ["/admin/", "/admin/core/user/", "/admin/login/"])
def test_a_rep_who_opens_the_admin_is_refused_in_heedfuls_layout(
    client, people, path: str  # noqa: ANN001
) -> None:
    # given
    people.admin.full_name = "Ada Admin"
    people.admin.email = "ada@example.com"
    people.admin.save()
    client.force_login(people.rep)
    # when
    response = client.get(path)
    # then: 403, what to do instead, whom to ask; no admin login form
    body = response.content.decode()
    assert response.status_code == 403
    assert "The admin is for admins" in body
    assert f'href="{reverse("plays:queue")}"' in body
    assert f'href="{reverse("accounts:list")}"' in body
    assert '<a href="mailto:ada@example.com">Ada Admin</a>' in body
    assert 'class="topbar"' in body
    assert 'name="password"' not in body


@pytest.mark.parametrize("path", ["/admin/", "/admin/core/user/"])
def test_an_anonymous_visitor_goes_to_heedfuls_login(client, path: str) -> None:  # noqa: ANN001
    # when
    response = client.get(path, follow=True)
    # then
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={path}"
    assert "Log in to Heedful" in response.content.decode()


def test_an_admin_logging_in_from_there_lands_back_in_the_admin(people) -> None:  # noqa: ANN001
    # given
    browser = Client()
    login_page = browser.get("/admin/core/user/", follow=True).redirect_chain[-1][0]
    # when
    response = browser.post(
        login_page, {"username": "admin", "password": PASSWORD, "next": "/admin/core/user/"},
        follow=True,
    )
    # then
    assert response.redirect_chain[-1][0] == "/admin/core/user/"
    assert response.status_code == 200


def test_pages_and_the_admin_carry_heedfuls_icon(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.admin)
    # when
    pages = [client.get(path).content.decode() for path in ("/login/", "/accounts/", "/admin/")]
    icon = client.get("/static/heedful/favicon.svg")
    default_icon = client.get("/favicon.ico", follow=True)
    # then
    for body in pages:
        assert '<link rel="icon" href="/static/heedful/favicon.svg" type="image/svg+xml">' in body
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    assert default_icon.status_code == 200
    assert b"".join(default_icon.streaming_content).startswith(b"\x89PNG")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_follows_the_admin_link_and_a_rep_reads_the_refusal(
    page: Page, live_server, people  # noqa: ANN001
) -> None:
    # given
    errors = watch_for_violations(page)
    log_in(page, live_server, "admin")
    # when: the admin follows the link in the top bar
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    # then
    expect(page).to_have_title("Records, users and settings | Heedful admin")
    expect(page.get_by_role("link", name="Heedful admin")).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    assert violations(page) == []
    # given: a rep, logged in
    page.context.clear_cookies()
    log_in(page, live_server, "rep")
    main_navigation = page.get_by_role("navigation", name="Main")
    expect(main_navigation.get_by_role("link", name="Admin")).to_have_count(0)
    # when: the rep types the admin's address
    response = page.goto(f"{live_server.url}/admin/")
    # then: a refusal that says what to do instead, which leads on
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="The admin is for admins")).to_be_visible()
    page.get_by_role("link", name="Work your plays").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('plays:queue')}")
    assert violations(page) == []
    assert [error for error in errors if "403" not in error] == []
