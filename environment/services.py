"""Writes of the environment app: the sensor registry, thresholds, readings and their alerts.

Readings are telemetry, not decisions: they are not written to the audit trail one by one (a
branch's sensors would flood it); what they cause — an alert raised or resolved — is, like every
change a person makes to sensors, thresholds and alerts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.audit import audit_record
from environment import conf
from environment.kinds import SPECS, Kind
from environment.models import AlertKind, ReadingMinute, Sensor, SensorAlert, Threshold
from queueing.alerts import Level, alert_raise
from queueing.payloads import LANGUAGES


@dataclass(frozen=True)
class Reading:
    sensor_id: int
    value: float
    at: dt.datetime


@dataclass(frozen=True)
class Limits:
    low: Decimal | None
    high: Decimal | None


# --- registry and thresholds ---------------------------------------------------------------------

@transaction.atomic
def sensor_register(*, actor, branch, key: str, kind: str, location: str = "") -> Sensor:
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of sensor from the list.")]})
    if Sensor.objects.filter(branch=branch, key=key).exists():
        raise ValidationError({"key": [_("This branch already has a sensor with this key.")]})
    sensor = Sensor.objects.create(branch=branch, key=key, kind=kind, location=location)
    audit_record(actor=actor, action="environment.sensor.register", obj=sensor, branch=branch,
                 after={"key": key, "kind": kind, "location": location})
    return sensor


@transaction.atomic
def sensor_set_active(*, actor, sensor: Sensor, active: bool) -> Sensor:
    if sensor.is_active == active:
        return sensor
    sensor.is_active = active
    sensor.save(update_fields=["is_active"])
    if not active:
        # A sensor taken out of service has nothing left to alert about.
        SensorAlert.objects.filter(sensor=sensor, resolved_at__isnull=True).update(resolved_at=timezone.now())
    action = "environment.sensor.activate" if active else "environment.sensor.deactivate"
    audit_record(actor=actor, action=action, obj=sensor, branch=sensor.branch, after={"active": active})
    return sensor


def limits_for(branch, kind: str) -> Limits:
    row = Threshold.objects.filter(branch=branch, kind=kind).first()
    if row is not None:
        return Limits(row.low, row.high)
    return Limits(SPECS[kind].low, SPECS[kind].high)


def all_limits(branch) -> dict[str, Limits]:
    rows = {row.kind: Limits(row.low, row.high) for row in Threshold.objects.filter(branch=branch)}
    return {kind: rows.get(kind, Limits(SPECS[kind].low, SPECS[kind].high)) for kind in Kind.values}


@transaction.atomic
def threshold_set(*, actor, branch, kind: str, low: Decimal | None, high: Decimal | None) -> Threshold:
    spec = SPECS[kind]
    errors: dict[str, list] = {}
    for name, value in (("low", low), ("high", high)):
        if value is not None and not spec.plausible[0] <= value <= spec.plausible[1]:
            errors[name] = [_("Between %(low)s and %(high)s %(unit)s, please.")
                            % {"low": spec.plausible[0], "high": spec.plausible[1], "unit": spec.label}]
    if low is None and high is None:
        errors["high"] = [_("Give a lowest value, a highest value, or both.")]
    elif low is not None and high is not None and low >= high:
        errors["high"] = [_("The highest value must be above the lowest.")]
    if errors:
        raise ValidationError(errors)
    before = limits_for(branch, kind)
    threshold, _created = Threshold.objects.update_or_create(branch=branch, kind=kind,
                                                             defaults={"low": low, "high": high})
    audit_record(actor=actor, action="environment.threshold.set", obj=threshold, branch=branch,
                 before={"low": _text(before.low), "high": _text(before.high)},
                 after={"kind": kind, "low": _text(low), "high": _text(high)})
    return threshold


@transaction.atomic
def thresholds_set(*, actor, branch, limits: dict[str, tuple[Decimal | None, Decimal | None]]) -> int:
    """Several kinds at once, all or none: errors come back keyed `<kind>-<low|high>`. Returns how
    many kinds changed (unchanged ones are not written or audited)."""
    current, errors, changed = all_limits(branch), {}, 0
    for kind, (low, high) in limits.items():
        if Limits(low, high) == current[kind]:
            continue
        try:
            threshold_set(actor=actor, branch=branch, kind=kind, low=low, high=high)
            changed += 1
        except ValidationError as error:
            errors.update({f"{kind}-{field}": messages for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return changed


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- readings -------------------------------------------------------------------------------------

@transaction.atomic
def readings_store(*, readings: list[Reading]) -> int:
    """Fold a batch of validated readings into the per-minute rows, then judge each sensor's
    latest value against its branch's thresholds. Returns how many readings were stored."""
    if not readings:
        return 0
    by_minute: dict[tuple[int, dt.datetime], list[Reading]] = defaultdict(list)
    latest: dict[int, Reading] = {}
    for reading in readings:
        by_minute[(reading.sensor_id, reading.at.replace(second=0, microsecond=0))].append(reading)
        if reading.sensor_id not in latest or reading.at >= latest[reading.sensor_id].at:
            latest[reading.sensor_id] = reading
    for (sensor_id, minute), group in by_minute.items():
        _fold(sensor_id, minute, group)
    sensors = Sensor.objects.select_related("branch").in_bulk(latest)
    for sensor_id, reading in latest.items():
        sensor = sensors[sensor_id]
        if sensor.last_seen_at is None or reading.at > sensor.last_seen_at:
            sensor.last_seen_at = reading.at
            sensor.save(update_fields=["last_seen_at"])
        _judge(sensor, reading)
    return len(readings)


def _fold(sensor_id: int, minute: dt.datetime, group: list[Reading]) -> None:
    values = [reading.value for reading in group]
    last = sorted(group, key=lambda reading: reading.at)[-1].value  # ties: the later arrival
    row, created = ReadingMinute.objects.get_or_create(
        sensor_id=sensor_id, minute=minute,
        defaults={"count": len(values), "total": sum(values), "low": min(values), "high": max(values),
                  "last": last})
    if not created:
        ReadingMinute.objects.filter(pk=row.pk).update(
            count=F("count") + len(values), total=F("total") + sum(values),
            low=Least(F("low"), min(values)), high=Greatest(F("high"), max(values)), last=last)


def _judge(sensor: Sensor, reading: Reading) -> None:
    _resolve(sensor, AlertKind.SILENT, reading.at)
    limits = limits_for(sensor.branch, sensor.kind)
    above = limits.high is not None and reading.value > limits.high
    below = limits.low is not None and reading.value < limits.low
    if above:
        _raise(sensor, AlertKind.TOO_HIGH, at=reading.at, value=reading.value, limit=limits.high)
    else:
        _resolve(sensor, AlertKind.TOO_HIGH, reading.at)
    if below:
        _raise(sensor, AlertKind.TOO_LOW, at=reading.at, value=reading.value, limit=limits.low)
    else:
        _resolve(sensor, AlertKind.TOO_LOW, reading.at)


def _raise(sensor: Sensor, kind: str, *, at: dt.datetime, value: float | None = None,
           limit: Decimal | None = None) -> SensorAlert | None:
    if SensorAlert.objects.filter(sensor=sensor, kind=kind, resolved_at__isnull=True).exists():
        return None
    alert = SensorAlert.objects.create(branch=sensor.branch, sensor=sensor, kind=kind, value=value,
                                       limit=limit, raised_at=at)
    audit_record(actor=None, action="environment.alert.raise", obj=alert, branch=sensor.branch,
                 after={"sensor": sensor.key, "kind": kind, "value": value, "limit": _text(limit)})
    transaction.on_commit(lambda: _to_dashboard(alert))
    return alert


def _to_dashboard(alert: SensorAlert) -> None:
    from django.utils import translation


    text = {}
    for language in LANGUAGES:
        with translation.override(language):
            text[language] = alert.text
    alert_raise(branch=alert.branch, kind=f"environment.{alert.kind}",
                level=Level.WARNING if alert.kind == AlertKind.SILENT else Level.CRITICAL, text=text)


def _resolve(sensor: Sensor, kind: str, at: dt.datetime) -> None:
    for alert in SensorAlert.objects.filter(sensor=sensor, kind=kind, resolved_at__isnull=True):
        alert.resolved_at = at
        alert.save(update_fields=["resolved_at"])
        audit_record(actor=None, action="environment.alert.resolve", obj=alert, branch=sensor.branch,
                     after={"sensor": sensor.key, "kind": kind})


@transaction.atomic
def sensors_mark_silent(*, now: dt.datetime | None = None) -> list[SensorAlert]:
    """Beat: every active sensor not heard from for SENSOR_SILENT_AFTER_SECONDS raises one alert
    (a sensor never heard from counts from when it was registered). Running it twice alerts once."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=conf.silent_after_seconds())
    quiet = (Sensor.objects.select_related("branch").filter(is_active=True)
             .exclude(last_seen_at__gte=limit).exclude(last_seen_at__isnull=True, created_at__gte=limit)
             .exclude(alerts__kind=AlertKind.SILENT, alerts__resolved_at__isnull=True))
    raised = [_raise(sensor, AlertKind.SILENT, at=now) for sensor in quiet]
    return [alert for alert in raised if alert is not None]


@transaction.atomic
def sensor_alert_acknowledge(*, actor, alert: SensorAlert) -> SensorAlert:
    alert = SensorAlert.objects.select_for_update().select_related("sensor", "branch").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been acknowledged."), code="already_acknowledged")
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="environment.alert.acknowledge", obj=alert, branch=alert.branch,
                 after={"sensor": alert.sensor.key, "kind": alert.kind})
    return alert
