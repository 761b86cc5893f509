from django.http import Http404

from branches.access import staff_branches, user_role
from branches.roles import Role
from customers import hooks
from customers.models import Customer


def customer_branch_ids(customer: Customer) -> set[int]:
    ids = {customer.home_branch_id} if customer.home_branch_id else set()
    for extra in hooks.customer_branch_ids:
        ids.update(extra(customer))
    return ids


def customer_for_user(user, customer_id: int, *, write: bool = False) -> Customer:
    """A customer as a staff member may open them: customers of the staff member's branches, or
    customers with business at one of them today. A customer opens only themself. Else 404."""
    customer = Customer.objects.select_related("home_branch").filter(pk=customer_id).first()
    if customer is None:
        raise Http404("no such customer")
    role = user_role(user)
    if role == Role.CUSTOMER:
        if customer.user_id != user.pk:
            raise Http404("no such customer")
        return customer
    visible = set(staff_branches(user).values_list("pk", flat=True))
    if not visible & customer_branch_ids(customer):
        raise Http404("no such customer")
    return customer


def customers_for_user(user):
    """Customers a staff member may list (their branches' customers)."""
    if user_role(user) in (None, Role.CUSTOMER):
        return Customer.objects.none()
    return Customer.objects.filter(home_branch__in=staff_branches(user))
