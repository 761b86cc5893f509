"""Sensor settings with their defaults (branchsvc/settings.py reads the environment variables).

- MQTT_URL (mqtt://127.0.0.1:1883): the broker the sensors publish to; empty turns ingest off.
- MQTT_TOPIC_PREFIX (branchsvc/env): readings arrive on `<prefix>/<branch code>/<sensor key>`.
- SENSOR_SILENT_AFTER_SECONDS (300): an active sensor not heard from for this long is an alert.
- SENSOR_MIN_INTERVAL_SECONDS (2): a sensor's readings closer together than this are dropped.
"""

from urllib.parse import urlsplit

from django.conf import settings


def mqtt_url() -> str:
    return getattr(settings, "MQTT_URL", "mqtt://127.0.0.1:1883")


def broker_address(url: str | None = None) -> tuple[str, int]:
    parts = urlsplit(url if url is not None else mqtt_url())
    return parts.hostname or "127.0.0.1", parts.port or 1883


def topic_prefix() -> str:
    return getattr(settings, "MQTT_TOPIC_PREFIX", "branchsvc/env").strip("/")


def silent_after_seconds() -> int:
    return int(getattr(settings, "SENSOR_SILENT_AFTER_SECONDS", 300))


def min_interval_seconds() -> float:
    return float(getattr(settings, "SENSOR_MIN_INTERVAL_SECONDS", 2))
