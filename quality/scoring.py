"""Scores: the weighted share of points earned on the items that applied. Pass earns the item's
weight, partly half of it, fail nothing; not-applicable items leave the sum altogether."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from quality.models import CREDIT, Result

ONE_PLACE = Decimal("0.1")


def weighted_score(pairs: Iterable[tuple[str, int]]) -> Decimal | None:
    """`pairs` are (result, weight); None when nothing applied."""
    earned = possible = Decimal(0)
    for result, weight in pairs:
        if result == Result.NA:
            continue
        possible += weight
        earned += CREDIT[Result(result)] * weight
    if not possible:
        return None
    return (earned * 100 / possible).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# Colour bands of the heat map and score badges: at or above 90 good, 75 to 90 watch, below 75 act.
GOOD, WATCH = Decimal(90), Decimal(75)


def level(score: Decimal | None) -> str:
    if score is None:
        return "none"
    return "ok" if score >= GOOD else "warn" if score >= WATCH else "bad"
