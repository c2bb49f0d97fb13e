"""The prep brief at /prep/meetings/<id>/ and its printable view: parse, call the service,
render. A meeting on an account the user may not see is answered 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heedful.lib import clock
from heedful.meetings import services as meetings_services
from heedful.prep import services


def _brief(request: HttpRequest, meeting_id: int) -> services.PrepBrief:
    meeting = meetings_services.get_or_raise(user=request.user, id=meeting_id)  # type: ignore[arg-type]
    return services.get_prep_brief(meeting=meeting, as_of=clock.today())


@login_required
def brief(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return render(request, "prep/brief.html", {"brief": _brief(request, meeting_id)})


@login_required
def printable(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The same brief on its own, without the site's navigation, for paper or a PDF."""
    return render(request, "prep/print.html", {"brief": _brief(request, meeting_id)})
