from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Insights"), url_name="insights-network",
            roles={Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN, Role.LOBBY_MANAGER}),
]
