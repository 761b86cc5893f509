from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from core.navigation import NavItem

ITEMS = [
    NavItem(label=_("Fees"), url_name="fees-manage", roles={Role.HEAD_OFFICE_ADMIN, Role.COMPLIANCE_OFFICER}),
    NavItem(label=_("Rates"), url_name="fees-rates", roles={Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN}),
]
