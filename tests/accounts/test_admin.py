import pytest
from django.contrib import admin
from django.urls import reverse

from tests.accounts.conftest import furnish

APPS = {"core", "accounts", "catalog", "billing", "orders", "support", "interactions", "sales"}
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in APPS
)


def test_every_model_of_the_record_apps_is_in_the_admin() -> None:
    from django.apps import apps

    # given
    ours = {
        (model._meta.app_label, model._meta.model_name)
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }
    # then
    assert ours <= set(MODELS)


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_admin_list_and_search_pages_open(client, people, app_label, model_name) -> None:  # noqa: ANN001
    # given
    furnish(people.ours)
    client.force_login(people.admin)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    # when
    listed = client.get(changelist)
    searched = client.get(changelist, {"q": "rich"})
    # then
    assert listed.status_code == 200
    assert searched.status_code == 200


def test_rep_cannot_open_the_admin(client, people) -> None:  # noqa: ANN001
    # given
    client.force_login(people.rep)
    # when
    response = client.get(reverse("admin:accounts_account_changelist"))
    # then
    assert response.status_code == 403
