"""Kiosk and VTM devices at work: self-service sessions, what they did, device status, and the
remote-teller (VTM) video sessions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EndReason(models.TextChoices):
    IDLE = "idle", _("Idle timeout")
    FINISHED = "finished", _("Customer finished")
    REVOKED = "revoked", _("Device revoked")


class KioskSession(models.Model):
    """One customer's use of a kiosk, from the first tap to the idle timeout or "finish".

    The personal part of the state (who was identified, what was typed) lives in the browser
    session while the customer is at the screen and is dropped when the session ends; this row
    keeps only what the bank must remember (which device, when, what was done)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    device = models.ForeignKey("branches.Device", on_delete=models.PROTECT, related_name="kiosk_sessions",
                               verbose_name=_("device"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    elderly_mode = models.BooleanField(_("elderly mode"), default=False)
    high_contrast = models.BooleanField(_("high contrast"), default=False)
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="kiosk_sessions", verbose_name=_("customer"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started at"))
    last_activity_at = models.DateTimeField(default=timezone.now, verbose_name=_("last activity at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True,
                                  verbose_name=_("end reason"))

    class Meta:
        verbose_name = _("kiosk session")
        verbose_name_plural = _("kiosk sessions")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                                   name="kiosk_session_ended_has_reason"),
        ]

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def __str__(self) -> str:
        return f"{self.device} · {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class ActivityKind(models.TextChoices):
    TICKET = "ticket", _("Took a ticket")
    CHECK_IN = "check_in", _("Checked in an appointment")
    FACE = "face", _("Identified by face")
    PREFILL = "prefill", _("Pre-filled a business form")
    QUESTION = "question", _("Asked a question")
    REMOTE_TELLER = "remote_teller", _("Served by a remote teller")


class SelfServiceRecord(models.Model):
    """What a customer did by themselves at a kiosk: the kiosk's entry in the 360-degree view."""

    session = models.ForeignKey(KioskSession, on_delete=models.PROTECT, related_name="records",
                                verbose_name=_("session"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="self_service_records", verbose_name=_("customer"))
    service_type = models.ForeignKey("branches.ServiceType", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("service type"))
    ticket = models.ForeignKey("queueing.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("ticket"))
    form = models.ForeignKey("counter.PrefilledForm", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("form"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))

    class Meta:
        verbose_name = _("self-service record")
        verbose_name_plural = _("self-service records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "at"], name="kiosk_record_customer_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class DeviceStatus(models.Model):
    """Online/offline as the lobby manager sees it; the silent-device scan flips it once."""
    class Meta:
        verbose_name = _("device status")
        verbose_name_plural = _("device statuses")

    device = models.OneToOneField("branches.Device", on_delete=models.CASCADE, related_name="kiosk_status",
                                  verbose_name=_("device"))
    online = models.BooleanField(default=False, verbose_name=_("online"))
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))

    def __str__(self) -> str:
        return f"{self.device} {_('Online') if self.online else _('Offline')}"


class VtmStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a remote teller")
    CONNECTED = "connected", _("In a call")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class ConfirmationStatus(models.TextChoices):
    NONE = "", _("None")
    PENDING = "pending", _("Waiting for the customer")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class RecordingConsent(models.TextChoices):
    NOT_ASKED = "", _("Not asked")
    GIVEN = "given", _("Agreed to recording")
    REFUSED = "refused", _("Refused recording")
    WITHDRAWN = "withdrawn", _("Withdrew the agreement during the call")
    # After a refusal or a withdrawal the teller may ask the customer to agree again (the product
    # needs a dual recording): the statement is shown again until the customer answers.
    REQUESTED = "requested", _("Teller asked to agree again")


class VtmSession(models.Model):
    """A customer at a VTM asking for a remote teller: queued, accepted, in a video call, finished.

    The call's media goes browser to browser (WebRTC); the server only relays the signalling."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    device = models.ForeignKey("branches.Device", on_delete=models.PROTECT, related_name="vtm_sessions",
                               verbose_name=_("device"))
    point = models.ForeignKey("branches.ServicePoint", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("point"))
    kiosk_session = models.ForeignKey(KioskSession, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="vtm_sessions", verbose_name=_("kiosk session"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("service type"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("customer"))
    ticket = models.ForeignKey("queueing.Ticket", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("ticket"))
    status = models.CharField(max_length=10, choices=VtmStatus.choices, default=VtmStatus.WAITING,
                              verbose_name=_("status"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("teller"))
    record = models.ForeignKey("counter.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("record"))
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    confirmation = models.JSONField(default=dict, blank=True, verbose_name=_("confirmation"))
    confirmation_status = models.CharField(max_length=10, choices=ConfirmationStatus.choices, blank=True,
                                           verbose_name=_("confirmation status"))
    # A deaf customer asked for a sign-language agent: only staff with that skill are offered the call.
    sign_language = models.BooleanField(default=False, verbose_name=_("sign language"))
    # Dual recording (双录): the customer accepted or refused the recording statement before the
    # call ("" = not asked: a client older than the consent screen; treated as refused).
    recording_consent = models.CharField(max_length=10, choices=RecordingConsent.choices, blank=True,
                                         verbose_name=_("recording consent"))
    recording_consent_at = models.DateTimeField(null=True, blank=True,
                                                verbose_name=_("recording consent at"))

    class Meta:
        verbose_name = _("VTM session")
        verbose_name_plural = _("VTM sessions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(status__in=["waiting", "connected"]),
                                    name="kiosk_vtm_one_active_per_device"),
            models.CheckConstraint(condition=Q(status="waiting") | Q(status="cancelled")
                                   | Q(teller__isnull=False, accepted_at__isnull=False),
                                   name="kiosk_vtm_accepted_has_teller"),
        ]

    def __str__(self) -> str:
        return f"VTM {self.ticket} ({self.get_status_display()})"

    @property
    def group(self) -> str:
        return f"vtm.{self.public_id}"


class VtmConsentEvent(models.Model):
    """One step of a call's recording consent, in order: the customer's answers (agreed, refused,
    withdrew) and the teller's requests to agree again. A recording belongs to the agreement that
    allowed it, so the compliance page shows each recording with the history of its call."""

    vtm = models.ForeignKey(VtmSession, on_delete=models.PROTECT, related_name="consent_events",
                            verbose_name=_("VTM session"))
    consent = models.CharField(max_length=10, choices=RecordingConsent.choices,
                               verbose_name=_("consent step"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("teller"))

    class Meta:
        verbose_name = _("recording consent event")
        verbose_name_plural = _("recording consent events")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(consent=""), name="kiosk_vtm_consent_event_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.vtm_id} {self.get_consent_display()}"


class RecordingStatus(models.TextChoices):
    RECORDING = "recording", _("Recording")
    STORED = "stored", _("Stored")
    DELETED = "deleted", _("Deleted after retention")
    EMPTY = "empty", _("Nothing recorded")


class VtmRecording(models.Model):
    """The dual recording (双录) of one VTM call: the teller's console records the mixed call and
    uploads it in chunks; stored whole (Django's storage: S3 in production) with its SHA-256,
    kept until `retain_until`, then deleted unless under legal hold."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    vtm = models.ForeignKey(VtmSession, on_delete=models.PROTECT, related_name="recordings",
                            verbose_name=_("VTM session"))
    # The agreement that allowed it: one recording per agreement; a new agreement in the same call
    # (after a refusal or a withdrawal) starts a new recording.
    consent = models.OneToOneField(VtmConsentEvent, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="recording", verbose_name=_("recording agreement"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("consent withdrawn at"),
                                        help_text=_("Stopped because the customer withdrew their agreement."))
    status = models.CharField(max_length=10, choices=RecordingStatus.choices,
                              default=RecordingStatus.RECORDING, verbose_name=_("status"))
    file = models.FileField(upload_to="vtm-recordings/", blank=True, max_length=200, verbose_name=_("file"))
    content_type = models.CharField(max_length=60, default="video/webm", verbose_name=_("content type"))
    chunks = models.PositiveIntegerField(default=0, verbose_name=_("chunks"))
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started at"))
    stored_at = models.DateTimeField(null=True, blank=True, verbose_name=_("stored at"))
    retain_until = models.DateTimeField(null=True, blank=True, verbose_name=_("retain until"))
    legal_hold = models.BooleanField(default=False, verbose_name=_("legal hold"))
    legal_hold_reason = models.CharField(max_length=300, blank=True, verbose_name=_("legal hold reason"))
    deleted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("deleted at"))
    last_chunk_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last slice at"))
    # Slices received since the last `vtm.recording_slices` audit event: [seq, bytes, sha256] each.
    unaudited_slices = models.JSONField(default=list, blank=True, verbose_name=_("slices not yet audited"))
    incomplete = models.BooleanField(default=False, verbose_name=_("incomplete"),
                                     help_text=_("Stored by the system after the teller's console vanished."))

    class Meta:
        verbose_name = _("VTM recording")
        verbose_name_plural = _("VTM recordings")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="stored") | (Q(retain_until__isnull=False)
                                                                    & ~Q(sha256="")),
                                   name="kiosk_vtm_recording_stored_has_hash"),
            models.UniqueConstraint(fields=["vtm"], condition=Q(status="recording"),
                                    name="kiosk_vtm_one_recording_at_a_time"),
        ]

    def __str__(self) -> str:
        return f"{self.vtm} {self.get_status_display()}"

    @property
    def reference(self) -> str:
        """The recording's id in compliance's recording references (the evidence export)."""
        return f"vtm-recording:{self.public_id}"
