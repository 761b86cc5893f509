from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from quality.access import may_use_quality

# No role list: mystery shoppers hold no platform role, and action owners can be anyone on staff.
ITEMS = [
    NavItem(label=_("Service quality"), url_name="quality-home", visible_to=may_use_quality),
]
