"""One pagination for every list of the API: ``?limit=`` and ``?offset=``.

Under ``/api/v1/`` a list answers ``{"count", "next", "previous", "results"}``. Under the old
``/api/`` paths (answered for one more release, see ``branchsvc.api_versions``) the body stays the
bare array it always was, so existing clients keep parsing it; the page facts travel in headers
there (``X-Total-Count``, ``Link: <…>; rel="next"``). Both honour ``limit`` and ``offset``: the
default page is the cut each list had before (50, 100, 200 or 500 rows), and no page is larger
than ``max_limit``.

A list view sets ``pagination_class = ApiPagination`` (which also puts the envelope and the two
parameters in the schema) and returns ``paginated(self, request, rows, Output)``.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

V1_PREFIX = "/api/v1/"


class ApiPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


def is_v1(request) -> bool:
    return request.path.startswith(V1_PREFIX)


def paginated(view, request, rows: QuerySet | Sequence, serializer_class=None, *,
              default_limit: int = 50, max_limit: int = 500,
              render: Callable[[Any], Any] | None = None, context: dict | None = None) -> Response:
    """One page of ``rows`` rendered by ``serializer_class``, by ``render`` per row, or as they
    are (rows already shaped as the output)."""
    paginator = ApiPagination()
    paginator.default_limit = default_limit
    paginator.max_limit = max(max_limit, default_limit)
    page = paginator.paginate_queryset(rows, request, view=view)
    if serializer_class is None:
        data = [render(row) for row in page] if render else list(page)
    else:
        data = serializer_class(page, many=True, context=context or {"request": request}).data
    if is_v1(request):
        return paginator.get_paginated_response(data)
    response = Response(data)
    response["X-Total-Count"] = str(paginator.count)
    links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", paginator.get_next_link()),
                                                       ("prev", paginator.get_previous_link()))
             if url]
    if links:
        response["Link"] = ", ".join(links)
    return response
