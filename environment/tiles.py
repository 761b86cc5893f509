"""What the lobby manager and head office read: each sensor's latest value and state, the alerts
waiting for a person, and a sensor's history in buckets for the charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from environment import conf
from environment.kinds import format_value
from environment.models import ReadingMinute, Sensor, SensorAlert
from environment.services import Limits, all_limits


class State:
    OK = "ok"
    HIGH = "high"
    LOW = "low"
    SILENT = "silent"
    WAITING = "waiting"  # registered, nothing heard yet


@dataclass
class Tile:
    sensor: Sensor
    value: float | None
    state: str
    limits: Limits

    @property
    def shown(self) -> str:
        return format_value(self.sensor.kind, self.value)


def tiles(branch, *, now: dt.datetime | None = None) -> list[Tile]:
    now = now or timezone.now()
    latest = ReadingMinute.objects.filter(sensor=OuterRef("pk")).order_by("-minute")
    sensors = (Sensor.objects.filter(branch=branch, is_active=True)
               .annotate(latest=Subquery(latest.values("last")[:1])).select_related("branch"))
    limits = all_limits(branch)
    quiet_since = now - dt.timedelta(seconds=conf.silent_after_seconds())
    result = []
    for sensor in sensors:
        value, limit = sensor.latest, limits[sensor.kind]
        if sensor.last_seen_at is None:
            state = State.WAITING
        elif sensor.last_seen_at < quiet_since:
            state = State.SILENT
        elif limit.high is not None and value > limit.high:
            state = State.HIGH
        elif limit.low is not None and value < limit.low:
            state = State.LOW
        else:
            state = State.OK
        result.append(Tile(sensor, value, state, limit))
    return result


def alerts_to_acknowledge(branches) -> list[SensorAlert]:
    return list(SensorAlert.objects.filter(branch__in=branches, acknowledged_at__isnull=True)
                .select_related("sensor__branch", "branch").order_by("-raised_at")[:50])


def recent_alerts(branch, *, limit: int = 30) -> list[SensorAlert]:
    return list(SensorAlert.objects.filter(branch=branch)
                .select_related("sensor__branch", "branch", "acknowledged_by").order_by("-raised_at")[:limit])


@dataclass
class Bucket:
    start: dt.datetime
    mean: float
    low: float
    high: float


def history(sensor: Sensor, *, hours: int, buckets: int = 96, now: dt.datetime | None = None) -> list[Bucket]:
    """The sensor's last `hours` in at most `buckets` equal slices (empty slices left out)."""
    now = now or timezone.now()
    start = now - dt.timedelta(hours=hours)
    width = dt.timedelta(hours=hours) / buckets
    slices: dict[int, list[ReadingMinute]] = {}
    rows = ReadingMinute.objects.filter(sensor=sensor, minute__gte=start, minute__lte=now).order_by("minute")
    for row in rows:
        slices.setdefault(int((row.minute - start) / width), []).append(row)
    return [Bucket(start=start + index * width,
                   mean=sum(r.total for r in rows) / sum(r.count for r in rows),
                   low=min(r.low for r in rows), high=max(r.high for r in rows))
            for index, rows in sorted(slices.items())]

