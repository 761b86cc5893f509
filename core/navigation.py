"""Staff navigation items: each app lists its links in `nav.py` (ITEMS = [NavItem(...)]); the
project's context processor (`branchsvc.navigation.context`) collects them."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: set = field(default_factory=set)
    # A further test on the user, for links only some holders of a role may open (remote
    # tellers among tellers): a menu never offers a page that answers 403.
    visible_to: Callable[[object], bool] | None = None
