"""Face greeting: consent and enrolment, erasure, frame submission and identification.

Biometric data (the encodings) is category C3: it lives only in memory here and encrypted in
FaceEnrolment.encodings. Photos and frames are decoded in memory and dropped; nothing here logs,
audits, returns to a client or sends through Celery an encoding or an image.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance.audit import audit_record
from core.live import groups, push
from customers.face import engine, frames, gallery, hooks
from customers.face.greeting import polite_address, sex_from_resident_id
from customers.models import Consent, Customer, FaceEnrolment
from customers.services import consent_grant, consent_withdraw

log = logging.getLogger(__name__)

FACE_CONSENT_VERSION = "face-2026.1"
FACE_CONSENT_TEXT = gettext_lazy(
    "I agree that the bank may keep a numerical template of my face (not the photos), encrypted, "
    "to recognise me when I arrive at this branch so that staff can greet me and offer my "
    "appointment or a priority ticket. It is never used to identify me for transactions. I may "
    "withdraw this consent at any time at a counter; the template is then deleted at once."
)
MAX_PHOTOS = 3
ENROL_JITTERS = 3
BURST_FRAMES = (2, 3)
# A frame burst waits in the cache at most this long; the task deletes it as soon as it reads it.
FRAME_TTL_SECONDS = 20
ARRIVAL_TTL_SECONDS = 120


def _policy() -> engine.MatchPolicy:
    return engine.MatchPolicy(
        threshold=getattr(settings, "FACE_MATCH_THRESHOLD", engine.DEFAULT_POLICY.threshold),
        margin=getattr(settings, "FACE_MATCH_MARGIN", engine.DEFAULT_POLICY.margin),
        min_parallax=getattr(settings, "FACE_MIN_PARALLAX", engine.DEFAULT_POLICY.min_parallax),
    )


def _cooldown_seconds() -> int:
    return getattr(settings, "FACE_ALERT_COOLDOWN_SECONDS", 600)


FRAME_ERRORS = {
    "empty": gettext_lazy("The image is empty."),
    "too_large": gettext_lazy("The image is too large."),
    "unsupported_type": gettext_lazy("Only JPEG and PNG images are accepted."),
    "corrupt": gettext_lazy("The image is damaged and cannot be read."),
    "too_many_pixels": gettext_lazy("The image has too many pixels."),
    "too_small": gettext_lazy("The image is too small."),
}


def _decode(data: bytes, limits: frames.ImageLimits, *, field: str, number: int) -> np.ndarray:
    try:
        return frames.decode_image(data, limits)
    except frames.FrameRejected as rejected:
        reason = FRAME_ERRORS[rejected.code]
        raise ValidationError(
            {field: _("Image %(number)s: %(reason)s") % {"number": number, "reason": reason}}
        ) from None


# -- consent and enrolment ----------------------------------------------------------------------


def face_encodings_from_photos(photos: Sequence[bytes]) -> np.ndarray:
    """The encodings of 1–3 photos of one person; ValidationError({"photos": ...}) otherwise."""
    if not 1 <= len(photos) <= MAX_PHOTOS:
        raise ValidationError({"photos": _("Take or upload one to three photos.")})
    encodings = []
    for number, data in enumerate(photos, start=1):
        image = _decode(data, frames.PHOTO_LIMITS, field="photos", number=number)
        # Enrolment photos are close-ups: try the fast pass first, upsample only for small faces.
        faces = (engine.detect_faces(image, upsample=0, jitters=ENROL_JITTERS)
                 or engine.detect_faces(image, upsample=1, jitters=ENROL_JITTERS))
        del image
        if len(faces) != 1:
            message = (_("Photo %(number)s: no face was found.") if not faces
                       else _("Photo %(number)s: more than one face was found."))
            raise ValidationError({"photos": message % {"number": number}})
        encodings.append(faces[0].encoding)
    matrix = np.stack(encodings)
    if len(matrix) > 1:
        spread = np.linalg.norm(matrix[:, None, :] - matrix[None, :, :], axis=2).max()
        if spread >= engine.DEFAULT_POLICY.threshold:
            raise ValidationError({"photos": _("The photos do not show the same person.")})
    return matrix


def face_enrol(
    *,
    actor,
    customer: Customer,
    branch,
    photos: Sequence[bytes],
    source: str,
    consent_captured: bool = False,
    channel: str = Consent.Channel.COUNTER,
    device=None,
) -> FaceEnrolment:
    """Enrol (or re-enrol) the customer's face at `branch` from 1–3 photos.

    With `consent_captured` the staff member confirms the customer has just agreed to the current
    consent text, which is recorded first; otherwise an active "face" consent must exist. The
    photos are only decoded in memory; the encodings are stored encrypted.
    """
    if source not in FaceEnrolment.Source.values:
        raise ValidationError({"source": _("Choose where the photos come from.")})
    encodings = face_encodings_from_photos(photos)  # slow: outside the transaction
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        if consent_captured:
            consent = consent_grant(actor=actor, customer=customer, kind=Consent.Kind.FACE,
                                    text_version=FACE_CONSENT_VERSION, channel=channel)
        else:
            consent = Consent.objects.filter(customer=customer, kind=Consent.Kind.FACE,
                                             withdrawn_at__isnull=True).first()
            if consent is None:
                raise ValidationError({"consent": _("The customer has not consented to the face greeting.")})
        FaceEnrolment.objects.filter(customer=customer, branch=branch).delete()
        enrolment = FaceEnrolment.objects.create(
            customer=customer, branch=branch, consent=consent,
            encodings=gallery.encodings_to_bytes(encodings), photo_count=len(encodings),
            source=source, enrolled_by=actor if getattr(actor, "pk", None) else None,
        )
        gallery.gallery_bump(branch.pk)
        audit_record(actor=actor, action="face.enrol", obj=enrolment, branch=branch,
                     customer=customer, device=device,
                     after={"photos": len(encodings), "source": source,
                            "consent_version": consent.text_version})
    return enrolment


def face_enrolments_erase(*, actor, customer: Customer) -> int:
    """Delete every face enrolment of the customer; every worker stops matching them at its
    next task (the galleries' versions move in this transaction). Returns how many were erased."""
    with transaction.atomic():
        enrolments = list(FaceEnrolment.objects.select_for_update().filter(customer=customer)
                          .select_related("branch"))
        for enrolment in enrolments:
            gallery.gallery_bump(enrolment.branch_id)
            audit_record(actor=actor, action="face.erase", obj=enrolment, branch=enrolment.branch,
                         customer=customer, after={"photos": enrolment.photo_count})
        FaceEnrolment.objects.filter(pk__in=[e.pk for e in enrolments]).delete()
    return len(enrolments)


def on_consent_withdrawn(customer: Customer, consent: Consent) -> None:
    """customers.hooks.consent_withdrawn callback: runs inside the withdrawing transaction."""
    if consent.kind == Consent.Kind.FACE:
        face_enrolments_erase(actor=None, customer=customer)


@transaction.atomic
def face_consent_withdraw(*, actor, customer: Customer) -> int:
    """Withdraw the customer's face consent and erase their encodings, in one transaction."""
    enrolled = FaceEnrolment.objects.filter(customer=customer).count()
    consent_withdraw(actor=actor, customer=customer, kind=Consent.Kind.FACE)
    # The consent hook has erased them already; this also covers enrolments left without an
    # active consent (and works before the hook is connected).
    face_enrolments_erase(actor=actor, customer=customer)
    return enrolled


# -- identification -------------------------------------------------------------------------------


def face_frames_submit(*, device, frames_data: Sequence[bytes]) -> str:
    """Validate a burst of 2–3 consecutive camera frames and queue its identification.

    The frames wait for the worker under a random cache key that expires after FRAME_TTL_SECONDS
    and that the task deletes as soon as it has read it; the Celery message carries only the key.
    """
    low, high = BURST_FRAMES
    if not low <= len(frames_data) <= high:
        raise ValidationError({"frames": _("Send two or three consecutive frames.")})
    for number, data in enumerate(frames_data, start=1):
        _decode(data, frames.FRAME_LIMITS, field="frames", number=number)
    key = "face:burst:" + secrets.token_urlsafe(18)
    cache.set(key, list(frames_data), timeout=FRAME_TTL_SECONDS)

    from customers.face.tasks import face_identify_burst

    transaction.on_commit(
        lambda: face_identify_burst.apply_async((key, device.pk), expires=FRAME_TTL_SECONDS)
    )
    return key


def face_identify(*, device, frames_data: Sequence[bytes]) -> list[FaceEnrolment]:
    """Find enrolled, live customers in a burst and announce them; returns who was announced."""
    current = gallery.branch_gallery(device.branch_id)
    if not len(current):
        return []
    images = []
    for data in frames_data:
        try:
            images.append(frames.decode_image(data, frames.FRAME_LIMITS))
        except frames.FrameRejected:
            continue
    announced = []
    for found in engine.identify_frames(images, current, _policy()):
        if not found.live:
            log.info("face: a match at device %s failed the liveness check", device.pk)
            continue
        enrolment = face_arrival_announce(device=device, enrolment_id=found.label)
        if enrolment is not None:
            announced.append(enrolment)
    return announced


@dataclass(frozen=True)
class ArrivalTicket:
    """What a one-tap token stands for, kept in the cache for ARRIVAL_TTL_SECONDS."""

    customer_id: int
    branch_id: int
    device_id: int


def face_arrival_announce(*, device, enrolment_id: int) -> FaceEnrolment | None:
    """Alert the branch staff and greet the customer at the device, at most once per cooldown.

    The enrolment and the consent are checked again here, so a withdrawal that committed while
    the gallery was cached still stops the greeting.
    """
    enrolment = (FaceEnrolment.objects.filter(pk=enrolment_id, branch_id=device.branch_id)
                 .filter(gallery.active_face_consent())
                 .select_related("customer", "branch").first())
    if enrolment is None:
        return None
    customer, branch = enrolment.customer, enrolment.branch
    alert_staff = cache.add(f"face:seen:branch:{branch.pk}:{customer.pk}", 1, _cooldown_seconds())
    greet = cache.add(f"face:seen:device:{device.pk}:{customer.pk}", 1, 60)
    if not (alert_staff or greet):
        return None
    arrival = hooks.Arrival(customer=customer, branch=branch, device=device)
    token = secrets.token_urlsafe(18)
    cache.set(f"face:arrival:{token}", ArrivalTicket(customer.pk, branch.pk, device.pk),
              ARRIVAL_TTL_SECONDS)
    with transaction.atomic():
        audit_record(actor=None, action="face.arrival", obj=enrolment, branch=branch,
                     customer=customer, device=device, after={"device": device.name})
        staff_alert = _staff_alert(arrival=arrival) if alert_staff else None
        if staff_alert is not None:
            push(groups.staff(branch.code), "alert", staff_alert)
        if greet:
            with translation.override(customer.preferred_language):
                offers = hooks.arrival_offers(arrival)
                push(groups.device(device.pk), "face.greeting",
                     _greeting(customer=customer, token=token, offers=offers))
    return enrolment


def _staff_alert(*, arrival: hooks.Arrival) -> dict | None:
    """The dashboard alert (queueing's format: "text" per language) with the details as fields;
    None when the customer is neither VIP nor has an appointment offer."""
    texts, fields = {}, None
    for language in ("zh-hans", "en"):
        with translation.override(language):
            offers = [offer for _, offer in hooks.arrival_offers(arrival)]
            appointment = next((offer for offer in offers if offer.is_appointment), None)
            if appointment is None and not arrival.customer.vip_tier:
                return None
            texts[language], language_fields = _alert_text(arrival.customer, appointment, offers)
            if language == settings.LANGUAGE_CODE or fields is None:
                fields = language_fields
    customer = arrival.customer
    return {
        "kind": "face.arrival",
        "level": "info",
        "text": texts,
        **fields,
        "customer": {
            "id": customer.pk,
            "masked_name": customer.masked_name,
            "vip_tier": customer.vip_tier,
        },
        "device": arrival.device.name,
        "ticket": None,
        "at": timezone.now().astimezone(arrival.device.branch.tz).isoformat(),  # branch clock time
    }


def _alert_text(customer: Customer, appointment: hooks.Offer | None, offers) -> tuple[str, dict]:
    title = _("Appointment customer arrived") if appointment else _("VIP customer arrived")
    hints = [str(offer.staff_hint) for offer in offers if offer.staff_hint]
    suggestion = hints[0] if hints else _("Greet the customer and offer help with today's business.")
    parts = [_("%(title)s: %(name)s") % {"title": title, "name": customer.masked_name}]
    if customer.vip_tier:
        parts.append(str(customer.get_vip_tier_display()))
    if appointment is not None and appointment.detail:
        parts.append(str(appointment.detail))
    parts.append(suggestion)
    return " · ".join(parts), {
        "title": str(title),
        "appointment": str(appointment.detail) if appointment is not None else None,
        "suggested_action": suggestion,
    }


def _greeting(*, customer: Customer, token: str, offers) -> dict:
    address = polite_address(name=customer.name, sex=sex_from_resident_id(customer.id_number or ""))
    return {
        "kind": "face.greeting",
        "greeting": _("Welcome, %(address)s") % {"address": address},
        "address": address,
        "language": customer.preferred_language,
        "arrival": token,
        "expires_in": ARRIVAL_TTL_SECONDS,
        "offers": [{"action": key, "label": str(offer.label), "detail": str(offer.detail)}
                   for key, offer in offers],
    }


def face_arrival_act(*, device, token: str, action: str) -> dict:
    """Run a one-tap arrival action the greeting offered at this device (once per greeting)."""
    ticket: ArrivalTicket | None = cache.get(f"face:arrival:{token}")
    if ticket is None or ticket.device_id != device.pk:
        raise ValidationError({"arrival": _("This greeting has expired. Please use the kiosk menu.")})
    registered = hooks.arrival_action(action)
    customer = Customer.objects.filter(pk=ticket.customer_id).first()
    if registered is None or customer is None:
        raise ValidationError({"action": _("This option is not available.")})
    arrival = hooks.Arrival(customer=customer, branch=device.branch, device=device)
    if registered.offer(arrival) is None:
        raise ValidationError({"action": _("This option is not available.")})
    if not cache.delete(f"face:arrival:{token}"):
        raise ValidationError({"arrival": _("This greeting has expired. Please use the kiosk menu.")})
    return registered.perform(arrival)
