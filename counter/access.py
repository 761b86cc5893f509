"""Who may open which pre-filled form, service record and counter. Everything else goes through these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.access import staff_branches, user_role
from branches.models import ServicePoint
from branches.roles import Role
from compliance.models import AuditEvent
from counter.models import FormSource, PrefilledForm, ServiceRecord

# Staff who serve at a counter: they verify forms and finish services.
COUNTER_ROLES = frozenset({Role.TELLER, Role.WEALTH_MANAGER})
# Staff who may read forms and records of their branches without serving.
READER_ROLES = frozenset(
    {Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.COMPLIANCE_OFFICER, Role.HEAD_OFFICE_ADMIN}
)

# Staff who may let a service finish without the teller's check of every field (with a reason).
SUPERVISOR_ROLES = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN})


def _staff_may(user, branch_id: int | None, *, write: bool) -> bool:
    role = user_role(user)
    if role not in COUNTER_ROLES | READER_ROLES or branch_id is None:
        return False
    if write and role not in COUNTER_ROLES:
        raise PermissionDenied
    return staff_branches(user).filter(pk=branch_id).exists()


def form_for_user(user, public_id, *, write: bool = False) -> PrefilledForm:
    """A customer opens only their own forms; staff open forms that reached their branch. Else 404."""
    form = (
        PrefilledForm.objects.select_related("service_type", "schema", "customer", "ticket", "branch")
        .filter(public_id=public_id)
        .first()
    )
    if form is None:
        raise Http404("no such form")
    if user_role(user) == Role.CUSTOMER:
        if form.customer is None or form.customer.user_id != user.pk:
            raise Http404("no such form")
        return form
    if not _staff_may(user, form.branch_id, write=write):
        raise Http404("no such form")
    return form


def form_for_ticket_token(token: str, public_id) -> PrefilledForm:
    """Whoever holds a ticket's public token (its QR/link) may fill that ticket's forms."""
    form = (
        PrefilledForm.objects.select_related("service_type", "schema", "ticket")
        .filter(public_id=public_id, ticket__public_token=token)
        .first()
    )
    if form is None:
        raise Http404("no such form")
    return form


def record_for_user(user, record_id: int, *, write: bool = False) -> ServiceRecord:
    record = (
        ServiceRecord.objects.select_related("ticket", "service_type", "customer", "counter", "form")
        .filter(pk=record_id)
        .first()
    )
    if record is None or not _staff_may(user, record.branch_id, write=write):
        raise Http404("no such service record")
    if write and record.teller_id != user.pk:
        raise PermissionDenied  # only the teller serving it changes a service in progress
    return record


def record_for_supervisor(user, record_id: int) -> ServiceRecord:
    """A service of the supervisor's branch, to override what the teller could not check."""
    record = ServiceRecord.objects.select_related("form", "counter", "ticket").filter(pk=record_id).first()
    if record is None or not _staff_may(user, record.branch_id, write=False):
        raise Http404("no such service record")
    if user_role(user) not in SUPERVISOR_ROLES:
        raise PermissionDenied
    return record


# The teller console's rule for `queueing.access.counter_for_user`: counters (not VTMs) of the
# user's branches, seen by the counter and reader roles, operated only by tellers and wealth managers.
CONSOLE = {"operators": COUNTER_ROLES, "readers": COUNTER_ROLES | READER_ROLES,
           "kind": ServicePoint.Kind.COUNTER}


# Devices a customer fills a form on. Lobby screens and entrance cameras never open one.
FORM_DEVICE_KINDS = frozenset({"kiosk", "vtm"})


def form_for_device(device, public_id) -> PrefilledForm:
    """A kiosk or VTM opens only a form it started itself (its own session's), at its branch."""

    form = (
        PrefilledForm.objects.select_related("service_type", "schema", "ticket")
        .filter(public_id=public_id, branch_id=device.branch_id, source=FormSource.KIOSK)
        .first()
    )
    if form is None or device.kind not in FORM_DEVICE_KINDS:
        raise Http404("no such form")
    # The form records no device; the audit trail says which machine started it.
    started_here = AuditEvent.objects.filter(
        action="form.start", object_type="counter.prefilledform", object_id=str(form.pk),
        device_id=device.pk).exists()
    if not started_here:
        raise Http404("no such form")
    return form


def full_values_for(request, form: PrefilledForm) -> bool:
    """Only the customer whose form it is sees its personal numbers in full; staff reveal them
    field by field with a reason (FormRevealApi), devices and link holders see them masked."""
    user = request.user
    return (getattr(request, "device", None) is None and user.is_authenticated
            and user_role(user) == Role.CUSTOMER and form.customer is not None
            and form.customer.user_id == user.pk)


def form_for_request(request, public_id, *, write: bool = False) -> PrefilledForm:
    """The API's one door to a form: a device, a ticket-token bearer (`?ticket=`), or a signed-in user."""
    device = getattr(request, "device", None)
    if device is not None:
        return form_for_device(device, public_id)
    token = request.GET.get("ticket")
    if token:
        return form_for_ticket_token(token, public_id)
    return form_for_user(request.user, public_id, write=write)
