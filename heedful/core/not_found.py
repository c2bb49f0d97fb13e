"""Pages answer a service's NotFound with the 404 page, in one place.

Services raise NotFound for a record that does not exist or that the user may not see
(they do not say which); every page answers it alike, so no view catches it. A view that
answers otherwise (a shared page's "gone" page, a form that shows the refusal) catches it
itself, before this. The API answers NotFound with its own JSON 404 (heedful/api.py): its
handler catches it first, so the error never gets here.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from heedful.core.exceptions import NotFound


class NotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from None
