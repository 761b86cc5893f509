"""Every write of a home visit: request, schedule (two-person rule), the checklist, complete, cancel."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, ServiceType, StaffProfile
from branches.roles import BRANCH_SERVICE_ROLES
from compliance.audit import audit_record
from core.notifications import notify
from counter import images
from customers.models import Customer
from outreach import sla
from outreach.models import (
    Eligibility,
    HomeVisit,
    HomeVisitPhoto,
    IdentityMethod,
    PhotoKind,
    RequestChannel,
    VisitStatus,
)
from outreach.policy import policy
from outreach.services import recording
from servicedesk.models import Category, SLAPolicy
from servicedesk.services import work_order_create, work_order_resolve

OPEN = [VisitStatus.REQUESTED, VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS]
PHOTO_MAX_BYTES = 8 * 1024 * 1024


class VisitConflict(ValidationError):
    """The visit is not in a state that allows this step (HTTP 409 in the one error shape)."""

    status_code = 409
    api_code = "conflict"


def _refuse(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def eligibility_check(*, customer: Customer, eligibility: str, reason: str, today: dt.date) -> None:
    """Age alone qualifies from ``min_age``; a disability or being bedridden needs a reason."""
    if eligibility == Eligibility.AGE:
        age = customer.age_on(today)
        if age is None or age < policy().min_age:
            raise _refuse(
                "eligibility",
                _("Home visits by age are for customers aged %(age)d or over.") % {"age": policy().min_age},
            )
    elif eligibility in (Eligibility.DISABILITY, Eligibility.BEDRIDDEN):
        if not reason.strip():
            raise _refuse("reason", _("Please describe why the customer cannot come to the branch."))
    else:
        raise _refuse("eligibility", _("Choose why a home visit is needed."))


def home_visit_request(
    *,
    actor,
    customer: Customer,
    branch: Branch,
    service_type: ServiceType,
    eligibility: str,
    address: str,
    channel: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> HomeVisit:
    """A request from the customer's phone or from staff; opens the SLA work order."""
    now = now or timezone.now()
    eligibility_check(
        customer=customer, eligibility=eligibility, reason=reason, today=now.astimezone(branch.tz).date()
    )
    if not address.strip():
        raise _refuse("address", _("Please give the address to visit."))
    if HomeVisit.objects.filter(customer=customer, status__in=OPEN).exists():
        raise VisitConflict(_("A home visit for this customer is already open."))
    rules = policy()
    with transaction.atomic():
        visit = HomeVisit.objects.create(
            branch=branch,
            customer=customer,
            service_type=service_type,
            eligibility=eligibility,
            reason=reason.strip(),
            address=address.strip(),
            channel=RequestChannel(channel),
            requested_by=actor,
            requested_at=now,
            due_by=sla.due_by(branch=branch, requested_at=now, working_days=rules.sla_working_days),
        )
        visit.work_order = _open_work_order(actor=actor, visit=visit)
        visit.save(update_fields=["work_order"])
        audit_record(
            actor=actor,
            action="home_visit.request",
            obj=visit,
            branch=branch,
            customer=customer,
            after={
                "eligibility": eligibility,
                "channel": channel,
                "service": service_type.code,
                "due_by": visit.due_by.isoformat(),
            },
        )
    return visit


def _open_work_order(*, actor, visit: HomeVisit):
    sla.install(Category, SLAPolicy, working_days=policy().sla_working_days)
    return work_order_create(
        actor=actor,
        kind="request",
        channel="web" if visit.channel == RequestChannel.PHONE else "staff",
        branch=visit.branch,
        customer=visit.customer,
        category=Category.objects.get(code=sla.CATEGORY_CODE),
        title=str(_("Home visit: %(service)s") % {"service": visit.service_type.name}),
        description=str(
            _("Home visit requested (%(why)s). %(reason)s")
            % {"why": visit.get_eligibility_display(), "reason": visit.reason}
        ),
    )


def _locked(visit: HomeVisit) -> HomeVisit:
    return (
        HomeVisit.objects.select_for_update(of=("self",))
        .select_related("branch", "customer", "service_type", "work_order")
        .get(pk=visit.pk)
    )


def _require(visit: HomeVisit, *statuses: str) -> None:
    if visit.status not in statuses:
        raise VisitConflict(
            _("This home visit is %(status)s; this step is not possible now.")
            % {"status": visit.get_status_display()}
        )


def _check_pair(*, visit: HomeVisit, lead, second) -> None:
    """The two-person rule: two different staff of the branch, neither the one who asked."""
    if lead is None or second is None:
        raise _refuse("second_staff", _("A home visit needs two staff."))
    if lead.pk == second.pk:
        raise _refuse("second_staff", _("Choose two different staff: a home visit needs two people."))
    for field, person in (("lead_staff", lead), ("second_staff", second)):
        if person.pk == visit.requested_by_id:
            raise _refuse(field, _("The person who requested the visit cannot be one of the two visitors."))
        profile = StaffProfile.objects.filter(user=person).first()
        if (
            profile is None
            or profile.branch_id != visit.branch_id
            or profile.role not in BRANCH_SERVICE_ROLES
        ):
            raise _refuse(field, _("Choose serving staff of this branch."))


def home_visit_schedule(
    *,
    actor,
    visit: HomeVisit,
    scheduled_at: dt.datetime,
    lead_staff,
    second_staff,
    now: dt.datetime | None = None,
) -> HomeVisit:
    now = now or timezone.now()
    if scheduled_at <= now:
        raise _refuse("scheduled_at", _("Choose a time in the future."))
    with transaction.atomic():
        locked = _locked(visit)
        _require(locked, VisitStatus.REQUESTED, VisitStatus.SCHEDULED)
        _check_pair(visit=locked, lead=lead_staff, second=second_staff)
        before = {
            "status": locked.status,
            "scheduled_at": locked.scheduled_at.isoformat() if locked.scheduled_at else None,
        }
        locked.scheduled_at, locked.lead_staff, locked.second_staff = scheduled_at, lead_staff, second_staff
        locked.status = VisitStatus.SCHEDULED
        locked.save(update_fields=["scheduled_at", "lead_staff", "second_staff", "status"])
        audit_record(
            actor=actor,
            action="home_visit.schedule",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            before=before,
            after={
                "status": locked.status,
                "scheduled_at": scheduled_at.isoformat(),
                "staff": [lead_staff.pk, second_staff.pk],
                "within_sla": scheduled_at <= locked.due_by,
            },
        )
        transaction.on_commit(lambda: _tell_customer_scheduled(locked.pk, scheduled_at))
    return locked


def _tell_customer_scheduled(visit_id: int, scheduled_at: dt.datetime) -> None:
    """After commit: the customer's SMS with the visit's time, once per (re)scheduling."""
    visit = HomeVisit.objects.select_related("customer", "branch").get(pk=visit_id)
    customer = visit.customer
    with translation.override(customer.preferred_language or settings.LANGUAGE_CODE):
        body = gettext(
            "Your home visit is booked for %(when)s: two staff of %(branch)s will come and show "
            "their staff cards. To change the time, call the branch."
        ) % {
            "when": formats.date_format(
                timezone.localtime(scheduled_at, visit.branch.tz), "SHORT_DATETIME_FORMAT"
            ),
            "branch": visit.branch.name,
        }
    notify(channel="sms", to=customer.phone, subject="", body=body)
    with transaction.atomic():
        audit_record(
            actor=None,
            action="home_visit.customer_notice",
            obj=visit,
            branch=visit.branch,
            customer=customer,
            after={"channel": "sms", "scheduled_at": scheduled_at.isoformat()},
        )


def _require_visitor(visit: HomeVisit, actor) -> None:
    if actor is None or actor.pk not in (visit.lead_staff_id, visit.second_staff_id):
        raise VisitConflict(_("Only the two staff on this visit may fill in its checklist."))


def home_visit_start(*, actor, visit: HomeVisit, now: dt.datetime | None = None) -> HomeVisit:
    with transaction.atomic():
        locked = _locked(visit)
        _require_visitor(locked, actor)
        _require(locked, VisitStatus.SCHEDULED)
        locked.status, locked.started_at = VisitStatus.IN_PROGRESS, now or timezone.now()
        locked.save(update_fields=["status", "started_at"])
        audit_record(
            actor=actor,
            action="home_visit.start",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={"status": locked.status},
        )
    return locked


def home_visit_verify_identity(
    *, actor, visit: HomeVisit, method: str, both_present: bool, now: dt.datetime | None = None
) -> HomeVisit:
    if method not in IdentityMethod.values:
        raise _refuse("method", _("Choose how the customer's identity was checked."))
    if not both_present:
        raise _refuse("both_present", _("Both staff must be present when the identity is checked."))
    with transaction.atomic():
        locked = _locked(visit)
        _require_visitor(locked, actor)
        _require(locked, VisitStatus.IN_PROGRESS)
        locked.identity_method, locked.identity_verified_at = method, now or timezone.now()
        locked.save(update_fields=["identity_method", "identity_verified_at"])
        audit_record(
            actor=actor,
            action="home_visit.identity",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={"method": method, "staff": [locked.lead_staff_id, locked.second_staff_id]},
        )
    return locked


def home_visit_add_photo(
    *, actor, visit: HomeVisit, kind: str, data: bytes, name: str = "photo.jpg"
) -> HomeVisitPhoto:
    if kind not in PhotoKind.values:
        raise _refuse("kind", _("Choose what the photo shows."))
    try:
        checked = images.check_photo(data, max_bytes=PHOTO_MAX_BYTES)
    except images.ImageProblem as problem:
        raise _refuse("photo", problem.message) from None
    with transaction.atomic():
        locked = _locked(visit)
        _require_visitor(locked, actor)
        _require(locked, VisitStatus.IN_PROGRESS)
        extension = {"image/png": "png", "image/webp": "webp"}.get(checked.content_type, "jpg")
        photo = HomeVisitPhoto(visit=locked, kind=kind, sha256=checked.sha256, taken_by=actor)
        photo.image.save(
            f"{locked.pk}-{checked.sha256[:16]}.{extension}", ContentFile(checked.data), save=False
        )
        photo.save()
        audit_record(
            actor=actor,
            action="home_visit.photo",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={"kind": kind, "sha256": checked.sha256},
        )
    return photo


def home_visit_complete(
    *, actor, visit: HomeVisit, signature_data_url: str, now: dt.datetime | None = None
) -> HomeVisit:
    """Identity checked, at least one photo, the customer's signature: the business is recorded as
    at a counter, the SLA work order resolved, and the visit closed — all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(visit)
        _require_visitor(locked, actor)
        _require(locked, VisitStatus.IN_PROGRESS)
        if locked.identity_verified_at is None:
            raise _refuse("identity", _("Check the customer's identity first."))
        if not locked.photos.exists():
            raise _refuse("photo", _("Take at least one photo first."))
        try:
            images.check_signature(signature_data_url)
        except images.ImageProblem as problem:
            raise _refuse("signature", problem.message) from None
        record = recording.record_at_counter(actor=actor, visit=locked, signature_data_url=signature_data_url)
        locked.service_record, locked.signature_sha256 = record, record.signature_sha256
        locked.status, locked.completed_at = VisitStatus.COMPLETED, now
        locked.save(update_fields=["service_record", "signature_sha256", "status", "completed_at"])
        if locked.work_order is not None:
            work_order_resolve(
                actor=actor,
                work_order=locked.work_order,
                resolution=str(_("Visited at home; the business was done.")),
            )
        audit_record(
            actor=actor,
            action="home_visit.complete",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            after={
                "service_record": record.pk,
                "signature_sha256": record.signature_sha256,
                "staff": [locked.lead_staff_id, locked.second_staff_id],
                "on_time": now <= locked.due_by,
            },
        )
    return locked


def home_visit_cancel(*, actor, visit: HomeVisit, reason: str, now: dt.datetime | None = None) -> HomeVisit:
    if not reason.strip():
        raise _refuse("reason", _("Please say why the visit is cancelled."))
    with transaction.atomic():
        locked = _locked(visit)
        _require(locked, *OPEN)
        before = locked.status
        locked.status, locked.cancelled_at, locked.cancel_reason = (
            VisitStatus.CANCELLED,
            now or timezone.now(),
            reason.strip()[:200],
        )
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        if locked.work_order is not None:
            work_order_resolve(
                actor=actor,
                work_order=locked.work_order,
                resolution=str(_("Home visit cancelled: %(reason)s") % {"reason": reason}),
            )
        audit_record(
            actor=actor,
            action="home_visit.cancel",
            obj=locked,
            branch=locked.branch,
            customer=locked.customer,
            before={"status": before},
            after={"status": locked.status, "reason": locked.cancel_reason},
        )
    return locked
