"""Who may see and change which work orders. Every view loads work orders through these."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from branches.access import staff_branches, user_role
from branches.roles import Role
from customers.models import Customer
from servicedesk.models import Survey, VisitSurvey, WorkOrder

# Roles that see every work order of the branches they may see.
BRANCH_WIDE = frozenset(
    {Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER}
)
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})
# Roles that may change work orders (compliance officers only read).
WRITERS = frozenset(
    {
        Role.TELLER,
        Role.WEALTH_MANAGER,
        Role.LOBBY_MANAGER,
        Role.BRANCH_ADMIN,
        Role.DEPARTMENT_STAFF,
        Role.DEPARTMENT_HEAD,
        Role.HEAD_OFFICE_ADMIN,
    }
)
HEADS = frozenset({Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})


def is_customer(user) -> bool:
    """Customers in the customer group, or any other signed-in user linked from a Customer."""
    role = user_role(user)
    if role == Role.CUSTOMER:
        return True
    return role is None and user.is_authenticated and Customer.objects.filter(user=user).exists()


def customer_of(user) -> Customer | None:
    return Customer.objects.filter(user=user).first() if is_customer(user) else None


def work_orders_for_user(user):
    role = user_role(user)
    orders = WorkOrder.objects.all()
    if is_customer(user):
        return orders.filter(customer__user=user)
    if role is None:
        return orders.none()
    mine = Q(assignee=user) | Q(owner=user) | Q(created_by=user)
    if role in BRANCH_WIDE:
        return orders.filter(Q(branch__in=staff_branches(user)) | mine)
    if role in DEPARTMENT_ROLES:
        department_id = user.staff_profile.department_id
        if department_id is None:
            return orders.filter(mine)
        return orders.filter(Q(department_id=department_id, branch__in=staff_branches(user)) | mine)
    # Tellers and wealth managers see what they received or work on.
    return orders.filter(mine)


def work_order_for_user(user, pk: int, *, write: bool = False) -> WorkOrder:
    work_order = work_orders_for_user(user).with_relations().filter(pk=pk).first()
    if work_order is None:
        raise Http404("no such work order")
    if write and user_role(user) not in WRITERS:
        raise PermissionDenied
    return work_order


def work_order_for_customer(user, pk: int) -> WorkOrder:
    """A signed-in customer's own work order (the customer pages and API)."""
    if not is_customer(user):
        raise Http404("no such work order")
    return work_order_for_user(user, pk)


def survey_for_token(token: str) -> Survey:
    survey = Survey.objects.select_related("work_order").filter(token=token).first()
    if survey is None:
        raise Http404("no such survey")
    return survey


def visit_survey_for_token(token: str) -> VisitSurvey:
    """The token from the e-receipt is the key: no sign-in, and an unknown token is a 404."""
    survey = VisitSurvey.objects.select_related("branch").filter(token=token).first()
    if survey is None:
        raise Http404("no such survey")
    return survey
