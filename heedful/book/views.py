"""The book of accounts: the account list and customer search, at /accounts/ and
/accounts/search/ (the Account 360 is ``heedful.account360``).

Each view parses the query string, calls a service and renders; an htmx request (other than
a history restore) gets only the fragment it swaps, every other request the full page, so the
pages work without JavaScript too.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from heedful.accounts.models import AccountStatus
from heedful.book import services
from heedful.book.search import SearchHit, search_customers
from heedful.core.models import User
from heedful.core.sorting import sort_columns

SEARCH_LIMIT = 20


def _wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _render(
    request: HttpRequest, *, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    is_fragment = _wants_fragment(request)
    template = fragment if is_fragment else page
    response = render(request, template, {**context, "is_fragment": is_fragment})
    # The same URL answers a page or a fragment: caches must key on the header.
    patch_vary_headers(response, ["HX-Request"])
    return response


COLUMNS = [
    ("name", "Account"),
    ("owner", "Owner"),
    ("status", "Status"),
    ("segment", "Segment"),
    ("industry", "Industry"),
    ("open_plays", "Open plays"),
    ("open_tickets", "Open tickets"),
    ("last_contact", "Last two-way contact"),
    ("next_renewal", "Next renewal"),
    ("latest_invoice", "Latest invoice"),
]

# How each kind of column words its two directions.
ORDER_WORDS = {
    "number": ("lowest first", "highest first"),
    "date": ("earliest first", "latest first"),
    "text": ("A–Z", "Z–A"),
}
COLUMN_KINDS = {
    "open_plays": "number", "open_tickets": "number", "latest_invoice": "number",
    "last_contact": "date", "next_renewal": "date",
}
SORT_OPTIONS = [
    option
    for key, label in COLUMNS
    for option in (
        (key, f"{label}, {ORDER_WORDS[COLUMN_KINDS.get(key, 'text')][0]}"),
        (f"-{key}", f"{label}, {ORDER_WORDS[COLUMN_KINDS.get(key, 'text')][1]}"),
    )
]
"""The same sorts as the column headers, for the form (and phones, where headers hide)."""


LARGEST_ID = 2**63 - 1


def _owner_id(raw: str) -> int | None:
    """The owner filter's user id; None without one. A number no id can reach (the
    databases' ids are 64-bit) becomes 0, an id nobody has: the list shows nothing."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if number <= LARGEST_ID else 0


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    owner_id = _owner_id(request.GET.get("owner", ""))
    status = request.GET.get("status", "")
    segment = request.GET.get("segment", "")
    listing = services.get_all_filtered(
        user=request.user,  # type: ignore[arg-type]
        as_of=timezone.localdate(),
        text=text,
        owner_id=owner_id,
        status=status if status in AccountStatus.values else "",
        segment=segment,
        sort=request.GET.get("sort", "name"),
    )
    page = Paginator(listing.accounts, settings.HEEDFUL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "listing": listing,
        "columns": sort_columns(COLUMNS, listing.sort),
        "sort_options": SORT_OPTIONS,
        "filters": {"q": text, "owner": owner_id, "status": status, "segment": segment},
        "statuses": AccountStatus.choices,
        "is_filtered": bool(text or owner_id or status or segment),
    }
    return _render(
        request, page="book/list.html", fragment="book/_rows.html", context=context
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    results: list[SearchHit] = []
    if text:
        user = request.user
        assert isinstance(user, User)  # @login_required
        results = search_customers(user=user, text=text, limit=SEARCH_LIMIT)
    # The relevance floor: loose matches are shown only when nothing matches closely, and
    # then under a "no close match" answer.
    close = [hit for hit in results if hit.is_close]
    context = {"q": text, "results": close or results, "is_close": bool(close)}
    return _render(
        request, page="book/search.html", fragment="book/_results.html", context=context
    )
