"""Validation of accounts, contacts, account teams and business news, for the API and pages."""

from django import forms

from heedful.accounts import ownership
from heedful.accounts.kinds import ACCOUNT, CONTACT, NEWS_ITEM, TEAM_MEMBERSHIP
from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership, TeamRole
from heedful.accounts.record_forms import HeedfulModelForm
from heedful.accounts.visibility import report_ids
from heedful.core.models import User

OWNER_REFUSED = "You can give an account only to yourself or to someone who reports to you."


def check_owner_allowed(*, acting: User, owner: User | None) -> None:
    """Reps and managers may give an account only to themselves or their reports, so that
    nobody creates or hands over an account they could then no longer see."""
    if acting.sees_every_account:
        return
    if owner is None or owner.pk not in report_ids(acting):
        raise forms.ValidationError(OWNER_REFUSED)


class AccountForm(HeedfulModelForm):
    # Not a model field of the form: the owner is written by ``ownership`` (in the service's
    # after-save step), never straight into the cache column.
    owner = forms.ModelChoiceField(queryset=User.objects.all(), required=False)

    class Meta:
        model = Account
        fields = [name for name in ACCOUNT.form_fields if name != "owner"]  # see owner above

    def clean_owner(self) -> object:
        owner = self.cleaned_data.get("owner")
        unchanged = self.instance.pk is not None and self.instance.owner == owner
        if not unchanged:
            check_owner_allowed(acting=self.user, owner=owner)
        return owner


class ContactForm(HeedfulModelForm):
    class Meta:
        model = Contact
        fields = CONTACT.form_fields


class TeamMembershipForm(HeedfulModelForm):
    class Meta:
        model = TeamMembership
        fields = TEAM_MEMBERSHIP.form_fields

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == TeamRole.OWNER and "user" in cleaned:
            stored = self.instance
            unchanged = (
                stored.pk is not None and stored.role == TeamRole.OWNER
                and stored.user_id == getattr(cleaned["user"], "pk", None)
            )
            if not unchanged:
                try:
                    check_owner_allowed(acting=self.user, owner=cleaned["user"])
                except forms.ValidationError as error:
                    self.add_error("user", error)
        return cleaned

    def save(self, commit: bool = True) -> TeamMembership:
        """Owner memberships are the ownership history: they are written by ``ownership``,
        which keeps one running owner and the account's cached owner in step. Answers the
        stored membership (an owner period may merge into the same person's running one)."""
        stored_role = self.initial.get("role") if self.instance.pk is not None else None
        return ownership.save_membership(self.instance, stored_role=stored_role)


class NewsItemForm(HeedfulModelForm):
    class Meta:
        model = NewsItem
        fields = NEWS_ITEM.form_fields
