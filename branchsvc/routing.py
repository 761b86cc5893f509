"""Websocket URL patterns collected from each project app's `routing.py`."""

from branchsvc.apps_registry import project_modules


def websocket_urlpatterns() -> list:
    patterns: list = []
    for module in project_modules("routing"):
        patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns
