"""Staff navigation collected from each app's `nav.py` (ITEMS = [NavItem(...)])."""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: set = field(default_factory=set)


def _all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.nav":
                raise
            continue
        items.extend(module.ITEMS)
    return items


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
        try:
            links.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return {"nav_items": links, "user_role": role}
