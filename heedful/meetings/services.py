"""Reading and writing meetings, as the user may see them."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from heedful.accounts import records
from heedful.accounts.visibility import visible_accounts
from heedful.core.models import User
from heedful.meetings.forms import MeetingForm
from heedful.meetings.models import Meeting


def get_all(*, user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(account__in=visible_accounts(user)).select_related(
        "account", "organizer"
    )


def get_or_raise(*, user: User, id: int) -> Meeting:  # noqa: A002
    return records.get_or_raise(get_all(user=user), pk=id)


def create(*, user: User, data: Mapping[str, Any]) -> Meeting:
    """A new meeting; its organizer is ``user`` unless ``data`` says."""
    return records.create_with_form(
        MeetingForm, user=user, data={"organizer": user.username, **data}
    )


def update(*, user: User, id: int, changes: Mapping[str, Any]) -> Meeting:  # noqa: A002
    return records.update_with_form(
        MeetingForm, user=user, queryset=get_all(user=user), lookup={"pk": id}, changes=changes
    )
