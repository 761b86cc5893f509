from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Floor plan"), url_name="own-floor-plan", roles={Role.BRANCH_ADMIN}),
    NavItem(label=_("Official calendar"), url_name="calendar-home", roles={Role.HEAD_OFFICE_ADMIN}),
]
