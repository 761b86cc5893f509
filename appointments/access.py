"""Loading appointments for a user: customers see their own, staff those of their branches."""

from django.http import Http404

from appointments.models import Appointment, AppointmentSeries, GroupSession
from branches.access import branch_for_user, staff_branches, user_role
from branches.roles import BRANCH_SERVICE_ROLES, Role


def customer_of(user):
    """The signed-in customer's Customer, or None for staff and visitors."""
    if user_role(user) != Role.CUSTOMER:
        return None
    return getattr(user, "customer", None)


def appointments_for_user(user):
    role = user_role(user)
    base = Appointment.objects.with_related()
    if role == Role.CUSTOMER:
        customer = customer_of(user)
        return base.filter(customer=customer) if customer else base.none()
    if role is None:
        return base.none()
    return base.filter(branch__in=staff_branches(user))


def appointment_for_user(user, code: str, *, write: bool = False) -> Appointment:
    """The appointment with booking ``code`` if the user may see it (and change it); else 404.

    Customers may change their own appointments; of the staff, only those serving the branch
    (tellers, wealth and lobby managers, branch admins) may change one.
    """
    appointment = appointments_for_user(user).filter(code=code).first()
    if appointment is None:
        raise Http404("no such appointment")
    role = user_role(user)
    if write and role != Role.CUSTOMER and role not in BRANCH_SERVICE_ROLES:
        raise Http404("no such appointment")
    return appointment


def branch_for_lobby(user, code: str | None):
    """The branch whose appointments of the day a staff member looks at (their own by default)."""
    if code:
        return branch_for_user(user, code)
    branch = staff_branches(user).first()
    if branch is None:
        raise Http404("no branch")
    return branch


def series_for_user(user, series_id: int, *, write: bool = False):
    """A recurring series the user may see: the customer's own, or of a branch the staff serve."""
    base = AppointmentSeries.objects.select_related("branch", "service_type", "customer")
    role = user_role(user)
    if role == Role.CUSTOMER:
        rows = base.filter(customer=customer_of(user))
    elif role is None or (write and role not in BRANCH_SERVICE_ROLES):
        rows = base.none()
    else:
        rows = base.filter(branch__in=staff_branches(user))
    series = rows.filter(pk=series_id).first()
    if series is None:
        raise Http404("no such series")
    return series


def group_session_for_user(user, session_id: int, *, manage: bool = False):
    """A group session: customers see open ones at any branch; staff those of their branches, and
    only the branch's serving staff may manage (create, cancel) them."""
    base = GroupSession.objects.select_related("branch")
    role = user_role(user)
    if role == Role.CUSTOMER and not manage:
        rows = base.all()
    elif role is None or role == Role.CUSTOMER or (manage and role not in BRANCH_SERVICE_ROLES):
        rows = base.none()
    else:
        rows = base.filter(branch__in=staff_branches(user))
    session = rows.filter(pk=session_id).first()
    if session is None:
        raise Http404("no such group session")
    return session
