"""Cursor pages of contacts: the keyset pagination of All Contacts (contacts.pagination),
its signed cursors in `next` and `previous` links."""

from functools import cache
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.problems import problem
from api.selectors import LOOKUPS
from contacts.filters import DEFAULT_SORT, SORTS, ContactFilter
from contacts.models import Contact
from contacts.pagination import InvalidCursor, keyset_page

CURSOR_MAX = 600


def page_size(request: Request) -> int:
    raw = request.query_params.get("page_size", "")
    if not raw:
        return int(settings.API_PAGE_SIZE)
    if not raw.isdigit() or not 1 <= int(raw) <= settings.API_PAGE_SIZE_MAX:
        raise serializers.ValidationError(
            {"page_size": [f"A whole number from 1 to {settings.API_PAGE_SIZE_MAX}."]}
        )
    return int(raw)


def cursor_page(
    request: Request, contacts: QuerySet[Contact], serializer: type[serializers.BaseSerializer[Any]]
) -> Response:
    sort = request.query_params.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        raise serializers.ValidationError({"sort": [f"One of: {', '.join(SORTS)}."]})
    limit = page_size(request)
    after = request.query_params.get("after", "")
    before = request.query_params.get("before", "")
    if after and before:
        return _bad_cursor("before", "Send after or before, not both.")
    try:
        # A cursor too long was never one of ours: cut, it is refused as altered.
        page = keyset_page(
            contacts,
            sort=sort,
            limit=limit,
            after=after[: CURSOR_MAX + 1],
            before=before[: CURSOR_MAX + 1],
            strict=True,
        )
    except InvalidCursor as exc:
        origin = "next" if exc.name == "after" else "previous"
        return _bad_cursor(
            exc.name,
            f"This {exc.name} cursor is not valid for this request (use the `{origin}` link "
            "of this list as it is, with the same sort and page_size). Start again without it.",
        )

    def link(**cursor: str) -> str:
        params = request.query_params.copy()
        for name in ("after", "before"):
            params.pop(name, None)
        params.update(cursor)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return Response(
        {
            "next": link(after=page.next_cursor) if page.next_cursor else None,
            "previous": link(before=page.previous_cursor) if page.previous_cursor else None,
            "results": serializer(page.rows, many=True).data,
        }
    )


def _bad_cursor(name: str, message: str) -> Response:
    return problem(400, message, errors={name: [message]})


@cache
def paginated(item: type[serializers.BaseSerializer[Any]]) -> type[serializers.Serializer[Any]]:
    """The schema of a page of `item`s."""
    name = item.__name__.removesuffix("Serializer").removesuffix("ListItem")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


_TYPES: dict[type, type] = {
    django_filters.NumberFilter: int,
    django_filters.DateFilter: str,
    django_filters.ModelChoiceFilter: int,
}


def list_parameters() -> list[OpenApiParameter]:
    """The query parameters of contacts/: the All Contacts filters, look-ups, sort, paging."""
    parameters = []
    for name, filter_ in ContactFilter.base_filters.items():
        if name in LOOKUPS:
            continue
        kind = next((t for cls, t in _TYPES.items() if isinstance(filter_, cls)), str)
        help_text = str(filter_.extra.get("help_text") or filter_.label or name)
        parameters.append(OpenApiParameter(name, kind, description=help_text))
    for name in LOOKUPS:
        parameters.append(OpenApiParameter(name, str, description=f"Exact {name} look-up."))
    parameters += [
        OpenApiParameter("sort", str, enum=SORTS, description="Order; '-' descends."),
        OpenApiParameter("page_size", int, description="Rows per page (1 to 500, default 50)."),
        OpenApiParameter("after", str, description="The cursor of a `next` link."),
        OpenApiParameter("before", str, description="The cursor of a `previous` link."),
    ]
    return parameters
