"""The health score's pages: the admin's settings (weights, when the owner's sentiment goes
stale) and the owner's sentiment, posted from the Account 360."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.accounts import services as accounts_services
from heedful.core.exceptions import InvalidInput, StaleVersion
from heedful.core.models import Role, User
from heedful.health import components, services
from heedful.health.forms import OwnerSentimentForm, score_settings_form_class
from heedful.lib import clock


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def score_settings(request: HttpRequest) -> HttpResponse:
    """Every weight of the score and the days after which the owner's sentiment goes stale; a
    saved change applies from the next scan and is recorded in the audit log."""
    user = _user(request)
    if not (user.is_active and user.role == Role.ADMIN):
        raise PermissionDenied("Only admins change the health score's weights.")
    form_class = score_settings_form_class()
    current = services.get_score_settings()
    stale = ""
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.update_score_settings(
                    values=form.cleaned_data, user=user,
                    expected_version=request.POST.get("version") or None,
                )
            except InvalidInput as invalid:
                for name, reasons in invalid.errors.items():
                    form.add_error(name if name in form.fields else None, reasons)
            except StaleVersion as error:
                form = form_class(initial=current)
                stale = str(error)
            else:
                return redirect(f"{reverse('health:settings')}?saved=1")
        status = 422
    else:
        form = form_class(initial=current)
    defaults = components.default_settings()
    weights = [
        (form[components.weight_setting(component.key)],
         defaults[components.weight_setting(component.key)])
        for component in components.COMPONENTS
    ]
    others = [(form[name], defaults[name]) for name in components.OTHER_DEFAULTS]
    return render(request, "health/settings.html", {
        "form": form, "weights": weights, "others": others, "stale": stale,
        "version": services.score_settings_version(current),
        "saved": request.GET.get("saved") == "1",
    }, status=status)


@login_required
@require_POST
def set_sentiment(request: HttpRequest, external_id: str) -> HttpResponse:
    """The owner's sentiment, from the Account 360; the account's score of today is computed
    again at once, so the page shows it."""
    user = _user(request)
    account = accounts_services.get_or_raise(user=user, external_id=external_id)
    if not services.may_set_sentiment(user, account):
        raise PermissionDenied("Only the account's owner says how they feel about it.")
    form = OwnerSentimentForm(request.POST)
    back = f"{reverse('accounts:detail', args=[account.external_id])}#health"
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Your sentiment was not saved: {errors}")
        return redirect(back)
    today = clock.today()
    try:
        services.set_owner_sentiment(
            user=user, account=account, sentiment=form.cleaned_data["sentiment"],
            note=form.cleaned_data["note"], on=today,
        )
    except InvalidInput as error:
        messages.error(request, f"Your sentiment was not saved: {error}")
        return redirect(back)
    services.compute_scores(as_of=today, account_ids=[account.pk])
    messages.success(request, "Saved how you feel about this account; the score counts it.")
    return redirect(back)
