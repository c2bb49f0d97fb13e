"""GET /api/v1/search: customer search, as the search page answers it."""

from django.http import HttpRequest
from ninja import Query, Router

from heedful.book import schemas
from heedful.book.search import SearchHit, search_customers
from heedful.core.api_auth import request_user
from heedful.core.rest import ErrorOut, query_holds_nul, refuse_repeated_parameters

router = Router()


@router.get(
    "/search", response={200: list[schemas.SearchHit], 401: ErrorOut, 422: ErrorOut},
    tags=["search"], operation_id="search",
    summary="Find customers (accounts and contacts) you can see, best match first",
)
def search(request: HttpRequest, params: Query[schemas.SearchParams]) -> list[SearchHit]:
    refuse_repeated_parameters(request)
    if query_holds_nul(request):
        return []
    return search_customers(user=request_user(request), text=params.q, limit=params.limit)
