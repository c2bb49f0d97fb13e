"""Validation of accounts, contacts, account teams and business news, for the API and pages."""

from django import forms

from heedful.accounts.models import Account, Contact, NewsItem, TeamMembership
from heedful.core.forms import HeedfulModelForm
from heedful.core.visibility import report_ids


class AccountForm(HeedfulModelForm):
    class Meta:
        model = Account
        fields = [
            "external_id", "name", "industry", "segment", "status", "owner", "phone", "website",
            "city", "country", "aliases",
        ]

    def clean_owner(self) -> object:
        """Reps and managers may give an account only to themselves or their reports, so
        that nobody creates or hands over an account they could then no longer see."""
        owner = self.cleaned_data.get("owner")
        unchanged = self.instance.pk is not None and self.instance.owner == owner
        if self.user.sees_every_account or unchanged:
            return owner
        if owner is None or owner.pk not in report_ids(self.user):
            raise forms.ValidationError(
                "You can give an account only to yourself or to someone who reports to you."
            )
        return owner


class ContactForm(HeedfulModelForm):
    class Meta:
        model = Contact
        fields = [
            "external_id", "account", "full_name", "preferred_name", "pronunciation", "title",
            "email", "phone", "role_type", "is_key", "preferred_channel", "language", "likes",
            "dislikes", "do_not_contact",
        ]


class TeamMembershipForm(HeedfulModelForm):
    class Meta:
        model = TeamMembership
        fields = ["account", "user", "role", "start_date", "end_date"]


class NewsItemForm(HeedfulModelForm):
    class Meta:
        model = NewsItem
        fields = ["account", "occurred_on", "sentiment", "headline"]
