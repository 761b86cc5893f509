"""A device found by its token, read once per version instead of once per request.

Every kiosk, VTM and lobby-screen request proves who it is with its token (the `Device` header or
the device browser's session), and the lookup was a database query on each of them. This process
keeps what it found under the `devices` version token (`core.cache.config_versions`); any save
or delete of a device, a branch or a service point replaces the token — in the writer's
transaction and again when it commits (`config_bump`) — so a revoked device, or one of a branch
that was closed down, is refused on its very next request. A request otherwise pays the one
cache round trip for the token. When the cache is down every request reads the database.

Each request gets its own copy (unpickled), so nothing one request sets on its device is seen by
another. The copy's `last_seen_at` is as of the lookup (heartbeats update the row, not the copy).
"""

from __future__ import annotations

import pickle  # noqa: S403 - only this process's own pickles, never bytes from outside
from collections.abc import Callable

from django.db.models.signals import post_delete, post_save

from branches.models import Branch, Device, ServicePoint
from core.cache import config_bump, config_versions, remembered

DEVICES = "devices"
# Bounds how long a copy can outlive a bump that never reached the cache (the cache was down
# while the revocation committed); a bump that did reach it acts at once.
_TTL = 60.0


def device_by_token(token: str) -> Device | None:
    """The active device holding this token, or None."""
    if not token or len(token) > 200:
        return None
    return device_by_token_hash(Device.hash_token(token))


def device_by_token_hash(token_hash: str) -> Device | None:
    def load() -> bytes | None:
        device = (Device.objects.active().select_related("branch", "service_point")
                  .filter(token_hash=token_hash).first())
        return None if device is None else pickle.dumps(device)

    found = remembered(f"device:{token_hash}", config_versions(DEVICES), load, ttl=_TTL)
    return None if found is None else pickle.loads(found)  # noqa: S301 - our own pickle


def devices_changed() -> None:
    """A device, its branch or its service point changed: every process looks devices up again."""
    config_bump(DEVICES)


def _changed(sender, **kwargs) -> None:
    devices_changed()


def connect() -> None:
    """Called from BranchesConfig.ready: every write to the rows a remembered device carries
    (the services, the admin, data migrations) bumps the version."""
    handler: Callable = _changed
    for model in (Device, Branch, ServicePoint):
        post_save.connect(handler, sender=model, dispatch_uid=f"devices-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"devices-del-{model.__name__}")
