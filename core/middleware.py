import logging
import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core.cache import begin_request_memo, end_request_memo

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(request_id: str):
    """Make `request_id` the current one (a Celery task running for a request); returns the token
    for `unbind_request_id`."""
    return _request_id.set(request_id)


def unbind_request_id(token) -> None:
    _request_id.reset(token)


class RequestIdMiddleware:
    """Tags every request with an id (the load balancer's X-Request-ID when it sends a sane one),
    so audit events and log lines of one request can be found together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        memo = begin_request_memo()
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            end_request_memo(memo)
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        # Django logs 4xx/5xx lines after the middleware has returned (and the context is reset),
        # but hands the request along with them.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=(self)")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NoStoreMiddleware:
    """Pages and API answers are built per person and may carry personal data: no browser,
    proxy or shared device keeps a copy (`Cache-Control: no-store`) unless the view chose its
    own caching. Static files are served before this (WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class UnstorableInputMiddleware:
    """A 400 for paths, query strings and form fields carrying NUL or broken Unicode."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        from core.parsers import MESSAGE, has_unstorable

        values = [request.path, *request.GET.keys(), *request.GET.values()]
        # Multipart bodies are left to the views: reading them here would fix the upload
        # handlers before a view that keeps uploads in memory can choose its own.
        if request.content_type == "application/x-www-form-urlencoded":
            values += [*request.POST.keys(), *request.POST.values()]
        if any(has_unstorable(value) for value in values):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                message = str(MESSAGE)
                # The one API error shape (core.api_errors), built here: no view has run yet.
                return JsonResponse({"code": "invalid", "detail": message,
                                     "errors": {"non_field_errors": [message]}}, status=400)
            return HttpResponseBadRequest(str(MESSAGE))
        return self.get_response(request)


def _customer_page(path: str) -> bool:
    return bool(settings.CUSTOMER_PAGES.match(path))


class CustomerLanguagesMiddleware:
    """Japanese and Korean are customers' languages: a staff page asked for in one of them (the
    language cookie a kiosk or a phone set) is shown in English rather than half translated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        customer_only = translation.get_language() in settings.CUSTOMER_ONLY_LANGUAGES
        if customer_only and not _customer_page(request.path):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        return self.get_response(request)


def languages_context(request):
    """The languages the page's switcher offers: all of them where customers are served."""
    customer = _customer_page(request.path)
    return {
        "switcher_languages": [
            (code, label)
            for code, label in settings.LANGUAGES
            if customer or code not in settings.CUSTOMER_ONLY_LANGUAGES
        ]
    }
