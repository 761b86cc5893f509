from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from continuity.access import CASE_READERS
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Fraud cases"), url_name="continuity:cases", roles=set(CASE_READERS)),
    NavItem(
        label=_("Emergency plans"),
        url_name="continuity:incidents",
        roles={
            Role.LOBBY_MANAGER,
            Role.BRANCH_ADMIN,
            Role.TELLER,
            Role.WEALTH_MANAGER,
            Role.HEAD_OFFICE_ADMIN,
            Role.COMPLIANCE_OFFICER,
        },
    ),
    NavItem(
        label=_("Offline ledger"),
        url_name="continuity:ledger",
        roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.TELLER, Role.WEALTH_MANAGER,
               Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER},
    ),
    NavItem(label=_("Report card fraud"), url_name="continuity:report", roles={Role.CUSTOMER}),
]
