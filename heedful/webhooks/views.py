"""The addresses senders post to: ``POST /webhooks/<name>/``. Thin: the raw body and headers go
to ``services.receive``, whose answer is sent back as JSON."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from heedful.webhooks import services


@csrf_exempt  # a sender proves itself by its signature, not by a session
@require_POST
def receive(request: HttpRequest, name: str) -> JsonResponse:
    answer = services.receive(
        source_name=name, body=request.body, headers=dict(request.headers.items())
    )
    return JsonResponse(answer.body, status=answer.status)
