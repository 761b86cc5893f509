from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
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
