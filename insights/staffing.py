"""Counters an hour needs, by Erlang C through the queueing engine (never re-implemented here)."""

from __future__ import annotations

from insights.kpis import SERVICE_LEVEL_TARGET, WAIT_TARGET_MINUTES
from queueing.engine import servers_needed

# Tolerance before an hour is flagged: a fraction of a counter is rounding, not a staffing problem.
UNDER_MARGIN = 0.5
OVER_MARGIN = 1.0


def counters_for(*, arrivals_per_hour: float, handling_minutes: float,
                 level: float = SERVICE_LEVEL_TARGET, target_minutes: float = WAIT_TARGET_MINUTES) -> int:
    """Fewest counters that call ``level`` of the hour's customers within ``target_minutes``."""
    if arrivals_per_hour <= 0 or handling_minutes <= 0:
        return 0
    return servers_needed(arrivals_per_hour / 60, handling_minutes, level, target_minutes)


def verdict(*, open_counters: float, needed: int) -> str:
    """'under', 'over' or '' for an hour with ``open_counters`` staffed on average."""
    if needed and open_counters < needed - UNDER_MARGIN:
        return "under"
    if open_counters > needed + OVER_MARGIN:
        return "over"
    return ""
