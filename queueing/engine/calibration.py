"""Quotes that correct themselves: the estimator's known optimism, measured and divided out.

``estimate_waits`` cannot see customers who have not arrived yet, so a later arrival with a
higher priority (a VIP, an on-time appointment, an older customer) overtakes and the quote comes
out optimistic; customers who take longer than the learned average add to it. The branch records,
per channel, what it quoted and what the wait turned out to be for the last tickets called, and
scales new quotes by the ratio of the two (blended with 1.0 by a prior, bounded).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .types import Channel


@dataclass
class QuoteCalibration:
    window: int = 60  # tickets per channel remembered
    prior_minutes: float = 10.0  # weight of the neutral ratio 1.0, in minutes of quotes
    bounds: tuple[float, float] = (0.8, 2.0)
    _samples: dict[Channel, deque[tuple[float, float]]] = field(default_factory=dict)

    def record(self, channel: Channel, *, quoted: float, waited: float) -> None:
        samples = self._samples.setdefault(channel, deque(maxlen=self.window))
        samples.append((quoted, waited))

    def ratio(self, channel: Channel) -> float:
        samples = self._samples.get(channel, ())
        quoted = sum(q for q, _ in samples) + self.prior_minutes
        waited = sum(w for _, w in samples) + self.prior_minutes
        low, high = self.bounds
        return min(high, max(low, waited / quoted))

    def adjust(self, channel: Channel, quote: float | None) -> float | None:
        """The quote to show; None stays None (no open channel)."""
        return None if quote is None else round(quote * self.ratio(channel), 1)
