from channels.db import database_sync_to_async

from branches.device_lookup import device_by_token_hash
from branches.models import Device

SESSION_DEVICE_ID = "device_id"
SESSION_DEVICE_HASH = "device_token_hash"


def device_from_session(session) -> Device | None:
    """The device signed in on this browser session, re-checked every time so a revoked token
    stops the device at its next request."""
    device_id = session.get(SESSION_DEVICE_ID)
    if not device_id:
        return None
    device = device_by_token_hash(str(session.get(SESSION_DEVICE_HASH, "")))
    if device is not None and device.pk != device_id:
        device = None
    if device is None:
        session.pop(SESSION_DEVICE_ID, None)
        session.pop(SESSION_DEVICE_HASH, None)
    return device


class DeviceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.device = (device_from_session(request.session)
                          if SESSION_DEVICE_ID in request.session else None)
        return self.get_response(request)


class DeviceWebsocketMiddleware:
    """Sets scope["device"] (or None) from the browser session of a signed-in device."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        session = scope.get("session")
        device = None
        if session is not None:
            device = await database_sync_to_async(device_from_session)(session)
        scope = dict(scope, device=device)
        return await self.inner(scope, receive, send)
