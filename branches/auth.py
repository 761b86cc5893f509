from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed

from branches.models import Device


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
        device = Device.objects.by_token(parts[1].decode(errors="replace"))
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
