from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Insights"), url_name="insights-network",
            roles={Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN, Role.LOBBY_MANAGER}),
    NavItem(label=_("Roster"), url_name="insights-own-roster", roles={Role.BRANCH_ADMIN, Role.LOBBY_MANAGER}),
    NavItem(label=_("My performance"), url_name="insights-my-performance", roles={Role.TELLER}),
    NavItem(label=_("Star rules"), url_name="insights-star-rules", roles={Role.HEAD_OFFICE_ADMIN}),
]
