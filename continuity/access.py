"""Who may see and act on a fraud case."""

from django.http import Http404

from branches.access import staff_branches, user_role
from branches.roles import Role
from continuity.models import FraudCase
from customers.models import Customer

# Staff who take a fraud report at the branch and identify the customer.
CASE_HANDLERS = frozenset(
    {Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}
)
CASE_READERS = CASE_HANDLERS | {Role.COMPLIANCE_OFFICER}


def customer_of(user) -> Customer | None:
    if user is None or not user.is_authenticated:
        return None
    return Customer.objects.filter(user=user).first()


def fraud_cases_for_user(user):
    cases = FraudCase.objects.select_related("branch", "customer")
    role = user_role(user)
    if role == Role.CUSTOMER:
        return cases.filter(customer__user=user)
    if role not in CASE_READERS:
        return cases.none()
    return cases.filter(branch__in=staff_branches(user))


def fraud_case_for_user(user, ref: str, *, write: bool = False) -> FraudCase:
    case = fraud_cases_for_user(user).filter(ref=ref).first()
    if case is None or (write and user_role(user) not in CASE_HANDLERS):
        raise Http404("no such fraud case")
    return case
