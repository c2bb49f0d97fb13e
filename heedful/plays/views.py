"""The play pages: my attention queue, one play, acting on a play in place, the manager's team
view and the admin's thresholds.

An htmx request gets only the fragment it swaps (the queue's results, or the one play it
acted on); every other request gets a full page or a redirect back, so the pages work
without JavaScript too. Acting on a play needs only that the user may see its account; a
play on an account they may not see is answered 404, as if it did not exist. Each form sends
the version of the play the page showed: when the play changed since (another person acted,
or a scan updated it), nothing is written and the person is told how it is now. The queue's
``?owner=`` names only people the user may see (``visible_users``); anyone else is "nobody".
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import visible_users
from heedful.core.exceptions import InvalidInput, StaleVersion
from heedful.core.models import Role, User
from heedful.core.sorting import sort_columns
from heedful.core.versions import lock_if_unchanged
from heedful.lib import words
from heedful.plays import services
from heedful.plays.forms import (
    ACTION_FORMS,
    default_snooze_until,
    rule_setting_form_class,
    thresholds_from,
)
from heedful.plays.models import ClosedReason, Play, PlayStatus
from heedful.plays.people import get_people_to_reach
from heedful.plays.rules import ALL_RULES, RULES_BY_KEY

RULE_CHOICES = sorted(((rule.key, rule.name) for rule in ALL_RULES), key=lambda pair: pair[1])


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# -- the queue -----------------------------------------------------------------------------


SORT_LINKS = [
    # key, label, the first direction a click asks for
    ("priority", "Priority", "-priority"),
    ("account", "Account", "account"),
    ("rule", "Rule", "rule"),
    ("age", "Age", "-age"),
]


LARGEST_ID = 2**63 - 1


def _user_id(raw: str) -> int | None:
    """A user id from the query string; None for anything else (a number beyond the
    databases' 64-bit ids is 0, an id nobody has)."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if number <= LARGEST_ID else 0


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owner_id = _user_id(request.GET.get("owner", ""))
    scope = "all" if request.GET.get("scope") == "all" else "mine"
    owner: User | None = user
    if owner_id is not None and owner_id != user.pk:
        # Someone the user may not see is answered like nobody: no plays and no name.
        owner = visible_users(user).filter(pk=owner_id).first()
        scope = "owner"
    elif scope == "all":
        owner = None
    rule = request.GET.get("rule", "")
    rule = rule if rule in RULES_BY_KEY else ""
    account_text = request.GET.get("account", "").strip()
    sort = services.queue_sort(request.GET.get("sort", ""))
    if scope == "owner" and owner is None:
        plays = Play.objects.none()
    else:
        plays = services.get_queue(
            user=user, owner_id=owner.pk if owner else None, rule=rule,
            account_text=account_text, sort=sort,
        )
    # The queue's own order lists the plays that matter one by one and groups the rest by
    # rule; a rule filter or another sort lists every play.
    groups: list[services.PlayGroup] = []
    if not (sort or rule):
        plays, groups = services.split_low_priority(plays)
    page = Paginator(plays, settings.HEEDFUL_PAGE_SIZE).get_page(request.GET.get("page"))
    is_fragment = _wants_fragment(request)
    context = {
        "page": page,
        "low_priority_groups": groups,
        "low_priority_count": sum(group.count for group in groups),
        "scope": scope,
        "owner": owner,
        "filters": {"rule": rule, "account": account_text, "scope": scope},
        "rule_choices": RULE_CHOICES,
        "sort": sort,
        "sort_links": sort_columns(SORT_LINKS, sort),
        "is_filtered": bool(rule or account_text),
        "return_to": request.get_full_path(),
        "default_snooze_until": default_snooze_until(),
        "can_see_team": services.can_see_team(user),
        "is_admin": is_admin(user),
        "is_fragment": is_fragment,
    }
    template = "plays/_queue.html" if is_fragment else "plays/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- one play and what a person does with it -----------------------------------------------


def _visible_play(request: HttpRequest, play_id: int) -> Play:
    return services.get_or_raise(user=_user(request), id=play_id)


def _return_to(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("plays:queue")


def _row_context(
    request: HttpRequest, play: Play, *, return_to: str, action: str = "",
    form: forms.Form | None = None, error: str = "",
) -> dict[str, Any]:
    return {
        "play": play,
        "return_to": return_to,
        "default_snooze_until": default_snooze_until(),
        "failed_action": action if form is not None or error else "",
        "form": form,
        "error": error,
        "just_changed": request.method == "POST" and not (form is not None and form.errors)
        and not error,
    }


@login_required
def detail(request: HttpRequest, play_id: int) -> HttpResponse:
    play = _visible_play(request, play_id)
    context = _row_context(request, play, return_to=request.get_full_path())
    return render(request, "plays/detail.html", _with_people(context, play))


def _with_people(context: dict[str, Any], play: Play) -> dict[str, Any]:
    """The play page also says whom to reach and how (the same block as Today's)."""
    return {**context, "people": get_people_to_reach([play])[play.pk]}


@dataclass
class ActionResult:
    """What came of a person's action on a play: the form as posted (with its errors), a
    message for the whole play (it changed since the page was shown, or it cannot be done),
    and whether the version they saw was stale."""

    form: forms.Form | None
    error: str = ""
    is_stale: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.error) or (self.form is not None and bool(self.form.errors))


def act_on_play(request: HttpRequest, play: Play, action: str) -> ActionResult:
    """Validate and apply ``action`` (done, snooze, dismiss, reopen) to ``play``, a play the
    user may see, as posted in ``request``: its form, and the ``version`` of the play the page
    showed, checked and written in one transaction (the play's row locked between). The
    play is refreshed either way. Every page that acts on plays goes through here."""
    user = _user(request)
    form = ACTION_FORMS[action](request.POST) if action in ACTION_FORMS else None
    # The version of the play the person saw; a form of an older page may lack it.
    expected = request.POST.get("version", "")
    result = ActionResult(form=form)
    if form is not None and not form.is_valid():
        return result
    try:
        with transaction.atomic():
            if expected:
                lock_if_unchanged(play, expected=expected)
            if action == "done":
                services.mark_done(play=play, user=user, outcome=form.cleaned_data["outcome"])  # type: ignore[union-attr]
            elif action == "snooze":
                services.snooze(play=play, user=user, until=form.cleaned_data["until"])  # type: ignore[union-attr]
            elif action == "dismiss":
                services.dismiss(play=play, user=user, reason=form.cleaned_data["reason"])  # type: ignore[union-attr]
            else:
                services.reopen(play=play, user=user)
    except StaleVersion:
        play.refresh_from_db()
        result.error = changed_since_message(play)
        result.is_stale = True
    except InvalidInput as invalid:
        if form is not None and set(invalid.errors) <= set(form.fields):
            for name in invalid.errors:
                form.add_error(name, str(invalid))
        else:
            result.error = str(invalid)
        play.refresh_from_db()
    return result


PLAY_ACTIONS = {*ACTION_FORMS, "reopen"}


@login_required
@require_POST
def act(request: HttpRequest, play_id: int, action: str) -> HttpResponse:
    """Mark done, snooze, dismiss or reopen one play; answers the play's new row (htmx) or a
    redirect back (without JavaScript). Invalid input is shown next to its field."""
    if action not in PLAY_ACTIONS:
        raise Http404("No such action on a play.")
    play = _visible_play(request, play_id)
    return_to = _return_to(request)
    result = act_on_play(request, play, action)
    if not result.failed and not _wants_fragment(request):
        return HttpResponseRedirect(return_to)
    context = _row_context(
        request, play, return_to=return_to, action=action,
        form=result.form if result.failed else None, error=result.error,
    )
    if _wants_fragment(request):
        # htmx swaps only 2xx answers, so a refused action answers 200 with its errors.
        return render(request, "plays/_row.html", context)
    return render(
        request, "plays/detail.html", _with_people(context, play),
        status=409 if result.is_stale else 422,
    )


def changed_since_message(play: Play) -> str:
    """What a person is told when the play changed after they opened the page: how it is now.
    It names nobody: who acted may be someone the person may not see."""
    if play.status == PlayStatus.SNOOZED and play.snoozed_until:
        until = play.snoozed_until
        now = f"snoozed until {until.day} {until:%b %Y}"
    elif play.status == PlayStatus.DONE:
        now = "marked done" if play.closed_reason == ClosedReason.MARKED_DONE else "closed"
    elif play.status == PlayStatus.DISMISSED:
        now = "dismissed"
    else:
        now = "open, with changes made after you opened it"
    return (
        f"This play changed since you opened it: it is now {now}. Nothing was saved; "
        "look at it again before you act."
    )


# -- the manager's team view ---------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not services.can_see_team(user):
        raise PermissionDenied(
            "The team view is for managers, executives and admins: it shows the plays of "
            "the people who report to you."
        )
    sort = request.GET.get("sort", "name")
    if sort.removeprefix("-") not in services.TEAM_SORTS:
        sort = "name"
    rows = services.get_team(user=user, sort=sort)
    page = Paginator(rows, settings.HEEDFUL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plays/team.html", {
        "page": page, "rows": page.object_list, "columns": sort_columns(TEAM_COLUMNS, sort),
        "totals": services.TeamTotals.of(rows), "window_days": services.TEAM_WINDOW_DAYS,
        "due_days": services.DUE_DAYS, "urgent_due_days": services.URGENT_DUE_DAYS,
        "sees_everyone": user.sees_every_account,
        # Those who land here may own plays too (an executive sponsor's visit): say so.
        "own_open_count": services.get_queue(user=user, owner_id=user.pk).count(),
    })


TEAM_COLUMNS = [
    # The numbers sort most first on the first click: the person a manager looks for.
    ("name", "Person"), ("open", "Open", "-open"), ("overdue", "Overdue", "-overdue"),
    ("urgent", "Urgent left", "-urgent"), ("oldest", "Oldest open", "-oldest"),
    ("done", "Done", "-done"), ("dismissed", "Dismissed", "-dismissed"),
]


# -- the admin's thresholds ----------------------------------------------------------------


def is_admin(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN  # the role alone decides (ADR 0008)


def _form_prefix(key: str) -> str:
    return key.replace(".", "-")


@login_required
def rule_settings(request: HttpRequest) -> HttpResponse:
    """Each rule's switch and thresholds, one form per rule; a saved change is recorded in
    the audit log with who made it."""
    user = _user(request)
    if not is_admin(user):
        raise PermissionDenied("Only admins change the rules' thresholds.")
    posted_rule = request.POST.get("rule", "") if request.method == "POST" else ""
    if request.method == "POST" and posted_rule not in RULES_BY_KEY:
        return HttpResponse("Unknown rule.", status=400, content_type="text/plain")
    current = services.get_rule_settings()
    entries = []
    failed = False
    stale_message = ""
    for rule in ALL_RULES:
        form_class = rule_setting_form_class(rule)
        prefix = _form_prefix(rule.key)
        if rule.key == posted_rule:
            form = form_class(request.POST, prefix=prefix)
            if form.is_valid():
                try:
                    services.update_rule_setting(
                        rule=rule.key, enabled=form.cleaned_data["enabled"],
                        thresholds=thresholds_from(form, rule), user=user,
                        # A form of an older page may lack it: then nothing to compare.
                        expected_version=request.POST.get("version") or None,
                    )
                except InvalidInput as invalid:
                    for name, reasons in invalid.errors.items():
                        form.add_error(name if name in form.fields else None, reasons)
                except StaleVersion as stale:
                    # Show what is in force now, with the reason, rather than the stale edit.
                    enabled, thresholds = current[rule.key]
                    form = form_class(initial={"enabled": enabled, **thresholds}, prefix=prefix)
                    stale_message = str(stale)
                else:
                    url = reverse("plays:settings")
                    return redirect(f"{url}?saved={rule.key}#rule-{prefix}")
            failed = True
        else:
            enabled, thresholds = current[rule.key]
            form = form_class(initial={"enabled": enabled, **thresholds}, prefix=prefix)
        entries.append({
            "rule": rule, "form": form, "prefix": prefix,
            "version": services.rule_setting_version(*current[rule.key]),
            "stale": stale_message if rule.key == posted_rule else "",
            "threshold_fields": [
                (form[name], words.format_number(default))
                for name, default in rule.defaults.items()
            ],
            "priorities": rule.priority_range(current[rule.key][1]),
        })
    saved = request.GET.get("saved", "")
    context = {"entries": entries, "saved": RULES_BY_KEY[saved] if saved in RULES_BY_KEY else None}
    return render(request, "plays/settings.html", context, status=422 if failed else 200)
