from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from environment.access import WATCH_ROLES

ITEMS = [
    NavItem(label=_("Environment"), url_name="environment-network", roles=set(WATCH_ROLES)),
]
