from django.core.exceptions import PermissionDenied

from branches.access import user_role
from branches.roles import Role
from customers.access import customer_for_user

# Staff who serve customers at one branch enrol faces there (the gallery is per branch).
ENROL_ROLES = (Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN)


def face_customer_for_user(user, customer_id: int):
    """(customer, the staff member's branch) for face enrolment; 404 for customers the user may
    not open, 403 for roles that do not enrol or staff without a branch."""
    if user_role(user) not in ENROL_ROLES:
        raise PermissionDenied
    branch = user.staff_profile.branch
    if branch is None:
        raise PermissionDenied
    return customer_for_user(user, customer_id, write=True), branch
