"""Every query the account pages and the API need, and every write that spans rows.

Visibility comes from ``heedful.core.visibility``; every function here that takes a ``user``
returns only what that user may see.
"""

from django.db.models import QuerySet

from heedful.accounts.models import Account
from heedful.core.exceptions import NotFound
from heedful.core.models import User
from heedful.core.visibility import visible_accounts

# --- Reading -----------------------------------------------------------------------------


def get_or_raise(*, user: User, external_id: str) -> Account:
    """The account with this external id if ``user`` may see it; NotFound otherwise (the
    caller answers 404 either way, so nobody learns which accounts exist)."""
    try:
        return visible_accounts(user).get(external_id=external_id)
    except Account.DoesNotExist:
        raise NotFound(f"No account {external_id!r} that you can see.") from None


def get_all(*, user: User) -> QuerySet[Account]:
    return visible_accounts(user)


# --- Writing -----------------------------------------------------------------------------
