"""Every write of the kiosk app: self-service sessions, device heartbeats, and VTM sessions.

The kiosk does little business of its own: tickets come from queueing, check-in from
appointments, forms and service records from counter. These functions call those services with
the device as the actor, and add what only the kiosk knows (which session did it, for the
customer's 360-degree view)."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from appointments.services import appointment_check_in_by_code, walk_in_allowed
from branches.access import staff_branches, user_role
from branches.models import Device, ServicePoint, ServiceType, StaffProfile
from branches.roles import Role
from branches.services import device_seen
from compliance.audit import audit_record
from core.live import groups, push
from counter.models import FormSource, FormStatus, PrefilledForm
from counter.services import (
    form_link_ticket,
    form_save,
    form_start,
    record_finish,
    record_sign,
    service_start,
)
from kiosk import conf
from kiosk.models import (
    ActivityKind,
    ConfirmationStatus,
    DeviceStatus,
    EndReason,
    KioskSession,
    SelfServiceRecord,
    VtmSession,
    VtmStatus,
)
from kiosk.recording import consent_record
from knowledge.models import AssistantExchange
from knowledge.services.assistant import assistant_ask
from queueing.alerts import Level, alert_raise
from queueing.models import Source, Ticket, TicketStatus
from queueing.payloads import both_format
from queueing.services import (
    IssueRequest,
    counter_close,
    counter_open,
    ticket_call,
    ticket_cancel,
    ticket_finish,
    ticket_issue,
    ticket_self_serve,
)

KIOSK_KINDS = (Device.Kind.KIOSK, Device.Kind.VTM)
LANGUAGES = tuple(code for code, _label in settings.LANGUAGES)
# How long an agent counts as signed in without their console's connection closing (a safety net
# for a browser that died without saying goodbye: a shift, not a day).
SIGN_PRESENCE_SECONDS = 10 * 3600


def _record(session: KioskSession, kind: str, **links) -> SelfServiceRecord:
    return SelfServiceRecord.objects.create(session=session, kind=kind, branch=session.branch,
                                            customer=links.pop("customer", None) or session.customer,
                                            **links)


def _touch(session: KioskSession) -> None:
    session.last_activity_at = timezone.now()
    session.save(update_fields=["last_activity_at"])


# --- self-service sessions ----------------------------------------------------------------------

@transaction.atomic
def kiosk_session_start(*, device: Device, language: str = "zh-hans", elderly_mode: bool = False,
                        high_contrast: bool = False) -> KioskSession:
    """A customer starts at the attract screen; whatever the previous one left open ends now."""
    if device.kind not in KIOSK_KINDS:
        raise ValidationError({"device": [_("Only kiosks and video tellers run self-service.")]})
    if language not in LANGUAGES:
        raise ValidationError({"language": [_("This language is not offered.")]})
    for stale in KioskSession.objects.select_for_update().filter(device=device, ended_at__isnull=True):
        _end(stale, EndReason.FINISHED)
    session = KioskSession.objects.create(device=device, branch=device.branch, language=language,
                                          elderly_mode=elderly_mode, high_contrast=high_contrast)
    audit_record(actor=None, device=device, action="kiosk.session_start", obj=session,
                 branch=device.branch, after={"language": language, "elderly_mode": elderly_mode})
    return session


@transaction.atomic
def kiosk_session_update(*, session: KioskSession, language: str | None = None,
                         elderly_mode: bool | None = None, high_contrast: bool | None = None) -> KioskSession:
    if language is not None and language not in LANGUAGES:
        raise ValidationError({"language": [_("This language is not offered.")]})
    changes = {"language": language, "elderly_mode": elderly_mode, "high_contrast": high_contrast}
    for name, value in changes.items():
        if value is not None:
            setattr(session, name, value)
    session.last_activity_at = timezone.now()
    session.save(update_fields=["language", "elderly_mode", "high_contrast", "last_activity_at"])
    return session


def _end(session: KioskSession, reason: str) -> None:
    session.ended_at, session.end_reason = timezone.now(), reason
    session.save(update_fields=["ended_at", "end_reason"])
    # Self-service done at this machine ends with the customer's session.
    for ticket in Ticket.objects.filter(pk__in=session.records.values("ticket"), status=TicketStatus.SERVING,
                                        counter_id=session.device.service_point_id):
        ticket_finish(actor=None, ticket=ticket)
    for vtm in VtmSession.objects.select_for_update().filter(
            kiosk_session=session, status=VtmStatus.WAITING):
        _vtm_close(vtm, VtmStatus.CANCELLED, actor=None, device=session.device)
    audit_record(actor=None, device=session.device, action="kiosk.session_end", obj=session,
                 branch=session.branch, customer=session.customer_id, after={"reason": reason})


@transaction.atomic
def kiosk_session_end(*, session: KioskSession, reason: str) -> KioskSession:
    """The idle timeout or "finish": the session ends and forgets who was at the screen. A
    customer still waiting for a remote teller is taken off that queue."""
    session = KioskSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is None:
        _end(session, reason)
    return session


# --- what a customer does at the kiosk ----------------------------------------------------------

@transaction.atomic
def kiosk_ticket_take(*, session: KioskSession, service_type: ServiceType, channel: str | None = None,
                      sign_language: bool = False):
    """Take a ticket for a service (the recommended place, or the alternative the customer chose).
    `sign_language`: a deaf customer nobody could answer by video; the ticket's note tells staff."""

    if not walk_in_allowed(service_type=service_type, customer=session.customer, branch=session.branch):
        raise ValidationError({"service_type": [_(
            "This service needs an appointment. Please check in with your booking code.")]})
    ticket = ticket_issue(issue=IssueRequest(
        branch=session.branch, service_type=service_type, source=Source.KIOSK,
        customer=session.customer, device=session.device,
        language=session.language, channel=channel))
    point = session.device.service_point
    if (ticket.channel == "kiosk" and point is not None and point.kind == ServicePoint.Kind.KIOSK
            and _point_serves(session.device, service_type)):
        # "Do it here now": the customer is served by this very machine, from this moment.
        ticket = ticket_self_serve(ticket=ticket, device=session.device)
    if sign_language:
        _note_sign_language(session, ticket)
    # A form pre-filled on this screen a moment ago goes with the ticket to the counter.
    form = (PrefilledForm.objects.filter(pk__in=session.records.filter(
        kind=ActivityKind.PREFILL, service_type=service_type).values("form"),
        status=FormStatus.SUBMITTED, ticket__isnull=True).order_by("-submitted_at").first())
    if form is not None:
        form_link_ticket(actor=None, form=form, ticket=ticket, device=session.device)
    _record(session, ActivityKind.TICKET, service_type=service_type, ticket=ticket, form=form)
    _touch(session)
    return ticket


def _note_sign_language(session: KioskSession, ticket: Ticket) -> None:
    text = _("Deaf customer (sign language): please communicate in writing.")
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    ticket.note = f"{zh} / {en}"[:200]
    ticket.save(update_fields=["note"])
    audit_record(actor=None, device=session.device, action="ticket.note", obj=ticket, branch=session.branch,
                 customer=session.customer_id, after={"note": ticket.note})


def _point_serves(device: Device, service_type: ServiceType) -> bool:
    point = device.service_point
    if point is None:
        return False
    codes = set(point.service_types.values_list("code", flat=True))
    return not codes or service_type.code in codes


@transaction.atomic
def kiosk_check_in(*, session: KioskSession, raw_code: str):
    """Check in an appointment by its booking code or the scanned QR text; raises appointments'
    `CheckInError` with a message for the customer."""

    appointment = appointment_check_in_by_code(branch=session.branch, raw_code=raw_code,
                                               device=session.device)
    _record(session, ActivityKind.CHECK_IN, customer=appointment.customer,
            service_type=appointment.service_type, ticket=appointment.ticket,
            form=appointment.prefilled_form)
    _touch(session)
    return appointment


@transaction.atomic
def kiosk_form_start(*, session: KioskSession, service_type: ServiceType):
    """Start pre-filling a service's business form here, so the counter only verifies it."""

    form = form_start(actor=None, service_type=service_type, source=FormSource.KIOSK,
                      customer=session.customer, branch=session.branch, device=session.device)
    _touch(session)
    return form


@transaction.atomic
def kiosk_form_save(*, session: KioskSession, form, values: dict, submit: bool):
    """Save a draft or submit; a submission raises counter's `FormInvalid` with field messages."""

    result = form_save(actor=None, form=form, values=values, submit=submit, device=session.device)
    if submit:
        _record(session, ActivityKind.PREFILL, service_type=form.service_type, form=form,
                customer=form.customer)
    _touch(session)
    return result


@transaction.atomic
def kiosk_question_ask(*, session: KioskSession, question: str, conversation: str = "", choice: str = ""):
    """The FAQ assistant, asked from the kiosk (its hand-offs open work orders as it decides)."""

    reply = assistant_ask(question=question, channel=AssistantExchange.Channel.KIOSK,
                          device=session.device, branch=session.branch, conversation=conversation,
                          choice=choice)
    if not conversation:
        _record(session, ActivityKind.QUESTION)
    _touch(session)
    return reply


# --- device heartbeats --------------------------------------------------------------------------

def _device_name(device: Device):
    """The service point's name in the language being written (1号智能柜员机 / Kiosk 1), else the
    device's one name."""
    point = device.service_point
    return device.name if point is None else lazy(lambda: point.name, str)()


def _status_alert(device: Device, online: bool) -> None:
    text = (_("Device %(name)s is back online.") if online
            else _("Device %(name)s has gone silent: check its power and network."))
    alert_raise(branch=device.branch, kind="device.online" if online else "device.offline",
                level=Level.INFO if online else Level.WARNING,
                text=both_format(text, name=_device_name(device)))
    push(groups.staff(device.branch.code), "device.status",
         {"device": device.pk, "name": device.name, "kind": device.kind, "online": online})


@transaction.atomic
def device_heartbeat(*, device: Device) -> DeviceStatus:
    """The kiosk's page says it is alive (every ~20 s): last seen now; online again if it was not."""
    device_seen(device=device)
    status, _created = DeviceStatus.objects.select_for_update().get_or_create(device=device)
    if not status.online:
        status.online, status.changed_at = True, timezone.now()
        status.save(update_fields=["online", "changed_at"])
        _status_alert(device, online=True)
    return status


@transaction.atomic
def devices_mark_silent(*, now: dt.datetime | None = None) -> list[Device]:
    """Celery beat: devices online but not heard from for `KIOSK_SILENT_AFTER_SECONDS` go
    offline, with one alert each on their branch's dashboard. Running it twice alerts once."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=conf.silent_after_seconds())
    silent = list(DeviceStatus.objects.select_for_update(of=("self",)).select_related("device__branch")
                  .filter(online=True, device__kind__in=KIOSK_KINDS)
                  .exclude(device__last_seen_at__gte=limit))
    for status in silent:
        status.online, status.changed_at = False, now
        status.save(update_fields=["online", "changed_at"])
        _status_alert(status.device, online=False)
    return [status.device for status in silent]


# --- VTM: remote teller -------------------------------------------------------------------------

def vtm_point(device: Device) -> ServicePoint | None:
    """The VTM service point a device serves remote-teller calls from, if it can (a VTM point
    with a camera)."""
    point = device.service_point
    if point is None or point.kind != ServicePoint.Kind.VTM:
        return None
    if not (point.capabilities or {}).get("camera", True):
        return None
    return point


def _vtm_payload(vtm: VtmSession) -> dict:
    return {"session": str(vtm.public_id), "status": vtm.status, "ticket": vtm.ticket.number,
            "service": {"zh-hans": vtm.service_type.name_zh_hans,
                        "en": vtm.service_type.name_en or vtm.service_type.name_zh_hans},
            "device": vtm.device.name, "branch": vtm.branch.code,
            "requested_at": vtm.requested_at.isoformat(),
            "confirmation": vtm.confirmation, "confirmation_status": vtm.confirmation_status,
            "sign_language": vtm.sign_language, "recording_consent": vtm.recording_consent}


def _vtm_publish(vtm: VtmSession, event: str) -> None:
    payload = _vtm_payload(vtm)
    push(vtm.group, event, payload)
    # The remote tellers' queue only needs to know when a call waits and when it leaves the queue.
    if event in ("vtm.waiting", "vtm.accepted", "vtm.ended"):
        push(remote_tellers_group(vtm.branch.code), event, {k: v for k, v in payload.items()
                                                             if not k.startswith("confirmation")})


def remote_tellers_group(branch_code: str) -> str:
    return f"vtm-tellers.{branch_code}"


def _sign_language_point(session: KioskSession) -> ServicePoint:
    """The VTM point a sign-language call is served from: the machine's own, else (a plain kiosk
    with a camera) a free video-teller point of the branch, whose counter records the service."""
    capabilities = (session.device.service_point.capabilities or {}) if session.device.service_point else {}
    if not capabilities.get("camera", True):
        raise ValidationError({"sign_language": [_("This machine has no camera for a video call. "
                                                   "Please ask a member of staff.")]})
    point = vtm_point(session.device)
    if point is None:
        busy = VtmSession.objects.filter(status__in=[VtmStatus.WAITING, VtmStatus.CONNECTED]).values("point")
        points = (ServicePoint.objects.filter(branch=session.branch, kind=ServicePoint.Kind.VTM)
                  .exclude(capabilities__camera=False).order_by("code"))
        point = points.exclude(pk__in=busy).first() or points.first()
    if point is None:
        raise ValidationError({"sign_language": [_("This branch has no video teller for a sign-language "
                                                   "call. Please ask a member of staff.")]})
    if not sign_agents_available(session.branch):
        raise ValidationError({"sign_language": [_(
            "No sign-language agent is signed in right now. You can take a ticket for a counter "
            "instead: the staff there will write to you.")]}, code="no_sign_agent")
    return point


@transaction.atomic
def vtm_request(*, session: KioskSession, service_type: ServiceType, sign_language: bool = False,
                recording_consent: bool | None = None) -> VtmSession:
    """The customer asks for a remote teller: a VTM ticket is issued and the session waits in
    the remote-teller queue of the branch. A sign-language request waits for a skilled agent."""

    point = _sign_language_point(session) if sign_language else vtm_point(session.device)
    if point is None:
        raise ValidationError({"device": [_("This machine has no video teller.")]})
    if not service_type.allow_vtm:
        raise ValidationError({"service_type": [_("This service cannot be done with a video teller.")]})
    if VtmSession.objects.filter(device=session.device, status__in=[VtmStatus.WAITING,
                                                                     VtmStatus.CONNECTED]).exists():
        raise ValidationError({"device": [_("A remote teller call is already under way here.")]})
    ticket = ticket_issue(issue=IssueRequest(
        branch=session.branch, service_type=service_type, source=Source.KIOSK,
        customer=session.customer, device=session.device, language=session.language,
        channel="vtm"))
    vtm = VtmSession.objects.create(branch=session.branch, device=session.device, point=point,
                                    kiosk_session=session, service_type=service_type,
                                    customer=session.customer, ticket=ticket, sign_language=sign_language)
    audit_record(actor=None, device=session.device, action="vtm.request", obj=vtm, branch=session.branch,
                 customer=session.customer_id, after={"ticket": ticket.number, "service": service_type.code,
                                                      "sign_language": sign_language})
    consent_record(vtm, recording_consent, device=session.device)
    text = (_("%(device)s asks for a sign-language agent (%(service)s).") if sign_language
            else _("%(device)s asks for a remote teller (%(service)s)."))
    alert_raise(branch=session.branch, kind="vtm.request", level=Level.INFO, ticket=ticket.number,
                text=both_format(text, device=session.device.name, service=service_type))
    _record(session, ActivityKind.REMOTE_TELLER, service_type=service_type, ticket=ticket)
    _touch(session)
    _vtm_publish(vtm, "vtm.waiting")
    return vtm


# --- sign-language agents: the skill, and who has the remote-teller console open ------------------

def _sign_presence_key(user) -> str:
    return f"kiosk.sign-agent.{user.pk}"


def signs(user) -> bool:
    """The agent has the sign-language skill (staff profile, editable in the admin)."""
    profile = getattr(user, "staff_profile", None)
    return is_remote_teller(user) and profile is not None and profile.sign_language


def sign_agent_present(user, present: bool) -> None:
    """The remote-teller console's live connection opened (True) or closed (False)."""
    if not signs(user):
        return
    if present:
        cache.set(_sign_presence_key(user), True, timeout=SIGN_PRESENCE_SECONDS)
    else:
        cache.delete(_sign_presence_key(user))


def sign_agents_available(branch) -> bool:
    """Whether a skilled agent serving this branch has the console open now."""
    profiles = (StaffProfile.objects.filter(sign_language=True, is_remote_teller=True, role=Role.TELLER,
                                            user__is_active=True)
                .filter(Q(branch=branch) | Q(branch__isnull=True)).select_related("user"))
    keys = [_sign_presence_key(profile.user) for profile in profiles]
    return bool(keys) and any(cache.get_many(keys).values())


def is_remote_teller(user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return user_role(user) == Role.TELLER and profile is not None and profile.is_remote_teller


def vtm_offered_to(user):
    """The waiting calls a remote teller is offered: sign-language calls only to skilled agents."""
    waiting = vtm_sessions_for_teller(user).filter(status=VtmStatus.WAITING)
    return waiting if signs(user) else waiting.exclude(sign_language=True)


def vtm_sessions_for_teller(user):
    """The VTM sessions a remote teller may take: those of the branches they serve."""
    if not is_remote_teller(user):
        return VtmSession.objects.none()
    return VtmSession.objects.filter(branch__in=staff_branches(user))


@transaction.atomic
def vtm_accept(*, actor, vtm: VtmSession) -> VtmSession:
    """A remote teller takes the call: the VTM point opens for them, the ticket is called and
    its service record opens, exactly as at a counter."""

    vtm = _locked(vtm)
    if not vtm_sessions_for_teller(actor).filter(pk=vtm.pk).exists():
        raise ValidationError({"session": [_("You do not serve video tellers of this branch.")]})
    if vtm.status != VtmStatus.WAITING:
        raise ValidationError({"session": [_("Another remote teller has already taken this call.")]})
    if vtm.sign_language and not signs(actor):
        raise ValidationError({"session": [_("This customer needs a sign-language agent; only staff "
                                             "with the sign-language skill can answer.")]})
    counter_open(actor=actor, counter=vtm.point)
    ticket = ticket_call(actor=actor, counter=vtm.point, ticket=vtm.ticket)
    record = service_start(actor=actor, ticket=ticket, counter=vtm.point)
    vtm.status, vtm.teller, vtm.accepted_at, vtm.record = VtmStatus.CONNECTED, actor, timezone.now(), record
    vtm.save(update_fields=["status", "teller", "accepted_at", "record"])
    audit_record(actor=actor, action="vtm.accept", obj=vtm, branch=vtm.branch, customer=vtm.customer_id,
                 device=vtm.device, after={"ticket": vtm.ticket.number, "record": record.pk})
    _vtm_publish(vtm, "vtm.accepted")
    return vtm


@transaction.atomic
def vtm_confirmation_push(*, actor, vtm: VtmSession, title: str, text: str,
                          needs_signature: bool = False) -> VtmSession:
    """The remote teller shows the customer something to confirm (or sign) on the VTM screen."""
    vtm = VtmSession.objects.select_for_update().get(pk=vtm.pk)
    if vtm.status != VtmStatus.CONNECTED or vtm.teller_id != actor.pk:
        raise ValidationError({"session": [_("This call is not yours or has ended.")]})
    title, text = title.strip()[:200], text.strip()[:2000]
    if not text:
        raise ValidationError({"text": [_("Write what the customer should confirm.")]})
    vtm.confirmation = {"title": title, "text": text, "needs_signature": needs_signature,
                        "sent_at": timezone.now().isoformat()}
    vtm.confirmation_status = ConfirmationStatus.PENDING
    vtm.save(update_fields=["confirmation", "confirmation_status"])
    audit_record(actor=actor, action="vtm.confirmation_push", obj=vtm, branch=vtm.branch,
                 customer=vtm.customer_id, device=vtm.device,
                 after={"title": title, "needs_signature": needs_signature})
    _vtm_publish(vtm, "vtm.confirmation")
    return vtm


@transaction.atomic
def vtm_confirmation_answer(*, device: Device, vtm: VtmSession, confirmed: bool,
                            signature: str = "") -> VtmSession:
    """The customer confirms (signing where asked) or declines on the VTM screen."""

    vtm = VtmSession.objects.select_for_update(of=("self",)).select_related("record").get(pk=vtm.pk)
    if vtm.device_id != device.pk or vtm.confirmation_status != ConfirmationStatus.PENDING:
        raise ValidationError({"session": [_("There is nothing to confirm now.")]})
    if confirmed and vtm.confirmation.get("needs_signature"):
        if not signature:
            raise ValidationError({"signature": [_("Please sign in the box.")]})
        assert vtm.record is not None  # a confirmation is asked about the call's service record
        record_sign(actor=None, record=vtm.record, data_url=signature)
    vtm.confirmation_status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.DECLINED
    vtm.save(update_fields=["confirmation_status"])
    audit_record(actor=None, device=device, action="vtm.confirmation_answer", obj=vtm, branch=vtm.branch,
                 customer=vtm.customer_id, after={"confirmed": confirmed, "signed": bool(signature)})
    _vtm_publish(vtm, "vtm.confirmation_answered")
    return vtm


def _locked(vtm: VtmSession) -> VtmSession:
    return (VtmSession.objects.select_for_update(of=("self",))
            .select_related("ticket", "point", "branch").get(pk=vtm.pk))


def _vtm_close(vtm: VtmSession, status: str, *, actor, device=None) -> None:
    before = vtm.status
    vtm.status, vtm.ended_at = status, timezone.now()
    vtm.save(update_fields=["status", "ended_at"])
    if before == VtmStatus.WAITING and vtm.ticket.status == "waiting":
        ticket_cancel(ticket=vtm.ticket, actor=actor)
    if before == VtmStatus.CONNECTED and vtm.teller_id:
        counter_close(actor=vtm.teller, counter=vtm.point)
    audit_record(actor=actor, device=device, action=f"vtm.{status}", obj=vtm, branch=vtm.branch,
                 customer=vtm.customer_id, before={"status": before}, after={"status": status})
    _vtm_publish(vtm, "vtm.ended")


@transaction.atomic
def vtm_cancel(*, vtm: VtmSession, actor=None, device: Device | None = None) -> VtmSession:
    """The customer (device) or the remote teller hangs up before the service was finished."""
    vtm = _locked(vtm)
    if device is not None and vtm.device_id != device.pk:
        raise ValidationError({"session": [_("This call belongs to another machine.")]})
    if actor is not None and vtm.teller_id != actor.pk:
        raise ValidationError({"session": [_("This call is not yours or has ended.")]})
    if vtm.status not in (VtmStatus.WAITING, VtmStatus.CONNECTED):
        return vtm
    if vtm.status == VtmStatus.CONNECTED and vtm.record is not None and vtm.record.status == "in_progress":
        record_finish(actor=vtm.teller, record=vtm.record, outcome="not_done",
                      reason=str(_("The video call ended before the service was finished.")))
        vtm.refresh_from_db()
        if vtm.status != VtmStatus.CONNECTED:
            return vtm
    _vtm_close(vtm, VtmStatus.CANCELLED, actor=actor, device=device)
    return vtm


def vtm_record_finished(record) -> None:
    """counter's `service_finished` hook: a finished record ends its VTM call and frees the teller."""
    vtm = (VtmSession.objects.select_for_update(of=("self",)).select_related("ticket", "point", "branch")
           .filter(record=record, status=VtmStatus.CONNECTED).first())
    if vtm is not None:
        _vtm_close(vtm, VtmStatus.FINISHED, actor=record.teller)
