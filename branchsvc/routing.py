"""Websocket URL patterns collected from each app's `routing.py`."""

from importlib import import_module

from django.apps import apps


def websocket_urlpatterns() -> list:
    patterns: list = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.routing")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.routing":
                raise
            continue
        patterns.extend(module.websocket_urlpatterns)
    return patterns
