"""Validation of opportunities and quotas, for the API and pages."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import report_ids
from heedful.core.models import User
from heedful.sales.kinds import OPPORTUNITY, QUOTA
from heedful.sales.models import Opportunity, Quota


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY.form_fields


def quota_setters_reach(user: User) -> set[int] | None:
    """The users whose quota ``user`` may set: an admin anyone's (None), a manager or an
    executive the people below them, a rep nobody's (not even their own)."""
    if user.is_superuser:
        return None
    return report_ids(user) - {user.pk}


class QuotaForm(HeedfulModelForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        reach = quota_setters_reach(user)
        field = self.fields["user"]
        field.error_messages["invalid_choice"] = (
            "You can set quotas only for the people who report to you; ask their manager."
        )
        if reach is not None:
            field.queryset = User.objects.filter(pk__in=reach)  # type: ignore[attr-defined]

    class Meta:
        model = Quota
        fields = QUOTA.form_fields
