from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem
from knowledge.access import DRAFTERS, READERS, REVIEWERS

ITEMS = [
    NavItem(label=_("Knowledge"), url_name="knowledge-search", roles=set(READERS)),
    NavItem(label=_("Knowledge review"), url_name="knowledge-review", roles=set(REVIEWERS)),
    NavItem(label=_("Import articles"), url_name="knowledge-import", roles=set(DRAFTERS)),
    NavItem(label=_("Knowledge gaps"), url_name="knowledge-gaps", roles=set(DRAFTERS | REVIEWERS)),
]
