from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem
from kiosk.services import is_remote_teller

ITEMS = [
    NavItem(label=_("Remote teller"), url_name="kiosk-remote-console", roles={Role.TELLER},
            visible_to=is_remote_teller),
    NavItem(label=_("Kiosks"), url_name="kiosk-device-status",
            roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN}),
    NavItem(label=_("Dual recordings"), url_name="kiosk-recordings", roles={Role.COMPLIANCE_OFFICER}),
]
