"""The Content-Security-Policy header on every response (settings.CONTENT_SECURITY_POLICY).

Django 5.2 has no middleware for it (Django 6.0 does; this one goes when we move). Every
script and style is a file of our own static files, so the policy allows no inline script:
a link or a value that slips past escaping cannot run.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
