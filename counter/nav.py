from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(
        label=_("Teller console"), url_name="counter:console-home", roles={Role.TELLER, Role.WEALTH_MANAGER}
    ),
]
