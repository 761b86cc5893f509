"""Staff navigation collected from each app's `nav.py` (ITEMS = [core.navigation.NavItem(...)])."""

from django.urls import NoReverseMatch, reverse

from core.apps_registry import project_modules
from core.navigation import NavItem


def _all_items() -> list[NavItem]:
    return [item for module in project_modules("nav") for item in getattr(module, "ITEMS", [])]


def context(request):
    from branches.access import user_role

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = user_role(user)
    links = []
    for item in _all_items():
        if item.roles and role not in item.roles:
            continue
        if item.visible_to is not None and not item.visible_to(user):
            continue
        try:
            links.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return {"nav_items": links, "user_role": role}
