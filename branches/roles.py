"""Roles are Django groups of the same name; ROLE_PERMISSIONS lists each role's permissions.

Every app may declare ROLE_PERMISSIONS in its own `roles.py`; `sync_role_groups` merges them all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    TELLER = "teller", _("Teller")
    WEALTH_MANAGER = "wealth_manager", _("Wealth manager")
    LOBBY_MANAGER = "lobby_manager", _("Lobby manager")
    BRANCH_ADMIN = "branch_admin", _("Branch admin")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    HEAD_OFFICE_ADMIN = "head_office_admin", _("Head-office admin")


STAFF_ROLES = frozenset(Role) - {Role.CUSTOMER}
# Roles whose staff profile may have no branch: they work across the branch network.
NETWORK_ROLES = frozenset({Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER, Role.DEPARTMENT_STAFF,
                           Role.DEPARTMENT_HEAD})
# Roles that serve customers at a branch (see their customers, work their queues).
BRANCH_SERVICE_ROLES = frozenset({Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER,
                                  Role.BRANCH_ADMIN})

_VIEW_CATALOG = ["branches.view_branch", "branches.view_zone", "branches.view_servicepoint",
                 "branches.view_servicetype", "branches.view_department"]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CUSTOMER: [],
    Role.TELLER: [*_VIEW_CATALOG, "customers.view_customer"],
    Role.WEALTH_MANAGER: [*_VIEW_CATALOG, "customers.view_customer",
                          "customers.view_riskassessment"],
    Role.LOBBY_MANAGER: [*_VIEW_CATALOG, "customers.view_customer"],
    Role.BRANCH_ADMIN: [*_VIEW_CATALOG, "customers.view_customer", "branches.view_device",
                        "branches.add_device", "branches.change_device",
                        "branches.view_staffprofile"],
    Role.COMPLIANCE_OFFICER: [*_VIEW_CATALOG, "customers.view_customer",
                              "customers.reveal_personal_data", "compliance.view_auditevent"],
    Role.DEPARTMENT_STAFF: [*_VIEW_CATALOG, "customers.view_customer"],
    Role.DEPARTMENT_HEAD: [*_VIEW_CATALOG, "customers.view_customer"],
    Role.HEAD_OFFICE_ADMIN: [*_VIEW_CATALOG, "customers.view_customer",
                             "compliance.view_auditevent", "branches.view_device",
                             "branches.view_staffprofile"],
}


def all_role_permissions() -> dict[str, set[str]]:
    from core.apps_registry import project_modules

    merged: dict[str, set[str]] = {role.value: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for module in project_modules("roles"):
        if module.__name__ == __name__:
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(str(role), set()).update(perms)
    return merged


def sync_role_groups(app_config=None, **kwargs) -> None:
    """Create one group per role holding exactly its permissions (idempotent).

    As a post_migrate receiver it runs once, after the last app's permissions exist.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if app_config is not None and app_config is not list(apps.get_app_configs())[-1]:
        return

    for role, perms in all_role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.filter(content_type__app_label=app_label,
                                              codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
