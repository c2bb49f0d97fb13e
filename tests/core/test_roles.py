"""A user's role alone decides their powers: whichever path changes it (CSV, command, admin),
the admin site, the rule settings and the accounts they see follow."""

from django.test import Client

from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from tests.integrations.conftest import run


def powers(user: User) -> dict[str, object]:
    user = User.objects.get(pk=user.pk)
    browser = Client()
    browser.force_login(user)
    return {
        "admin site": browser.get("/admin/").status_code == 200,
        "rule settings": browser.get("/plays/settings/").status_code == 200,
        "accounts seen": visible_accounts(user).count(),
        "is_superuser": user.is_superuser,
    }


def test_admin_demoted_to_rep_by_csv_loses_every_admin_power(people, write_csv) -> None:  # noqa: ANN001
    # given
    assert powers(people.admin) == {
        "admin site": True, "rule settings": True, "accounts seen": 2, "is_superuser": True,
    }
    path = write_csv("users.csv", "username,role\nadmin,rep\n")
    # when
    result = run("import", "users", str(path))
    # then
    assert result.returncode == 0, result.stderr
    assert powers(people.admin) == {
        "admin site": False, "rule settings": False, "accounts seen": 0, "is_superuser": False,
    }


def test_rep_promoted_to_admin_by_csv_gains_them(people, write_csv) -> None:  # noqa: ANN001
    run("import", "users", str(write_csv("users.csv", "username,role\nother_rep,admin\n")))
    assert powers(people.other_rep) == {
        "admin site": True, "rule settings": True, "accounts seen": 2, "is_superuser": True,
    }


def test_executive_sees_every_account_but_holds_no_admin_power(people) -> None:  # noqa: ANN001
    assert powers(people.executive) == {
        "admin site": False, "rule settings": False, "accounts seen": 2, "is_superuser": False,
    }


def test_role_changed_in_the_admin_site_takes_the_powers_with_it(people) -> None:  # noqa: ANN001
    # given an admin demotes another admin in the admin site
    other_admin = User.objects.create(username="second_admin", role="admin")
    browser = Client()
    browser.force_login(people.admin)
    url = f"/admin/core/user/{other_admin.pk}/change/"
    form = browser.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"role": "rep", "last_login_0": "", "last_login_1": "",
                 "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"})
    # when
    response = browser.post(url, data)
    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    assert powers(other_admin)["admin site"] is False


def test_the_admin_site_offers_no_separate_staff_or_superuser_switch(people) -> None:  # noqa: ANN001
    browser = Client()
    browser.force_login(people.admin)
    page = browser.get(f"/admin/core/user/{people.rep.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert 'name="role"' in page
