import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.throttling import SimpleRateThrottle

from branches.device_lookup import device_by_token
from branches.models import ApiClient


class DeviceTokenAuthentication(BaseAuthentication):
    """`Authorization: Device <token>` for kiosks, VTMs and lobby screens. The request gets
    `request.device`; the user stays anonymous, so staff-only endpoints stay closed to devices."""

    keyword = b"device"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid device token header."))
        device = device_by_token(parts[1].decode(errors="replace"))
        if device is None:
            raise AuthenticationFailed(_("Device token is invalid or revoked."))
        request._request.device = device
        return (AnonymousUser(), device)

    def authenticate_header(self, request):
        return "Device"


class DeviceSessionAuthentication(SessionAuthentication):
    """A device browser signed in at /device/login/ (`request.device` set by the middleware).

    Unlike an anonymous session this one acts, so it gets the same CSRF check as a staff session.
    """

    def authenticate(self, request):
        device = getattr(request._request, "device", None)
        if device is None:
            return None
        self.enforce_csrf(request)
        return (AnonymousUser(), device)


class DeviceSessionScheme(OpenApiAuthenticationExtension):
    target_class = "branches.auth.DeviceSessionAuthentication"
    name = "deviceSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "Session of a device browser signed in at /device/login/."}


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "branches.auth.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Device <token>` issued to a kiosk, VTM or lobby screen."}


# Endpoint families by the module that defines the view: a client needs `<family>:read` for GET,
# `<family>:write` for anything else. Modules not listed (kiosk and face devices, the client
# registry itself) are closed to API clients; a view may name its own with `api_scope_family`.
API_SCOPE_FAMILIES = {
    "queueing": "queue", "counter": "counter", "appointments": "appointments",
    "knowledge": "knowledge", "servicedesk": "servicedesk", "customers.api": "customers",
    "branches.api": "branches", "branches.calendar_api": "branches", "compliance.api": "audit",
}
_LAST_USED_EVERY = dt.timedelta(minutes=1)


def required_scope(view, method: str) -> str | None:
    family = getattr(view, "api_scope_family", None)
    if family is None:
        module = type(view).__module__
        family = next((name for prefix, name in API_SCOPE_FAMILIES.items()
                       if module == prefix or module.startswith(prefix + ".")), None)
    if not family:
        return None
    return f"{family}:{'read' if method in ('GET', 'HEAD', 'OPTIONS') else 'write'}"


class ApiClientAuthentication(BaseAuthentication):
    """`Authorization: Bearer bsk_…` for integrations (core banking, CRM). The request runs as the
    client's technical account; a scope the client lacks is refused here, before any view code,
    with 403 `insufficient_scope` — whatever the view's own permission classes say."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2 or len(parts[1]) > 200:
            raise AuthenticationFailed(_("Invalid API key header."))
        key = parts[1].decode(errors="replace")
        client = (ApiClient.objects.active().select_related("user", "user__staff_profile")
                  .filter(key_hash=ApiClient.hash_key(key)).first())
        if client is None or not client.user.is_active:
            raise AuthenticationFailed(_("API key is invalid or revoked."))
        view = (request.parser_context or {}).get("view")
        scope = required_scope(view, request.method) if view is not None else None
        if scope is None or not client.allows(scope):
            raise InsufficientScope(scope)
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > _LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return (client.user, client)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class InsufficientScope(PermissionDenied):
    default_code = "insufficient_scope"

    def __init__(self, scope: str | None):
        detail = (_("This API key lacks the scope %(scope)s.") % {"scope": scope} if scope
                  else _("API keys may not use this endpoint."))
        super().__init__(detail=detail, code="insufficient_scope")


class ApiClientRateThrottle(SimpleRateThrottle):
    """Each API client's own request budget (THROTTLE_API_CLIENT, e.g. 1200/minute); people and
    devices are not counted here."""

    scope = "api_client"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = "branches.auth.ApiClientAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "bsk_<prefix>_<secret>",
                "description": "An integration's API key, issued by head office "
                               "(/api/v1/api-clients/); scopes limit the endpoint families."}
