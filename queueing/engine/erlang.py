"""Erlang C (M/M/c): forecasts and staffing. Rates per minute, times in minutes."""

from __future__ import annotations

import math


def erlang_c(arrival_rate: float, mean_service_time: float, servers: int) -> tuple[float, float]:
    """(probability an arrival waits, mean wait in queue Wq)."""
    if servers <= 0:
        raise ValueError("servers must be positive")
    load = arrival_rate * mean_service_time  # offered traffic in Erlangs
    if load <= 0:
        return 0.0, 0.0
    if load >= servers:
        return 1.0, math.inf
    # Erlang B by its stable recurrence, then C from B (no factorials, no overflow).
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    p_wait = servers * blocking / (servers - load * (1 - blocking))
    wq = p_wait * mean_service_time / (servers - load)
    return p_wait, wq


def service_level(arrival_rate: float, mean_service_time: float, servers: int, target_time: float) -> float:
    """Fraction of arrivals that wait no longer than ``target_time``."""
    p_wait, _ = erlang_c(arrival_rate, mean_service_time, servers)
    load = arrival_rate * mean_service_time
    if load >= servers:
        return 0.0
    return 1.0 - p_wait * math.exp(-(servers - load) * target_time / mean_service_time)


def servers_needed(
    arrival_rate: float,
    mean_service_time: float,
    target_service_level: float,
    target_time: float,
    *,
    max_servers: int = 1000,
) -> int:
    """Fewest servers meeting the service level (e.g. 0.8 within 15 minutes)."""
    servers = max(1, math.floor(arrival_rate * mean_service_time) + 1)
    while servers <= max_servers:
        if service_level(arrival_rate, mean_service_time, servers, target_time) >= (target_service_level):
            return servers
        servers += 1
    raise ValueError("target service level not reachable")
