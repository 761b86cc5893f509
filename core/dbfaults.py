"""When the database goes away mid-request (a restart, a failover, a dropped connection), answer
503 with Retry-After and a translated message instead of a 500 traceback, and close the broken
connection so the next request connects afresh.

Nothing is half-written: every service owns its transaction, so a request that loses its
connection is rolled back by PostgreSQL. The client may simply try again.

A database error raised by a view reaches `process_exception`. One raised by another middleware
(the session or device-token lookup, usually the first query of a request) has already been
turned into a 500 by Django at that layer; the `got_request_exception` receiver marks the request
and `__call__` replaces that 500 with the 503.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("branchsvc.dbfaults")

DATABASE_FAULTS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
TITLE = _("Service briefly unavailable")
MESSAGE = _("The service is briefly unavailable. Nothing was saved; please try again in a moment.")


def close_broken_connections() -> None:
    """Close this thread's connections that saw an error (or outlived CONN_MAX_AGE)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except DatabaseError:
            connection.connection = None  # the socket is gone already; forget it


def unavailable_response(request) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    with translation.override(language):
        title, message = str(TITLE), str(MESSAGE)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
    else:
        # No template: base.html's navigation would ask the database again.
        response = HttpResponse(
            f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
            f"<p>{escape(message)}</p></main></body></html>",
            status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _fault(request, error: BaseException) -> HttpResponse:
    request._database_fault = error  # the 503's own log line is dropped (DatabaseFaultLogFilter)
    log.warning("database unavailable during %s %s: %s", request.method, request.path,
                str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__)
    close_broken_connections()
    return unavailable_response(request)


def _mark_database_fault(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_FAULTS):
        request._database_fault = error


got_request_exception.connect(_mark_database_fault, dispatch_uid="branchsvc.dbfaults")


class DatabaseFaultLogFilter(logging.Filter):
    """On the `django.request` logger: drops its records of a database outage — the "Internal
    Server Error" traceback of one met in another middleware, and the "Service Unavailable" line
    of the 503 that replaced it. `_fault` logged one warning; those would fill error reporting
    with a false error for every request of an outage."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        answered_503 = getattr(getattr(record, "request", None), "_database_fault", None) is not None
        return not (isinstance(error, DATABASE_FAULTS) or answered_503)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "_database_fault", None)
        if error is not None and response.status_code == 500:
            return _fault(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_FAULTS):
            return _fault(request, exception)
        return None
