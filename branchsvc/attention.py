"""The staff home page's "needs you now": every app's `attention.py` asked, most urgent first."""

from django.utils import timezone

from branches.access import user_role
from core.apps_registry import project_modules
from core.attention import TONE_ORDER, AttentionItem


def items_for(user, now=None) -> list[AttentionItem]:
    role = user_role(user)
    if role is None:
        return []
    now = now or timezone.now()
    found = [item for module in project_modules("attention")
             for item in module.items(user=user, role=role, now=now)]
    return sorted(found, key=lambda item: TONE_ORDER[item.tone])
