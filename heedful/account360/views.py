"""The Account 360 page at /accounts/<external_id>/: parse, call the service, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heedful.account360 import services
from heedful.accounts import services as accounts_services
from heedful.core.exceptions import NotFound
from heedful.plays.forms import default_snooze_until


@login_required
def account_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    try:
        account = accounts_services.get_or_raise(user=request.user, external_id=external_id)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(str(error)) from None
    overview = services.get_account_360(account=account, as_of=timezone.localdate())
    return render(request, "account360/detail.html", {
        "overview": overview, "account": account, "return_to": request.get_full_path(),
        "default_snooze_until": default_snooze_until(),
    })
