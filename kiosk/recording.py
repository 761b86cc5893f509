"""Dual recording (双录) of video-teller calls: the customer's consent, the teller console's chunked
upload, the stored file with its SHA-256 (Django's storage: S3 in production), retention with
legal hold, and the compliance officer's audited download.

Business that requires a recording (wealth sales: compliance's `dual_recording` rule) cannot pass
without one: a stored recording is attached to the call's service record as a compliance recording
reference, which that rule and the evidence export read."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import staff_branches, user_role
from branches.roles import Role
from compliance.audit import audit_record
from compliance.services import recording_attach
from core.live import push
from core.pii import mask_id_number, mask_phone
from customers.models import Customer
from customers.validators import (
    normalize_cn_mobile,
    normalize_resident_id,
    validate_cn_mobile,
    validate_resident_id,
)
from kiosk import conf
from kiosk.models import (
    RecordingConsent,
    RecordingStatus,
    VtmConsentEvent,
    VtmRecording,
    VtmSession,
    VtmStatus,
)

CHUNK_MAX_BYTES = 8 * 1024 * 1024  # one MediaRecorder slice (a few seconds of video) is far less
CHUNKS_MAX = 20_000  # ~11 hours at 2 s slices: a runaway recorder stops here
CONTENT_TYPES = ("video/webm", "video/mp4")
# The console sends a slice every 2 seconds: one audit event per slice would put 1,800 events an
# hour per call on the branch's hash chain (each locks its head). One event per 15 slices (30 s
# of recording) lists every slice's number, size and SHA-256 all the same; the rest is audited
# when the recording is stored.
SLICES_PER_AUDIT = 15


def _consent_event(vtm: VtmSession, consent: str, *, device=None, teller=None) -> VtmConsentEvent:
    """The call's consent moves on: kept on the call, added to its history, audited."""
    vtm.recording_consent, vtm.recording_consent_at = consent, timezone.now()
    vtm.save(update_fields=["recording_consent", "recording_consent_at"])
    event = VtmConsentEvent.objects.create(vtm=vtm, consent=consent, at=vtm.recording_consent_at,
                                           teller=teller)
    requested = consent == RecordingConsent.REQUESTED
    action = "vtm.recording_consent_requested" if requested else "vtm.recording_consent"
    audit_record(actor=teller, device=device, action=action, obj=vtm, branch=vtm.branch,
                 customer=vtm.customer_id, after={"consent": consent})
    return event


def _push_consent(vtm: VtmSession) -> None:
    push(vtm.group, "vtm.recording_consent", {"session": str(vtm.public_id),
                                              "recording_consent": vtm.recording_consent})


def consent_record(vtm: VtmSession, consent: bool | None, *, device) -> None:
    """The customer's answer to the recording statement shown before the call (inside the
    request's transaction); None: the screen did not ask (an older kiosk page)."""
    if consent is None:
        return
    _consent_event(vtm, RecordingConsent.GIVEN if consent else RecordingConsent.REFUSED, device=device)


def _locked_call_of(device, vtm: VtmSession) -> VtmSession:
    vtm = VtmSession.objects.select_for_update(of=("self",)).select_related("branch").get(pk=vtm.pk)
    if vtm.device_id != device.pk or vtm.status not in (VtmStatus.WAITING, VtmStatus.CONNECTED):
        raise ValidationError({"session": [_("This call belongs to another machine.")]})
    return vtm


@transaction.atomic
def consent_answer(*, device, vtm: VtmSession, consent: bool) -> VtmSession:
    """The customer answers the recording statement on the VTM while waiting for (or talking to)
    the teller — once, or again when the teller asked for a new answer; the teller's console
    learns it at once and records only after "agreed"."""
    vtm = _locked_call_of(device, vtm)
    if vtm.recording_consent not in (RecordingConsent.NOT_ASKED, RecordingConsent.REQUESTED):
        raise ValidationError({"consent": [_("The recording statement has already been answered.")]})
    consent_record(vtm, consent, device=device)
    _push_consent(vtm)
    return vtm


@transaction.atomic
def consent_ask_again(*, actor, vtm: VtmSession) -> VtmSession:
    """The teller asks a customer who refused or withdrew to agree to the recording again (e.g. the
    product they want needs a dual recording): the VTM shows the statement again. What was
    recorded before stays as it was; a new agreement starts a new recording."""
    vtm = VtmSession.objects.select_for_update(of=("self",)).select_related("branch").get(pk=vtm.pk)
    _own_call(actor, vtm)
    if vtm.status != VtmStatus.CONNECTED:
        raise ValidationError({"session": [_("This call is not yours or has ended.")]})
    if vtm.recording_consent not in (RecordingConsent.REFUSED, RecordingConsent.WITHDRAWN):
        raise ValidationError({"consent": [_(
            "Only a customer who refused or stopped the recording can be asked to agree again.")]})
    _consent_event(vtm, RecordingConsent.REQUESTED, teller=actor)
    _push_consent(vtm)
    return vtm


@transaction.atomic
def consent_withdraw(*, device, vtm: VtmSession) -> VtmSession:
    """The customer takes back their agreement during the call: the recording stops at once. What
    was recorded while they agreed is stored as it is (or marked "nothing recorded"), that
    recording accepts no slice afterwards and nothing is recorded until a new agreement; the
    teller's console is told."""
    vtm = _locked_call_of(device, vtm)
    if vtm.recording_consent != RecordingConsent.GIVEN:
        raise ValidationError({"consent": [_("There is no agreement to the recording to withdraw.")]})
    _consent_event(vtm, RecordingConsent.WITHDRAWN, device=device)
    recording = (VtmRecording.objects.select_for_update(of=("self",))
                 .select_related("vtm__branch", "vtm__record", "vtm__teller")
                 .filter(vtm=vtm, status=RecordingStatus.RECORDING).first())
    if recording is not None:
        recording.withdrawn_at = vtm.recording_consent_at
        recording.save(update_fields=["withdrawn_at"])
        _store_or_empty(recording, incomplete=False, reason="consent withdrawn")
    _push_consent(vtm)
    return vtm


def _part_name(recording: VtmRecording, seq: int) -> str:
    return f"vtm-recordings/parts/{recording.public_id}/{seq:05d}"


def _own_call(actor, vtm: VtmSession) -> None:
    if vtm.teller_id != actor.pk:
        raise ValidationError({"session": [_("This call is not yours or has ended.")]})


@transaction.atomic
def recording_start(*, actor, vtm: VtmSession, content_type: str = "video/webm") -> VtmRecording:
    """The teller's console starts recording the call: only with the customer's consent."""
    vtm = VtmSession.objects.select_for_update(of=("self",)).select_related("branch").get(pk=vtm.pk)
    _own_call(actor, vtm)
    if vtm.status != VtmStatus.CONNECTED:
        raise ValidationError({"session": [_("This call is not yours or has ended.")]})
    if vtm.recording_consent != RecordingConsent.GIVEN:
        raise ValidationError({"recording_consent": [_(
            "The customer did not agree to the recording: business that needs a dual recording "
            "cannot be done in this call.")]})
    base_type = content_type.split(";")[0].strip()
    if base_type not in CONTENT_TYPES:
        raise ValidationError({"content_type": [_("Record as WebM or MP4 video.")]})
    agreement = vtm.consent_events.filter(consent=RecordingConsent.GIVEN).order_by("-at", "-id").first()
    # One recording per agreement: a repeated start returns it (whatever became of it).
    recording, created = VtmRecording.objects.get_or_create(
        vtm=vtm, consent=agreement, defaults={"content_type": base_type})
    if created:
        audit_record(actor=actor, action="vtm.recording_start", obj=recording, branch=vtm.branch,
                     customer=vtm.customer_id, after={"content_type": base_type,
                                                      "consent_at": agreement.at if agreement else None})
    return recording


def _recording_for_upload(actor, vtm: VtmSession, recording_id) -> VtmRecording:
    """The recording the console names: a slice meant for a recording that was stopped (the
    customer withdrew) never lands in the call's next one."""
    recording = (VtmRecording.objects.select_for_update(of=("self",)).select_related("vtm__branch")
                 .filter(vtm=vtm, public_id=recording_id).first())
    _own_call(actor, vtm)
    if recording is None or recording.status != RecordingStatus.RECORDING:
        raise ValidationError({"recording": [_("This call is not being recorded.")]})
    return recording


def only_recording_id(vtm: VtmSession):
    """The recording the previous release's upload paths meant (they did not name one): the call's
    only recording. Once the customer agreed again the call has two, and a slice that does not say
    which one is refused rather than risk landing in the wrong one."""
    ids = list(VtmRecording.objects.filter(vtm=vtm).values_list("public_id", flat=True)[:2])
    if len(ids) > 1:
        raise ValidationError({"recording": [
            _("This call has more than one recording: name the one this upload belongs to.")]})
    if not ids:
        raise ValidationError({"recording": [_("This call is not being recorded.")]})
    return ids[0]


@transaction.atomic
def recording_chunk(*, actor, vtm: VtmSession, recording_id, seq: int, data: bytes) -> VtmRecording:
    """One slice of the recording, numbered from 1; sending a number again replaces that slice
    (a retried upload), a gap is refused so the file is never stored with a hole."""
    recording = _recording_for_upload(actor, vtm, recording_id)
    if not data or len(data) > CHUNK_MAX_BYTES:
        raise ValidationError({"chunk": [_("The recording slice is empty or too large.")]})
    if seq < 1 or seq > recording.chunks + 1 or seq > CHUNKS_MAX:
        raise ValidationError({"seq": [_("Recording slices must arrive in order.")]})
    name = _part_name(recording, seq)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, File(_spooled(data), name=name))
    recording.chunks = max(recording.chunks, seq)
    recording.last_chunk_at = timezone.now()
    recording.unaudited_slices.append([seq, len(data), hashlib.sha256(data).hexdigest()])
    if len(recording.unaudited_slices) >= SLICES_PER_AUDIT:
        _audit_slices(recording, actor=actor)
    recording.save(update_fields=["chunks", "last_chunk_at", "unaudited_slices"])
    return recording


def _audit_slices(recording: VtmRecording, *, actor) -> None:
    """One audit event for the slices received since the last one, each with its number, size and
    SHA-256 (a replaced slice appears again with its new hash); the caller saves the recording."""
    if not recording.unaudited_slices:
        return
    vtm = recording.vtm
    audit_record(actor=actor, action="vtm.recording_slices", obj=recording, branch=vtm.branch,
                 customer=vtm.customer_id,
                 after={"slices": [{"seq": seq, "bytes": size, "sha256": digest}
                                   for seq, size, digest in recording.unaudited_slices]})
    recording.unaudited_slices = []


def _spooled(data: bytes):
    spool = tempfile.SpooledTemporaryFile(max_size=CHUNK_MAX_BYTES)
    spool.write(data)
    spool.seek(0)
    return spool


@transaction.atomic
def recording_finish(*, actor, vtm: VtmSession, recording_id) -> VtmRecording:
    """The call ended: the slices become one stored file with its SHA-256, kept for the retention
    period, attached to the call's service record for compliance (the evidence export)."""
    recording = _recording_for_upload(actor, vtm, recording_id)
    if recording.chunks == 0:
        raise ValidationError({"recording": [_("Nothing was recorded.")]})
    return _store(recording, vtm, actor=actor)


def _store(recording: VtmRecording, vtm: VtmSession, *, actor, incomplete: bool = False,
           reason: str = "") -> VtmRecording:
    """The received slices become one stored file with its SHA-256 (inside the caller's transaction,
    the recording locked); audited, and attached to the call's service record."""
    _audit_slices(recording, actor=actor)
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as whole:
        for seq in range(1, recording.chunks + 1):
            with default_storage.open(_part_name(recording, seq), "rb") as part:
                for block in iter(partial(part.read, 1024 * 1024), b""):
                    digest.update(block)
                    whole.write(block)
                    size += len(block)
        whole.seek(0)
        extension = "mp4" if recording.content_type == "video/mp4" else "webm"
        recording.file.save(f"{recording.public_id}.{extension}", File(whole), save=False)
    for seq in range(1, recording.chunks + 1):
        default_storage.delete(_part_name(recording, seq))
    now = timezone.now()
    recording.status, recording.sha256, recording.size = RecordingStatus.STORED, digest.hexdigest(), size
    recording.stored_at, recording.incomplete = now, incomplete
    recording.retain_until = now + dt.timedelta(days=conf.recording_retention_days())
    recording.save()
    after = {"sha256": recording.sha256, "size": size, "chunks": recording.chunks,
             "file": recording.file.name, "retain_until": recording.retain_until}
    if incomplete:
        after["incomplete"] = True
    if reason:
        after["reason"] = reason
    audit_record(actor=actor, action="vtm.recording_stored", obj=recording, branch=vtm.branch,
                 customer=vtm.customer_id, after=after)
    # A recording the customer stopped is kept as it is, but it is not the sale's dual recording: it
    # is not attached, so the `dual_recording` rule asks for a recording made under an agreement
    # that held (a new agreement in the same call makes one). attached_by is required: the call's
    # teller when the system stores.
    if vtm.record is not None and recording.withdrawn_at is None:
        recording_attach(actor=actor or vtm.teller, customer_id=vtm.customer_id, branch_code=vtm.branch.code,
                         service_record_ref=vtm.record.ref, external_id=recording.reference,
                         started_at=recording.started_at,
                         ended_at=max(now, recording.started_at + dt.timedelta(seconds=1)))
    return recording


def recordings_find_customer(*, actor, number: str) -> tuple[list[int], str]:
    """The customers a compliance officer means by a whole ID number or mobile phone as typed,
    matched against the stored values (their blind index: part of a number finds nothing). The
    search is audited with the number masked; returns the customers' ids and the masked number."""
    if not may_handle_recordings(actor):
        raise PermissionDenied
    text = (number or "").strip()
    if _is_mobile(text):
        customers, masked = Customer.objects.by_phone(text), mask_phone(normalize_cn_mobile(text))
    else:
        id_number = _id_number(text)
        customers, masked = Customer.objects.by_id_number(id_number), mask_id_number(id_number)
    ids = list(customers.values_list("pk", flat=True))
    with transaction.atomic():
        audit_record(actor=actor, action="vtm.recording_search",
                     after={"customer": masked, "found": len(ids)})
    return ids, masked


def _is_mobile(text: str) -> bool:
    try:
        validate_cn_mobile(text)
    except ValidationError:
        return False
    return True


def _id_number(text: str) -> str:
    number = normalize_resident_id(text)
    if len(number) == 18 and number[:17].isdigit():
        try:
            validate_resident_id(number)
        except ValidationError as error:
            raise ValidationError({"customer": error.messages}) from None
    elif not (re.fullmatch(r"[A-Z0-9]{6,20}", number) and not number.isdigit()):  # a passport: E12345678
        raise ValidationError({"customer": [_(
            "Type the customer's whole ID number or mobile phone: part of a number finds nothing.")]})
    return number


def may_handle_recordings(user, recording: VtmRecording | None = None) -> bool:
    """Recordings are downloaded and held by compliance officers only, of their own branches (all
    branches for head-office compliance); the page and the API both come through here."""
    if user_role(user) != Role.COMPLIANCE_OFFICER:
        return False
    return recording is None or staff_branches(user).filter(pk=recording.vtm.branch_id).exists()


@transaction.atomic
def recording_legal_hold(*, actor, recording: VtmRecording, hold: bool, reason: str = "") -> VtmRecording:
    """Keep a recording past its retention date (a dispute, an investigation), or release it."""
    if not may_handle_recordings(actor, recording):
        raise PermissionDenied
    recording = VtmRecording.objects.select_for_update().select_related("vtm__branch").get(pk=recording.pk)
    reason = reason.strip()[:300]
    if hold and not reason:
        raise ValidationError({"reason": [_("Say why the recording is held.")]})
    before = {"legal_hold": recording.legal_hold, "reason": recording.legal_hold_reason}
    recording.legal_hold, recording.legal_hold_reason = hold, reason if hold else ""
    recording.save(update_fields=["legal_hold", "legal_hold_reason"])
    audit_record(actor=actor, action="vtm.recording_hold" if hold else "vtm.recording_release",
                 obj=recording, branch=recording.vtm.branch, customer=recording.vtm.customer_id,
                 before=before, after={"legal_hold": hold, "reason": recording.legal_hold_reason})
    return recording


def recording_open(*, actor, recording: VtmRecording):
    """The stored file for a compliance officer (the download is audited); the caller closes it."""
    if not may_handle_recordings(actor, recording):
        raise PermissionDenied
    if recording.status != RecordingStatus.STORED:
        raise ValidationError({"recording": [_("This recording is not stored (any more).")]})
    with transaction.atomic():
        audit_record(actor=actor, action="vtm.recording_download", obj=recording,
                     branch=recording.vtm.branch, customer=recording.vtm.customer_id,
                     after={"sha256": recording.sha256})
    return recording.file.open("rb")


def recordings_delete_expired(*, now: dt.datetime | None = None) -> list[VtmRecording]:
    """Beat (daily): delete the stored recordings past their retention date, except those under
    legal hold; each deletion is audited with the file's hash."""
    now = now or timezone.now()
    deleted = []
    expired = VtmRecording.objects.filter(status=RecordingStatus.STORED, legal_hold=False,
                                          retain_until__lte=now).values_list("pk", flat=True)
    for pk in list(expired):
        with transaction.atomic():
            recording = (VtmRecording.objects.select_for_update().select_related("vtm__branch")
                         .filter(pk=pk, status=RecordingStatus.STORED, legal_hold=False).first())
            if recording is None:
                continue
            name = recording.file.name
            recording.file.delete(save=False)
            recording.status, recording.deleted_at = RecordingStatus.DELETED, now
            recording.save(update_fields=["file", "status", "deleted_at"])
            audit_record(actor=None, action="vtm.recording_deleted", obj=recording,
                         branch=recording.vtm.branch, customer=recording.vtm.customer_id,
                         after={"sha256": recording.sha256, "file": name, "reason": "retention",
                                "retain_until": recording.retain_until})
            deleted.append(recording)
    return deleted


ABANDONED_AFTER = dt.timedelta(minutes=30)
ENDED_GRACE = dt.timedelta(minutes=2)  # the console's last slices and finish after the hang-up


def recordings_finish_abandoned(*, now: dt.datetime | None = None) -> list[VtmRecording]:
    """Beat (every 15 minutes): a recording whose teller console vanished mid-call (the call ended
    over ENDED_GRACE ago, or no slice for ABANDONED_AFTER) is stored with what was received,
    marked incomplete; with no slice at all it becomes "nothing recorded". Audited with the
    system as actor."""
    now = now or timezone.now()
    quiet = now - ABANDONED_AFTER
    ended = (VtmStatus.FINISHED, VtmStatus.CANCELLED)
    stale = (Q(vtm__status__in=ended, vtm__ended_at__lte=now - ENDED_GRACE) | Q(last_chunk_at__lte=quiet)
             | Q(last_chunk_at__isnull=True, started_at__lte=quiet))
    finished = []
    for pk in list(VtmRecording.objects.filter(stale, status=RecordingStatus.RECORDING)
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            recording = (VtmRecording.objects.select_for_update(of=("self",))
                         .select_related("vtm__branch", "vtm__record", "vtm__teller")
                         .filter(stale, pk=pk, status=RecordingStatus.RECORDING).first())
            if recording is None:
                continue
            finished.append(_store_or_empty(recording, incomplete=True))
    return finished


def _store_or_empty(recording: VtmRecording, *, incomplete: bool, reason: str = "") -> VtmRecording:
    """Stop a recording the teller's console did not finish (the system is the actor): stored
    with the slices received, or "nothing recorded" without any (inside the caller's lock)."""
    vtm = recording.vtm
    if recording.chunks:
        return _store(recording, vtm, actor=None, incomplete=incomplete, reason=reason)
    recording.status, recording.incomplete = RecordingStatus.EMPTY, incomplete
    recording.save(update_fields=["status", "incomplete"])
    after: dict = {"chunks": 0, "incomplete": incomplete}
    if reason:
        after["reason"] = reason
    audit_record(actor=None, action="vtm.recording_empty", obj=recording, branch=vtm.branch,
                 customer=vtm.customer_id, after=after)
    return recording


def recording_details(reference: str) -> dict | None:
    """compliance's evidence export: what it lists for a recording reference of ours."""
    prefix = "vtm-recording:"
    if not reference.startswith(prefix):
        return None
    recording = VtmRecording.objects.filter(public_id__in=[reference[len(prefix):]]).first() \
        if _is_uuid(reference[len(prefix):]) else None
    if recording is None:
        return None
    return {"sha256": recording.sha256, "size": recording.size, "status": recording.status,
            "retain_until": recording.retain_until.isoformat() if recording.retain_until else None,
            "legal_hold": recording.legal_hold,
            "download": f"/api/kiosk/recordings/{recording.public_id}/file/"}


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
