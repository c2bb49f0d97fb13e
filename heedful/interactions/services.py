"""Reading and writing the timeline's interactions, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from heedful.interactions.forms import InteractionForm
from heedful.interactions.models import Interaction


def get_all(*, user: User) -> QuerySet[Interaction]:
    return (
        Interaction.objects.filter(account__in=visible_accounts(user))
        .select_related("account", "user")
        .prefetch_related("contacts")
    )


def get_or_raise(*, user: User, id: int) -> Interaction:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def create(*, user: User, data: Mapping[str, Any]) -> Interaction:
    """A new interaction; who on our side took part is ``user`` unless ``data`` says."""
    return records.create_with_form(
        InteractionForm, user=user, data={"user": user.username, **data}
    )


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> Interaction:  # noqa: A002
    return records.update_with_form(
        InteractionForm, user=user, queryset=get_all(user=user), lookup={"pk": id},
        changes=changes,
    )
