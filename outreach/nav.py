from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(
        label=_("Home visits"),
        url_name="outreach:list",
        roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.TELLER, Role.WEALTH_MANAGER, Role.CUSTOMER},
    ),
    NavItem(
        label=_("Wealth products after the sale"),
        url_name="outreach:wealth",
        roles={Role.WEALTH_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN},
    ),
]
