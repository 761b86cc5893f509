"""Who may use which kiosk session and VTM call. Every kiosk object is loaded through these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.models import Device
from kiosk.models import KioskSession, VtmSession
from kiosk.services import KIOSK_KINDS, vtm_sessions_for_teller

# The browser-session key holding the customer's kiosk session; cleared at the idle timeout.
SESSION_KEY = "kiosk.session"
# Everything personal the kiosk keeps in the browser session, dropped together.
PERSONAL_KEYS = (SESSION_KEY, "kiosk.form", "kiosk.conversation")


def kiosk_device(request) -> Device:
    """The signed-in kiosk or VTM behind this request; 403 for anyone else (staff included)."""
    device = getattr(request, "device", None)
    if device is None or device.kind not in KIOSK_KINDS:
        raise PermissionDenied
    return device


def current_session(request) -> KioskSession | None:
    """This browser's open kiosk session, if it belongs to the signed-in device."""
    device = kiosk_device(request)
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    return (KioskSession.objects.select_related("device__service_point", "branch", "customer")
            .filter(public_id=public_id, device=device, ended_at__isnull=True).first())


def session_required(request) -> KioskSession:
    session = current_session(request)
    if session is None:
        raise Http404("no open kiosk session")
    return session


def forget_personal(request) -> None:
    """Drop the customer's state from the browser session; the device stays signed in."""
    for key in PERSONAL_KEYS:
        request.session.pop(key, None)


def vtm_for_device(device: Device, public_id) -> VtmSession:
    vtm = (VtmSession.objects.select_related("ticket", "service_type", "device", "branch", "record")
           .filter(public_id=public_id, device=device).first())
    if vtm is None:
        raise Http404("no such call")
    return vtm


def vtm_for_teller(user, public_id, *, write: bool = False) -> VtmSession:
    """A VTM call a remote teller may see (their branches); with write=True only the teller who
    took it (or anyone, while it still waits) may act on it."""
    vtm = (vtm_sessions_for_teller(user).select_related("ticket", "service_type", "device", "branch",
                                                        "record", "point")
           .filter(public_id=public_id).first())
    if vtm is None:
        raise Http404("no such call")
    if write and vtm.teller_id not in (None, user.pk):
        raise PermissionDenied
    return vtm
