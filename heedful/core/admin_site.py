"""The admin site as Heedful's: its name on every page, Heedful's own login page for a
visitor who is not logged in, and a refusal in Heedful's layout, saying what to do instead,
for someone logged in whose role is not admin (Django's admin would offer its own login
form again, as if the person had typed a wrong password)."""

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from heedful.core.models import Role, User

ViewType = TypeVar("ViewType", bound=Callable[..., HttpResponseBase])


class HeedfulAdminSite(admin.AdminSite):
    site_header = "Heedful admin"
    site_title = "Heedful admin"
    index_title = "Records, users and settings"
    site_url = "/"

    def admin_view(self, view: ViewType, cacheable: bool = False) -> ViewType:
        guarded = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                return refusal(request)
            return guarded(request, *args, **kwargs)

        return cast(ViewType, update_wrapper(inner, guarded))

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Heedful's login page (one page to log in, throttled): where Django's admin would
        send anyone it does not let in."""
        if request.user.is_authenticated and not self.has_permission(request):
            return refusal(request)
        next_page = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_page, settings.LOGIN_URL)


def refusal(request: HttpRequest) -> HttpResponse:
    """403, in Heedful's layout: why, what the person can do instead, and whom to ask."""
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("full_name", "username")
    return render(request, "admin_refused.html", {"admins": admins[:5]}, status=403)
