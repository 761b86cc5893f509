"""What each kind of sensor measures: its unit, the range a working sensor can report, and the
standard's comfortable range that a branch's thresholds start from."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    TEMPERATURE = "temperature", pgettext_lazy("sensor", "Temperature")
    HUMIDITY = "humidity", pgettext_lazy("sensor", "Humidity")
    PM25 = "pm25", _("PM2.5")
    CO2 = "co2", _("CO₂")
    NOISE = "noise", pgettext_lazy("sensor", "Noise")
    LIGHT = "light", pgettext_lazy("sensor", "Light")


@dataclass(frozen=True)
class Spec:
    unit: str  # what a sensor sends in its payload (ASCII)
    label: str  # what a person reads
    plausible: tuple[float, float]  # outside it the sensor is broken, not the room
    low: Decimal | None  # default comfortable range
    high: Decimal | None
    places: int


SPECS: dict[str, Spec] = {
    Kind.TEMPERATURE: Spec("C", "°C", (-40, 85), Decimal("18"), Decimal("27"), 1),
    Kind.HUMIDITY: Spec("%", "%", (0, 100), Decimal("30"), Decimal("70"), 0),
    Kind.PM25: Spec("ug/m3", "µg/m³", (0, 1000), None, Decimal("75"), 0),
    Kind.CO2: Spec("ppm", "ppm", (250, 10000), None, Decimal("1000"), 0),
    Kind.NOISE: Spec("dB", "dB", (20, 140), None, Decimal("60"), 0),
    Kind.LIGHT: Spec("lx", "lx", (0, 100000), Decimal("300"), None, 0),
}


def format_value(kind: str, value: float | None) -> str:
    return "–" if value is None else f"{value:.{SPECS[kind].places}f}"
