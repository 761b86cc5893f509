from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from branchsvc.navigation import NavItem
from continuity.access import CASE_READERS

ITEMS = [
    NavItem(label=_("Fraud cases"), url_name="continuity:cases", roles=set(CASE_READERS)),
    NavItem(label=_("Report card fraud"), url_name="continuity:report", roles={Role.CUSTOMER}),
]
