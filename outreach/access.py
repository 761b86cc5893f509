"""Loading home visits for a user: customers their own, staff those of their branch."""

from django.http import Http404

from branches.access import staff_branches, user_role
from branches.roles import BRANCH_SERVICE_ROLES, Role
from outreach.models import HomeVisit

# Who plans visits and picks the two staff: the branch's supervisors.
SCHEDULERS = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN})


def customer_of(user):
    if user_role(user) != Role.CUSTOMER:
        return None
    return getattr(user, "customer", None)


def visits_for_user(user):
    role = user_role(user)
    base = HomeVisit.objects.select_related(
        "branch", "customer", "service_type", "lead_staff", "second_staff"
    )
    if role == Role.CUSTOMER:
        customer = customer_of(user)
        return base.filter(customer=customer) if customer else base.none()
    if role in BRANCH_SERVICE_ROLES:
        return base.filter(branch__in=staff_branches(user))
    return base.none()


def visit_for_user(user, pk: int, *, schedule: bool = False) -> HomeVisit:
    """The visit if the user may see it; ``schedule=True`` also needs a branch supervisor."""
    visit = visits_for_user(user).filter(pk=pk).first()
    if visit is None or (schedule and user_role(user) not in SCHEDULERS):
        raise Http404("no such home visit")
    return visit


def is_staff(user) -> bool:
    return user_role(user) in BRANCH_SERVICE_ROLES
