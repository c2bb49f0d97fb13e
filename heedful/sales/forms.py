"""Validation of opportunities and quotas, for the API and pages."""

from typing import Any

from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import report_ids
from heedful.core.models import User
from heedful.sales.kinds import OPPORTUNITY, OPPORTUNITY_PRODUCT, QUOTA, STAGE_CHANGE
from heedful.sales.models import Opportunity, OpportunityProduct, Quota, StageChange


def currency_kept_problem(*, priced_in: set[str], currency: str) -> str | None:
    """Why an opportunity whose products are priced in ``priced_in`` cannot take
    ``currency`` (None when it can): the prices would silently mean another money."""
    others = sorted(priced_in - {currency})
    if not others:
        return None
    return (
        f"Its products are priced in {', '.join(others)}: remove them, or keep "
        f"{', '.join(others)}, before changing the currency."
    )


NO_CURRENCY_TO_PRICE_IN = (
    "This opportunity has no currency: set its currency (and amount) before pricing products "
    "on it."
)


class OpportunityForm(HeedfulModelForm):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and "currency" in self.changed_data:
            priced_in = {self.instance.currency} if self.instance.products.exists() else set()
            problem = currency_kept_problem(
                priced_in=priced_in, currency=cleaned.get("currency") or ""
            )
            if problem:
                self.add_error("currency", problem)
        return cleaned


class OpportunityProductForm(HeedfulModelForm):
    class Meta:
        model = OpportunityProduct
        fields = OPPORTUNITY_PRODUCT.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        opportunity = cleaned.get("opportunity")
        if opportunity is not None and not opportunity.currency:
            self.add_error("opportunity", NO_CURRENCY_TO_PRICE_IN)
        return cleaned


class StageChangeForm(HeedfulModelForm):
    class Meta:
        model = StageChange
        fields = STAGE_CHANGE.form_fields


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
