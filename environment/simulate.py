"""Readings a branch's sensors plausibly send over a day: slow drift, a daily swing, the lobby
filling up towards noon (CO₂ and noise rise with people), small sensor noise."""

from __future__ import annotations

import math
import random

from environment.kinds import Kind

# (base, daily swing, people effect, noise) per kind
_SHAPE = {
    Kind.TEMPERATURE: (22.5, 1.5, 1.0, 0.1),
    Kind.HUMIDITY: (48.0, 6.0, 4.0, 0.5),
    Kind.PM25: (28.0, 10.0, 6.0, 1.5),
    Kind.CO2: (480.0, 40.0, 380.0, 8.0),
    Kind.NOISE: (42.0, 2.0, 12.0, 1.0),
    Kind.LIGHT: (520.0, 60.0, 0.0, 6.0),
}


def occupancy(hour: float) -> float:
    """0 before opening and after closing, rising to 1 around 10:30 and 15:00."""
    if not 9 <= hour <= 17:
        return 0.0
    return max(math.exp(-((hour - 10.5) ** 2) / 1.2), 0.8 * math.exp(-((hour - 15) ** 2) / 1.5))


def reading(kind: str, hour: float, rng: random.Random, *, spike: float = 0.0) -> float:
    base, swing, people, noise = _SHAPE[kind]
    value = (base + swing * math.sin((hour - 9) / 24 * 2 * math.pi) + people * occupancy(hour)
             + rng.gauss(0, noise))
    value += spike
    return round(max(value, 0.0), 1)


SPIKES = {Kind.TEMPERATURE: 9.0, Kind.HUMIDITY: 35.0, Kind.PM25: 90.0, Kind.CO2: 900.0,
          Kind.NOISE: 30.0, Kind.LIGHT: -400.0}
