"""The senders' door ahead of the pages' middleware.

A webhook is a machine posting JSON, proved by its signature: it has no session, no user, no
CSRF token, no messages, asks for no static file and renders no page, yet every middleware
after ``SecurityMiddleware`` did its work for it on each delivery (about 0.2 ms of the 1.8
ms the door costs in process, bench/README.md). This one answers ``/webhooks/...`` itself,
right after ``SecurityMiddleware`` (which still redirects plain HTTP and sets its headers),
with the host still checked against ALLOWED_HOSTS as ``CommonMiddleware`` would.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import resolve

PREFIX = "/webhooks/"


class WebhookDoorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        request.get_host()  # DisallowedHost (400) for a host Heedful does not serve
        match = resolve(request.path_info)  # Http404 for any other address
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
