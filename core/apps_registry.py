"""Look up optional per-app modules (routing, nav, beat, roles, demo) in the project's own apps."""

from importlib import import_module
from types import ModuleType

from django.apps import apps

PROJECT_APPS = ("compliance", "branches", "customers", "servicedesk", "knowledge", "queueing",
                "counter", "appointments", "outreach", "kiosk", "environment", "fees", "continuity",
                "quality", "insights")


def project_modules(name: str) -> list[ModuleType]:
    """`<app>.<name>` for each project app that has one, bottom-up. Third-party apps are never
    searched: `channels.routing`, for one, is not a list of our websocket routes."""
    found = []
    for config in apps.get_app_configs():
        if config.name not in PROJECT_APPS:
            continue
        try:
            found.append(import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{name}":
                raise
    return found


