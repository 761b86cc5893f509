"""Kiosk and VTM screens (one page each; the screens inside are switched by kiosk.js), the
remote teller's console and call page, and the lobby manager's device status list."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from branches.access import role_required, staff_branches
from branches.models import Device
from branches.roles import Role
from counter.views_console import _current_context
from kiosk import access, conf, services
from kiosk.models import DeviceStatus, VtmStatus

# Texts the kiosk's JavaScript shows (all translated on the server, in the screen's language).
JS_STRINGS = {
    "offline": _("We cannot reach the bank's system right now. Please wait a moment or ask a member "
                 "of staff; this screen will recover by itself."),
    "back_online": _("Connected again."),
    "still_there": _("Are you still there? Touch the screen to continue."),
    "choose_service": _("Choose a service"),
    "no_services": _("No service matches your search."),
    "here_now": _("Do it here now"),
    "take_ticket": _("Take a ticket"),
    "alternative": _("Or instead"),
    "your_ticket": _("Your ticket"),
    "scan_hint": _("Hold the QR code of your booking in front of the camera."),
    "no_camera": _("The camera is not available: please type the booking code."),
    "checked_in": _("You are checked in."),
    "form_saved": _("Saved. Take a ticket and the counter will only check it."),
    "fix_fields": _("Please correct the marked fields."),
    "thinking": _("Looking for an answer…"),
    "waiting_teller": _("Please wait: a remote teller will answer shortly."),
    "teller_joined": _("The remote teller has joined."),
    "call_ended": _("The call has ended. Thank you."),
    "confirm": _("Confirm"),
    "decline": _("Decline"),
    "sign_here": _("Please sign in the box."),
    "face_hint": _("Look at the camera and turn your head a little."),
    "face_none": _("We could not recognise you. You can still use every service."),
    "revoked": _("This machine has been switched off by the branch. Please ask a member of staff."),
    "error": _("Something went wrong. Please try again."),
    "more": _("More"),
    "previous": _("Previous"),
    "minutes": _("minutes"),
    "required": _("required"),
}


def _kiosk_page(request, kind: str):
    device = getattr(request, "device", None)
    if device is None or device.kind not in services.KIOSK_KINDS:
        return redirect("device-login")
    session = access.current_session(request)
    point = device.service_point
    capabilities = (point.capabilities if point else None) or {}
    config = {
        "idleSeconds": conf.idle_seconds(),
        "elderlyIdleSeconds": conf.idle_seconds() * 2,
        "heartbeatSeconds": conf.heartbeat_seconds(),
        "hasVtm": services.vtm_point(device) is not None,
        "hasCamera": bool(capabilities.get("camera", True)),
        "hasPrinter": bool(capabilities.get("printer", True)),
        "session": session and {"language": session.language, "elderly": session.elderly_mode,
                                "contrast": session.high_contrast},
        "kind": kind,
    }
    return render(request, "kiosk/kiosk.html", {
        "device": device, "config": config, "strings": {k: str(v) for k, v in JS_STRINGS.items()},
        "languages": settings.LANGUAGES, "session": session})


def kiosk_home(request):
    return _kiosk_page(request, "kiosk")


def vtm_home(request):
    return _kiosk_page(request, "vtm")


def _remote_teller(request):
    if not services.is_remote_teller(request.user):
        raise PermissionDenied
    return request.user


@require_GET
@role_required(Role.TELLER)
def remote_teller_console(request):
    """Waiting VTM calls of the teller's branches (live), and the call they are in, if any."""
    teller = _remote_teller(request)
    calls = services.vtm_sessions_for_teller(teller).select_related("ticket", "service_type", "device")
    mine = calls.filter(status=VtmStatus.CONNECTED, teller=teller).first()
    return render(request, "kiosk/remote_console.html", {
        "waiting": services.vtm_offered_to(teller).select_related("ticket", "service_type", "device"),
        "mine": mine, "signs": services.signs(teller)})


@require_GET
@role_required(Role.TELLER)
def remote_teller_call(request, public_id):
    """The video call, with what a counter teller sees (counter's console panel for the record)."""

    teller = _remote_teller(request)
    vtm = access.vtm_for_teller(teller, public_id)
    context = {"vtm": vtm, "point": vtm.point,
               "config": {"session": str(vtm.public_id), "recordingConsent": vtm.recording_consent,
                          "connected": vtm.status == VtmStatus.CONNECTED and vtm.teller_id == teller.pk}}
    if vtm.status == VtmStatus.CONNECTED and vtm.teller_id == teller.pk:
        context.update(_current_context(vtm.point, teller))
    return render(request, "kiosk/remote_call.html", context)


@require_GET
@role_required(Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)
def device_status(request):
    """Kiosks and VTMs of the manager's branches, online or silent (refreshes itself)."""
    devices = (Device.objects.active().filter(branch__in=staff_branches(request.user),
                                              kind__in=services.KIOSK_KINDS)
               .select_related("branch", "service_point").order_by("branch__code", "name"))
    statuses = dict(DeviceStatus.objects.filter(device__in=devices).values_list("device_id", "online"))
    rows = [(device, statuses.get(device.pk, False)) for device in devices]
    template = "kiosk/_device_rows.html" if request.htmx else "kiosk/device_status.html"
    return render(request, template, {"rows": rows})
