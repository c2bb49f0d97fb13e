"""What the API tests need to know of each REST resource: how to make a record on an account,
how the API names it, a valid create payload and a valid change.

``tests/api/test_visibility.py`` takes the routes from the NinjaAPI itself, so a new route
whose resource is not described here fails the suite until someone describes it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.api import api
from tests import factories


@dataclass(frozen=True)
class Spec:
    path: str
    model: type[Model]
    make: Callable[[Account], Model]
    key: Callable[[Model], Any]
    create: Callable[[Account, Any], dict[str, Any]]
    change: dict[str, Any]
    account_field: str | None = "account_external_id"
    """The field that moves a record to another account, and how to name that account."""
    move_to: Callable[[Account], Any] = field(default=lambda account: account.external_id)


def _account_key(record: Model) -> Any:
    return record.external_id  # type: ignore[attr-defined]


def _id(record: Model) -> Any:
    return record.pk


SPECS: dict[str, Spec] = {}


def describe(spec: Spec) -> None:
    SPECS[spec.path] = spec


describe(Spec(
    path="accounts", model=Account, make=lambda account: account, key=_account_key,
    create=lambda account, people: {"external_id": "ACC-NEW", "name": "Northwind Traders"},
    change={"city": "Oslo", "aliases": ["Northwind", "NWT"]}, account_field=None,
))
describe(Spec(
    path="contacts", model=Contact,
    make=lambda account: factories.ContactFactory(account=account), key=_account_key,
    create=lambda account, people: {
        "external_id": "CON-NEW", "account_external_id": account.external_id,
        "full_name": "Ada Lovelace", "likes": ["chess", "tea"],
    },
    change={"title": "CTO", "is_key": True},
))
describe(Spec(
    path="team-memberships", model=TeamMembership,
    make=lambda account: factories.TeamMembershipFactory(account=account), key=_id,
    create=lambda account, people: {
        "account_external_id": account.external_id, "username": "manager", "role": "se",
        "start_date": "2026-01-01",
    },
    change={"end_date": "2026-12-31"},
))
describe(Spec(
    path="news", model=NewsItem,
    make=lambda account: factories.NewsItemFactory(account=account), key=_id,
    create=lambda account, people: {
        "account_external_id": account.external_id, "occurred_on": "2026-11-02",
        "sentiment": "negative", "headline": "Closing 30% of its offices",
    },
    change={"sentiment": "positive"},
))


def routes() -> list[tuple[str, str]]:
    """Every (method, path) the API serves, e.g. ``("PATCH", "/contacts/{external_id}")``."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, f"{prefix}{path}".replace("//", "/")))
    return sorted(set(found))


def spec_of(path: str) -> Spec | None:
    return SPECS.get(path.strip("/").split("/")[0])
