from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(
        label=_("Today's appointments"),
        url_name="appointments:today",
        roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.TELLER, Role.WEALTH_MANAGER},
    ),
    NavItem(
        label=_("Classes"),
        url_name="appointments:classes_manage",
        roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.TELLER, Role.WEALTH_MANAGER},
    ),
    NavItem(
        label=_("Recurring appointments"),
        url_name="appointments:series_new",
        roles={Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.TELLER, Role.WEALTH_MANAGER},
    ),
    NavItem(label=_("My appointments"), url_name="appointments:mine", roles={Role.CUSTOMER}),
    NavItem(label=_("Classes"), url_name="appointments:classes", roles={Role.CUSTOMER}),
    NavItem(label=_("Book an appointment"), url_name="appointments:book", roles={Role.CUSTOMER}),
]
