"""Alerts for the lobby manager dashboard.

Any app may raise one with `alert_raise(...)` (kept for the dashboard's resync and pushed live) or
push directly: `push(groups.staff(code), "alert", {"kind", "level", "text": {"zh-hans", "en"},
"ticket": number | None})`.
"""

import logging

from django.core.cache import cache
from django.utils import timezone

from core.live import groups, push

log = logging.getLogger(__name__)

KEEP = 20
KEEP_SECONDS = 12 * 3600


class Level:
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


def _key(branch) -> str:
    return f"queueing:alerts:{branch.code}"


def recent_alerts(branch) -> list[dict]:
    try:
        return list(cache.get(_key(branch)) or [])
    except Exception:
        # The cache (Redis) is away: the dashboard polls meanwhile, and must show the queues,
        # counters and waiting customers, not an error, for want of the recent alerts.
        log.warning("recent alerts unavailable: the cache is unreachable", exc_info=True)
        return []


def alert_raise(*, branch, kind: str, level: str, text: dict[str, str], ticket: str | None = None,
                once_key: str = "", once_seconds: int = 3600) -> bool:
    """Push an alert to the branch's staff dashboards after commit; with `once_key`, only the
    first call within `once_seconds` does. Returns whether it was raised."""
    if once_key and not cache.add(f"queueing:alert-once:{branch.code}:{once_key}", 1, once_seconds):
        return False
    # Branch time with its offset: dashboards show the clock time the lobby sees (HH:MM of it).
    alert = {"kind": kind, "level": level, "text": text, "ticket": ticket,
             "at": timezone.now().astimezone(branch.tz).isoformat()}
    cache.set(_key(branch), ([alert] + recent_alerts(branch))[:KEEP], KEEP_SECONDS)
    push(groups.staff(branch.code), "alert", alert)
    return True
