"""The onboarding pages: the plans one may see, a new plan from a template, and a plan's
progress, where the new hire or the mentor ticks tasks off and the manager records 1:1s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heedful.accounts.visibility import managed_users, manages
from heedful.core.exceptions import InvalidInput
from heedful.core.models import User
from heedful.lib import clock, words
from heedful.onboarding import services
from heedful.onboarding.models import OnboardingPlan, OnboardingTask, PlanTemplate


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _plan(request: HttpRequest, plan_id: int) -> OnboardingPlan:
    return services.get_or_raise(user=_user(request), plan_id=plan_id)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    as_of = clock.today()
    plans = [services.progress(plan=plan, as_of=as_of) for plan in
             services.get_all(user=user).order_by("-starts_on")[:100]]
    return render(request, "onboarding/list.html", {
        "plans": plans, "can_start": managed_users(user).exclude(pk=user.pk).exists(),
    })


@login_required
def new_plan(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    people = list(managed_users(user).exclude(pk=user.pk).filter(onboarding_plan__isnull=True)
                  .order_by("full_name", "username"))
    mentors = list(managed_users(user).order_by("full_name", "username"))
    templates = list(PlanTemplate.objects.all())
    values = {name: request.POST.get(name, "") for name in
              ("template", "new_hire", "mentor", "starts_on")}
    errors: dict[str, list[str]] = {}
    message = ""
    if request.method == "POST":
        template = next((item for item in templates if str(item.pk) == values["template"]), None)
        new_hire = next((item for item in people if item.username == values["new_hire"]), None)
        mentor = next((item for item in mentors if item.username == values["mentor"]), None)
        starts_on = words.parse_day(values["starts_on"]) if values["starts_on"] else None
        try:
            if template is None or new_hire is None or starts_on is None:
                raise InvalidInput("The plan was not made: correct the marked fields.", {
                    **({"template": ["Choose a template."]} if template is None else {}),
                    **({"new_hire": ["Choose the new hire."]} if new_hire is None else {}),
                    **({"starts_on": ["Say the start date."]} if starts_on is None else {}),
                })
            plan = services.instantiate(user=user, template=template, new_hire=new_hire,
                                        mentor=mentor, starts_on=starts_on)
            return HttpResponseRedirect(reverse("onboarding:detail", args=[plan.pk]))
        except InvalidInput as error:
            errors, message = error.errors, str(error)
    return render(request, "onboarding/new.html", {
        "people": people, "mentors": mentors, "templates": templates, "values": values,
        "errors": errors, "message": message,
    }, status=400 if errors else 200)


@login_required
def detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    user = _user(request)
    return render(request, "onboarding/detail.html", {
        "progress": services.progress(plan=plan, as_of=clock.today()),
        "can_tick": user.pk in (plan.new_hire_id, plan.mentor_id) or manages(user,
                                                                             plan.new_hire),
        "is_manager": manages(user, plan.new_hire), "today": clock.today(),
    })


@login_required
@require_POST
def task_done(request: HttpRequest, plan_id: int, task_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    task = OnboardingTask.objects.filter(plan=plan, pk=task_id).select_related("plan").first()
    if task is None:
        raise Http404("No such task.")
    try:
        services.mark_task_done(user=_user(request), task=task)
    except InvalidInput as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("onboarding:detail", args=[plan.pk]) + "#tasks")


@login_required
@require_POST
def one_on_one(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    raw = request.POST.get("held_on", "")
    try:
        services.record_one_on_one(user=_user(request), plan=plan,
                                   held_on=words.parse_day(raw) if raw else None,
                                   notes=request.POST.get("notes", ""))
        messages.success(request, "The 1:1 is recorded.")
    except InvalidInput as error:
        messages.error(request, f"{error} {' '.join(sum(error.errors.values(), []))}".strip())
    return HttpResponseRedirect(reverse("onboarding:detail", args=[plan.pk]) + "#one-on-ones")
