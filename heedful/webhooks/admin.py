"""Webhook admin (admins only, as the whole admin site: others get Heedful's 403 page).

- Sources: add one, give it its signing secret (pasted from Zendesk or Stripe, or generated
  for Heedful's JSON and shown once), replace it (the previous one stays valid for
  ``HEEDFUL_WEBHOOK_ROTATION_HOURS``). A secret is never shown again, nor logged.
- Received events: the log (applied, duplicate, refused and why, rejected and why, waiting for
  an account); a waiting event is resolved by choosing its account and saving; any stored
  event can be replayed.
- Subscriptions: URLs that hear about plays (their secret shown once), and every message sent.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.webhooks import outbound, services
from heedful.webhooks.models import (
    AccountLink,
    EmailDomain,
    EventStatus,
    OutboundMessage,
    PlayEventType,
    ReceivedEvent,
    SigningSecret,
    SourceKind,
    Subscription,
    WebhookSource,
)


def acting_admin(request: HttpRequest) -> User:
    """The admin using the admin site (it lets no one else in)."""
    assert isinstance(request.user, User)
    return request.user


class SigningSecretInline(admin.TabularInline):
    model = SigningSecret
    extra = 0
    can_delete = False
    fields = ["prefix", "created_at", "retires_at"]
    readonly_fields = ["prefix", "created_at", "retires_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WebhookSourceForm(forms.ModelForm):
    new_secret = forms.CharField(
        required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Zendesk and Stripe: paste the signing secret they show for this webhook. "
        "Heedful JSON: leave empty and tick the box below to have one made. A new secret "
        "replaces the current one, which stays valid for HEEDFUL_WEBHOOK_ROTATION_HOURS.",
    )
    generate_secret = forms.BooleanField(
        required=False, label="Make a new secret (Heedful JSON only; shown once)"
    )

    class Meta:
        model = WebhookSource
        fields = ["name", "kind", "acting_user", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("generate_secret") and cleaned.get("kind") != SourceKind.HEEDFUL:
            self.add_error("generate_secret", "Zendesk and Stripe make their own secret: paste it.")
        return cleaned


@admin.register(WebhookSource)
class WebhookSourceAdmin(admin.ModelAdmin):
    form = WebhookSourceForm
    list_display = ["name", "kind", "address", "acting_user", "is_active", "valid_secrets"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["acting_user"]
    inlines = [SigningSecretInline]

    @admin.display(description="Address")
    def address(self, source: WebhookSource) -> str:
        return f"/webhooks/{source.name}/"

    @admin.display(description="Valid secrets")
    def valid_secrets(self, source: WebhookSource) -> int:
        from django.utils import timezone

        now = timezone.now()
        return sum(1 for item in source.secrets.all() if item.is_valid(now))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        source = form.instance
        pasted = form.cleaned_data.get("new_secret") or ""
        if not pasted and not form.cleaned_data.get("generate_secret"):
            return
        try:
            added, raw = services.add_secret(
                source=source, secret=pasted, user=acting_admin(request)
            )
        except InvalidInput as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        if pasted:
            self.message_user(request, f"The secret {added.prefix}… signs from now on.")
        else:
            self.message_user(
                request, f"The new signing secret (shown this once, copy it now): {raw}",
                messages.WARNING,
            )


@admin.register(AccountLink)
class AccountLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "customer_id", "account", "created_at"]
    list_filter = ["source"]
    search_fields = ["customer_id", "account__name", "account__external_id"]
    raw_id_fields = ["account"]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "account"]
    search_fields = ["domain", "account__name", "account__external_id"]
    raw_id_fields = ["account"]


@admin.register(ReceivedEvent)
class ReceivedEventAdmin(admin.ModelAdmin):
    """The log. A waiting event's account field is open: choose the account and save to apply
    it (and every other waiting event of the same customer)."""

    list_display = ["received_at", "source", "event_id", "event_type", "status", "short_reason",
                    "account", "record"]
    list_filter = ["status", "source", "event_type"]
    search_fields = ["event_id", "customer_id", "record", "account__name"]
    list_select_related = ["source", "account"]
    date_hierarchy = "received_at"
    raw_id_fields = ["account"]
    actions = ["replay_events"]
    shown: list[str] = [
        "source", "event_id", "event_type", "status", "reason", "customer_id", "account",
        "record", "subject", "occurred_at", "duplicate_of", "received_at", "applied_at", "body",
    ]
    fields = tuple(shown)

    @admin.display(description="Why")
    def short_reason(self, event: ReceivedEvent) -> str:
        return event.reason if len(event.reason) <= 120 else event.reason[:119] + "…"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.status == EventStatus.WAITING:
            return [name for name in self.shown if name != "account"]
        return list(self.shown)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        account = form.cleaned_data.get("account")
        if obj.status != EventStatus.WAITING or account is None:
            return
        stored = ReceivedEvent.objects.select_related("source").get(pk=obj.pk)
        done = services.resolve(event=stored, account=account, user=acting_admin(request))
        applied = sum(1 for item in done if item.status == EventStatus.APPLIED)
        self.message_user(
            request, f"{applied} of {len(done)} waiting event(s) applied on {account}; "
            f"{stored.customer_id or 'this customer'} is linked to it from now on.",
        )

    @admin.action(description="Replay the selected events (apply them again)")
    def replay_events(self, request: HttpRequest, queryset: QuerySet[ReceivedEvent]) -> None:
        outcomes: dict[str, int] = {}
        for event in queryset.select_related("source"):
            try:
                status = services.replay(event=event, user=acting_admin(request)).status
            except InvalidInput:
                status = "not stored (refused or duplicate)"
            outcomes[status] = outcomes.get(status, 0) + 1
        self.message_user(
            request, "Replayed: " + ", ".join(f"{count} {status}" for status, count in
                                              sorted(outcomes.items()))
        )


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text="Where the events "
                         "are POSTed.")
    event_types = forms.MultipleChoiceField(
        choices=PlayEventType.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all three.",
    )

    class Meta:
        model = Subscription
        fields = ["url", "description", "event_types", "is_active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """A subscription hears about the plays of every account: only admins make them."""

    form = SubscriptionForm
    list_display = ["url", "description", "event_types", "is_active", "created_at"]
    list_filter = ["is_active"]
    actions = ["replace_secrets"]

    @admin.action(description="Replace the signing secret (the old one signs too for a while)")
    def replace_secrets(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            secret = outbound.replace_secret(
                subscription=subscription, user=acting_admin(request)
            )
            self.message_user(
                request, f"New signing secret of {subscription} (shown this once, copy it "
                f"now): {secret}", messages.WARNING,
            )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.secret = services.new_standard_secret()
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request, "The subscription's signing secret (shown this once, copy it now): "
                f"{obj.secret}", messages.WARNING,
            )


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subscription", "event_type", "play", "status", "attempts",
                    "last_status_code", "last_error", "delivered_at"]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["message_id"]
    list_select_related = ["subscription", "play"]
    readonly_fields = ["subscription", "message_id", "event_type", "play", "body", "status",
                       "attempts", "last_status_code", "last_error", "created_at",
                       "delivered_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
