"""Learned handling time per service and channel: robust to outliers, catalog target as prior."""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Iterable, Mapping

from .types import Channel, ServiceProfile

UNKNOWN_SERVICE_MINUTES = 10.0
# 1.4826 × MAD estimates the standard deviation of normal data; 3 of those is the usual
# outlier fence.
MAD_SCALE = 1.4826
OUTLIER_FENCE = 3.0


def robust_mean(samples: Iterable[float]) -> float:
    values = list(samples)
    if len(values) < 3:
        return statistics.fmean(values)
    median = statistics.median(values)
    mad = MAD_SCALE * statistics.median(abs(v - median) for v in values)
    if mad == 0:
        return median
    inliers = [v for v in values if abs(v - median) <= OUTLIER_FENCE * mad]
    return statistics.fmean(inliers)


class ServiceTimeModel:
    def __init__(
        self,
        catalog: Mapping[str, ServiceProfile],
        *,
        window: int = 50,
        prior_weight: float = 5,
    ) -> None:
        self.catalog = dict(catalog)
        self.window = window
        self.prior_weight = prior_weight
        self._samples: dict[tuple[str, Channel], deque[float]] = {}
        self._cache: dict[tuple[str, Channel], float] = {}

    @classmethod
    def from_history(
        cls,
        catalog: Mapping[str, ServiceProfile],
        samples: Iterable[tuple[str, Channel | str, float]],
        **options,
    ) -> ServiceTimeModel:
        model = cls(catalog, **options)
        for service_code, channel, minutes in samples:
            model.record(service_code, Channel(channel), minutes)
        return model

    def record(self, service_code: str, channel: Channel, minutes: float) -> None:
        if minutes < 0:
            return
        key = (service_code, channel)
        self._samples.setdefault(key, deque(maxlen=self.window)).append(minutes)
        self._cache.pop(key, None)

    def sample_count(self, service_code: str, channel: Channel) -> int:
        return len(self._samples.get((service_code, channel), ()))

    def expected(self, service_code: str, channel: Channel) -> float:
        key = (service_code, channel)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._compute(service_code, channel)
        return cached

    def _compute(self, service_code: str, channel: Channel) -> float:
        profile = self.catalog.get(service_code)
        prior = profile.target_on(channel) if profile else UNKNOWN_SERVICE_MINUTES
        samples = self._samples.get((service_code, channel))
        if not samples:
            return prior
        n = len(samples)
        return (n * robust_mean(samples) + self.prior_weight * prior) / (n + self.prior_weight)
