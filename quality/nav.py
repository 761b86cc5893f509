from django.utils.translation import gettext_lazy as _

from branches.roles import STAFF_ROLES
from core.navigation import NavItem
from quality.access import is_mystery_shopper

# Every staff member may own a corrective action, so the link is on every staff menu (by role:
# no query on the hot pages). Mystery shoppers hold no platform role: their test asks for the
# group only when the user has no role at all.
ITEMS = [
    NavItem(label=_("Service quality"), url_name="quality-home", roles=set(STAFF_ROLES)),
    NavItem(
        label=_("Service quality"),
        url_name="quality-home",
        roles=set(),
        visible_to=lambda user: is_mystery_shopper(user),
    ),
]
