"""Demo sensors for every demo branch, with the last day of readings so the charts are not empty;
`manage.py sensor_sim` then keeps them live (and `--spike co2` shows an alert)."""

import datetime as dt
import random

from django.utils import timezone

from branches.models import Branch
from environment.kinds import Kind
from environment.models import ReadingMinute, Sensor
from environment.services import sensor_register
from environment.simulate import reading

SENSORS = [("lobby-temp", Kind.TEMPERATURE, "大堂"), ("lobby-humidity", Kind.HUMIDITY, "大堂"),
           ("lobby-pm25", Kind.PM25, "大堂"), ("lobby-co2", Kind.CO2, "大堂"),
           ("lobby-noise", Kind.NOISE, "大堂"), ("counter-light", Kind.LIGHT, "柜台区")]


def seed(*, stdout) -> None:
    rng = random.Random(25)
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for branch in Branch.objects.order_by("code"):
        for key, kind, location in SENSORS:
            sensor = sensor_register(actor=None, branch=branch, key=key, kind=kind, location=location)
            for minutes in range(24 * 60, 0, -1):
                at = now - dt.timedelta(minutes=minutes)
                local = at.astimezone(branch.tz)
                value = reading(kind, local.hour + local.minute / 60, rng)
                rows.append(ReadingMinute(sensor=sensor, minute=at, count=1, total=value, low=value,
                                          high=value, last=value))
        Sensor.objects.filter(branch=branch).update(last_seen_at=now - dt.timedelta(minutes=1))
    ReadingMinute.objects.bulk_create(rows, batch_size=5000)
    stdout.write(f"environment: {len(SENSORS)} sensors per branch with a day of readings; `make run` keeps "
                 "them live (`serve --demo-sensors`); over MQTT: `manage.py sensor_sim --spike co2` "
                 "for an alert")
