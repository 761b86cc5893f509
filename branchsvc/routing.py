"""Websocket URL patterns collected from each project app's `routing.py`."""

from core.apps_registry import project_modules
from core.consumers import UserEventsConsumer


def websocket_urlpatterns() -> list:
    from django.urls import path

    patterns: list = [path("ws/me/", UserEventsConsumer.as_asgi())]
    for module in project_modules("routing"):
        patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns
