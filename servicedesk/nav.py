from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(
        label=_("Work orders"),
        url_name="servicedesk:queue",
        roles={
            Role.TELLER,
            Role.WEALTH_MANAGER,
            Role.LOBBY_MANAGER,
            Role.BRANCH_ADMIN,
            Role.DEPARTMENT_STAFF,
            Role.DEPARTMENT_HEAD,
            Role.HEAD_OFFICE_ADMIN,
            Role.COMPLIANCE_OFFICER,
        },
    ),
    NavItem(
        label=_("SLA breaches"),
        url_name="servicedesk:breaches",
        roles={Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER},
    ),
    NavItem(
        label=_("Service desk reports"),
        url_name="servicedesk:report",
        roles={
            Role.DEPARTMENT_HEAD,
            Role.BRANCH_ADMIN,
            Role.HEAD_OFFICE_ADMIN,
            Role.COMPLIANCE_OFFICER,
            Role.LOBBY_MANAGER,
        },
    ),
]
