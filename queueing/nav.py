from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Lobby dashboard"), url_name="queue-dashboard",
            roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}),
    NavItem(label=_("Lobby screen"), url_name="device-home-lobby_screen",
            roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN}),
    NavItem(label=_("Take a ticket"), url_name="queue-remote", roles={Role.CUSTOMER}),
]
