"""One error shape for every API of the platform (DRF's EXCEPTION_HANDLER):

    {"code": "invalid", "detail": "请更正标出的字段。", "errors": {"id_number": ["…"]}}

``code`` is a stable machine word (invalid, conflict, not_found, permission_denied, throttled,
…), ``detail`` one translated sentence a person can read, ``errors`` field → messages and only on
validation failures (nested fields are dotted: ``lines.0.amount``). An API view raises and never
builds a body: a DRF ``ValidationError`` (a serializer's ``is_valid(raise_exception=True)``), a
service's Django ``ValidationError`` (fields → 400; one with ``status_code = 409``, like
queueing's ``TicketStateError``, → conflict), ``Refusal(code, detail, status)``, or
``Invalid(errors, extra)`` when a refusal carries structured context beside the fields (the bad
lines of an import file). So an integrator parses one thing whichever app answered."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class Refusal(exceptions.APIException):
    """A service's refusal with its own machine code, e.g. ``Refusal("too_early", message, 409)``."""

    def __init__(self, code: str, detail: str, status_code: int = 409, *, extra: dict | None = None):
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.default_code = code
        # Context beside the refusal, e.g. {"errors": {field: [...]}, "next_free_slots": [...]}.
        self.extra = extra or {}


class Invalid(exceptions.ValidationError):
    """A 400 with field messages and, beside them, structured context (``extra`` keys)."""

    def __init__(self, errors: dict, extra: dict | None = None):
        super().__init__(errors)
        self.extra = extra or {}


class ApiErrorOutput(serializers.Serializer):
    """The one error body, for the OpenAPI schema (every operation documents it)."""

    code = serializers.CharField(help_text="invalid, conflict, not_found, permission_denied, …")
    detail = serializers.CharField(help_text="one translated sentence")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False, help_text="field → messages (validation only)")


def valid_input(serializer_class, request, **kwargs) -> dict:
    """The request's validated input; bad input raises, and leaves as a 400 in the one shape."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def from_django(error: DjangoValidationError) -> exceptions.APIException:
    """A service's Django ValidationError as the API's: 409 when it says so, else 400."""
    if getattr(error, "status_code", 400) == 409:
        return Refusal(getattr(error, "api_code", "conflict"), " ".join(error.messages), 409)
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"detail": error.messages})


def service_call(call):
    """`call()`, a service; its Django ValidationError raised as the API's error at once (for a
    view that goes on inside a transaction or a loop): the same answer the handler would give."""
    try:
        return call()
    except DjangoValidationError as error:
        raise from_django(error) from error


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    if isinstance(exc, Http404):
        # The specific "no such …" texts are developer English; a person needs one clear sentence,
        # and it must not tell an outsider which records exist.
        exc = exceptions.NotFound(_("Nothing was found here, or you may not see it."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {**error_body(exc, response.data), **getattr(exc, "extra", {})}
    return response


def error_body(exc: exceptions.APIException, data) -> dict:
    validation = isinstance(exc, exceptions.ValidationError)
    messages, fields, context = _split(data, validation=validation)
    if fields and not messages:
        only = next(iter(fields.values())) if len(fields) == 1 else None
        messages = only[:1] if only else [_("Please correct the marked fields.")]
    body: dict = {"code": "invalid" if validation else str(getattr(exc, "default_code", "error")),
                  "detail": " ".join(messages) or str(exc.default_detail)}
    if fields:
        body["errors"] = fields
    # Context some views add beside a refusal (e.g. the ticket as it stands) is kept as it was.
    return {**context, **body}


def _split(data, *, validation: bool) -> tuple[list[str], dict[str, list[str]], dict]:
    """(messages about the request as a whole, {field: messages}, other context)."""
    if not isinstance(data, dict):
        return _flat_messages(data), {}, {}
    messages: list[str] = []
    fields: dict[str, list[str]] = {}
    context: dict = {}
    for key, value in data.items():
        if key in ("detail", "non_field_errors"):
            messages.extend(_flat_messages(value))
        elif key == "errors" and isinstance(value, dict):
            fields.update(_flat_fields(value))
        elif validation and key != "code":
            fields.update(_flat_fields({key: value}))
        elif key != "code":
            context[key] = value
    return messages, fields, context


def _flat_messages(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _flat_messages(item)]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _flat_messages(item)]
    return [str(value)]


def _flat_fields(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for name, problems in errors.items():
        key = f"{prefix}{name}"
        if isinstance(problems, dict):
            flat.update(_flat_fields(problems, f"{key}."))
        elif isinstance(problems, list) and problems and all(isinstance(p, dict) for p in problems):
            for index, item in enumerate(problems):
                flat.update(_flat_fields(item, f"{key}.{index}."))
        else:
            flat[key] = _flat_messages(problems)
    return {name: messages for name, messages in flat.items() if messages}
