"""Websocket URL patterns collected from each project app's `routing.py`."""

from core.apps_registry import project_modules


def websocket_urlpatterns() -> list:
    from django.urls import path

    from core.consumers import UserEventsConsumer

    patterns: list = [path("ws/me/", UserEventsConsumer.as_asgi())]
    for module in project_modules("routing"):
        patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns
