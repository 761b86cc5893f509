"""Who may see which branch. Every branch-scoped object is loaded through helpers built on these."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.permissions import BasePermission

from branches.models import Branch
from branches.roles import NETWORK_ROLES, Role

# Roles that observe the network but do not operate a branch's queues and counters.
_OBSERVER_ROLES = frozenset({Role.COMPLIANCE_OFFICER, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})


def user_role(user) -> Role | None:
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_branchsvc_role"):
        profile = getattr(user, "staff_profile", None)
        if profile is not None:
            role = Role(profile.role)
        elif user.groups.filter(name=Role.CUSTOMER).exists():
            role = Role.CUSTOMER
        elif user.is_superuser:
            role = Role.HEAD_OFFICE_ADMIN
        else:
            role = None
        user._branchsvc_role = role
    return user._branchsvc_role


def _profile_branch_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return profile.branch_id if profile is not None else None


def staff_branches(user):
    """The branches a staff member may see; none for customers and devices."""
    role = user_role(user)
    if role is None or role == Role.CUSTOMER:
        return Branch.objects.none()
    branch_id = _profile_branch_id(user)
    if branch_id is None:
        return Branch.objects.all() if role in NETWORK_ROLES else Branch.objects.none()
    return Branch.objects.filter(pk=branch_id)


def branch_for_user(user, code: str, *, write: bool = False) -> Branch:
    """The branch `code` if the user may see it (and operate it, with write=True); else 404."""
    branch = staff_branches(user).filter(code=code).first()
    if branch is None:
        raise Http404("no such branch")
    if write and user_role(user) in _OBSERVER_ROLES:
        raise PermissionDenied
    return branch


def role_required(*roles: Role):
    """HTML view decorator: sign-in page for visitors, 403 for users without one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user_role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def HasRole(*roles: Role) -> type[BasePermission]:  # noqa: N802 - reads as a class in views
    """DRF permission class admitting signed-in users holding one of `roles`."""

    class _HasRole(BasePermission):
        def has_permission(self, request, view):
            return user_role(request.user) in roles

    _HasRole.__name__ = "HasRole_" + "_".join(str(r) for r in roles)
    return _HasRole


class IsDevice(BasePermission):
    """Admits requests made by an active device (token header or device session)."""

    def has_permission(self, request, view):
        return getattr(request, "device", None) is not None
