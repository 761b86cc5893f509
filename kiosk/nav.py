from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from branchsvc.navigation import NavItem

ITEMS = [
    NavItem(label=_("Remote teller"), url_name="kiosk-remote-console", roles={Role.TELLER}),
    NavItem(label=_("Kiosks"), url_name="kiosk-device-status",
            roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}),
]
