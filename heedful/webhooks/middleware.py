"""The senders' door ahead of the pages' middleware.

A webhook is a machine posting JSON, proved by its signature: it has no session, no user, no
CSRF token, no messages, asks for no static file and renders no page, yet every middleware
after ``SecurityMiddleware`` did its work for it on each delivery (about 0.2 ms of the 1.8
ms the door costs in process, bench/README.md). This one answers ``/webhooks/...`` itself,
right after ``SecurityMiddleware`` (which still redirects plain HTTP and sets its headers),
with the host still checked against ALLOWED_HOSTS as ``CommonMiddleware`` would.

The rest of the address is resolved against the webhooks' own patterns only: resolving it
against the whole site tried every page's pattern before ``webhooks/`` (about 5% of the
door's CPU in a profile, bench/README.md), and no other pattern can answer under it
(``heedful/urls.py`` includes these under ``webhooks/``).
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver

PREFIX = "/webhooks/"
PATTERNS = "heedful.webhooks.urls"


class WebhookDoorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        request.get_host()  # DisallowedHost (400) for a host Heedful does not serve
        try:
            # a root resolver matches from the leading slash: "/<name>/"
            match = get_resolver(PATTERNS).resolve(request.path_info[len(PREFIX) - 1:])
        except Resolver404:
            raise Http404("No webhook source at this address.") from None
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
