"""The API's version prefix: every endpoint answers under ``/api/v1/``; the old ``/api/`` paths
still answer for one release, marked deprecated.

Why not redirect the old paths: a 301/302 turns a POST into a GET in most HTTP clients, and a 307/308
is not followed by many integration tools (and never re-sends a body after a redirect across
hosts) — a kiosk issuing a ticket or a core-banking hook posting a work order would fail. So both
paths run the same view; an old-path response carries

    Deprecation: @1798761600                      (RFC 9745: deprecated since 2027-01-01)
    Link: </api/v1/queue/…>; rel="successor-version"

and lists keep their old bare-array body there (see ``core.pagination``). URL names (``reverse``,
``{% url %}``) resolve to the v1 path only; the schema lists only v1.
"""

import functools

from django.urls import URLPattern, URLResolver, include, path

LEGACY_PREFIX = "api/"
V1_PREFIX = "api/v1/"
# The release that still answers the old paths; they go in the next one (docs/api-flows.md).
DEPRECATED_SINCE = "@1798761600"
# Paths under /api/ that are not versioned endpoints: the schema and its docs page.
UNVERSIONED = ("api/schema/", "api/docs/")


def versioned(patterns: list) -> list:
    """``patterns`` with each ``api/…`` route also under ``api/v1/…`` (named there) and the old
    one unnamed and marked deprecated. The apps' includes at the root are walked, namespaced ones
    rebuilt with their namespace so ``reverse("app:name")`` finds the v1 path too."""
    v1: list = []
    legacy: list = []
    rest: list = []
    for entry in patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "":
            children = versioned(entry.url_patterns)
            if entry.namespace:
                rest.append(path("", include((children, entry.app_name), namespace=entry.namespace)))
            else:
                rest.extend(children)
            continue
        route = str(entry.pattern) if isinstance(entry, URLPattern) else ""
        if route.startswith(LEGACY_PREFIX) and not route.startswith(V1_PREFIX) \
                and not route.startswith(UNVERSIONED):
            tail = route[len(LEGACY_PREFIX):]
            v1.append(path(V1_PREFIX + tail, entry.callback, entry.default_args, entry.name))
            legacy.append(path(route, _deprecated(entry.callback), entry.default_args))
        else:
            rest.append(entry)
    return [*rest, *v1, *legacy]


def _deprecated(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Deprecation"] = DEPRECATED_SINCE
        successor = "/api/v1/" + request.path[len("/api/"):]
        link = f'<{successor}>; rel="successor-version"'
        response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link
        return response

    return wrapper


def drop_legacy_paths(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema documents ``/api/v1/`` only."""
    return [(path_, path_regex, method, callback) for path_, path_regex, method, callback in endpoints
            if not path_.startswith("/api/") or path_.startswith("/api/v1/")
            or path_.startswith(tuple("/" + prefix for prefix in UNVERSIONED))]
