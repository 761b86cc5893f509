"""A sensor's history as an inline SVG drawn on the server: the range of each slice as a band, its
mean as a line, the branch's thresholds dashed. No JavaScript (nothing for the CSP to block);
role="img" with a title, and the page lists the same figures in a table."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from environment.services import Limits
from environment.tiles import Bucket

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 22


def history_svg(*, title: str, buckets: list[Bucket], limits: Limits, start: dt.datetime,
                end: dt.datetime, tz, places: int) -> SafeString:
    values = [b.low for b in buckets] + [b.high for b in buckets]
    values += [float(limit) for limit in (limits.low, limits.high) if limit is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    span = (end - start).total_seconds() or 1

    def x(moment: dt.datetime) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (moment - start).total_seconds() / span

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)

    axis = HEIGHT - BOTTOM
    body = [f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end" font-size="11">{high:.{places}f}</text>',
            f'<text x="{LEFT - 4}" y="{axis}" text-anchor="end" font-size="11">{low:.{places}f}</text>',
            f'<line x1="{LEFT}" y1="{axis}" x2="{WIDTH - RIGHT}" y2="{axis}" stroke="#999"/>']
    label_format = "%m-%d %H:%M" if span > 86400 else "%H:%M"
    for i in range(5):
        moment = start + (end - start) * i / 4
        anchor = "start" if i == 0 else "end" if i == 4 else "middle"
        body.append(f'<text x="{x(moment):.1f}" y="{HEIGHT - 6}" text-anchor="{anchor}" font-size="11">'
                    f'{escape(moment.astimezone(tz).strftime(label_format))}</text>')
    for limit in (limits.low, limits.high):
        if limit is not None:
            body.append(f'<line class="limit" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(float(limit)):.1f}" '
                        f'y2="{y(float(limit)):.1f}" stroke="#c0392b" stroke-dasharray="4 3"/>')
    if buckets:
        upper = " ".join(f"{x(b.start):.1f},{y(b.high):.1f}" for b in buckets)
        lower = " ".join(f"{x(b.start):.1f},{y(b.low):.1f}" for b in reversed(buckets))
        body.append(f'<polygon class="band" points="{upper} {lower}" fill="#2e6da4" fill-opacity="0.18"/>')
        mean = " ".join(f"{x(b.start):.1f},{y(b.mean):.1f}" for b in buckets)
        body.append(f'<polyline class="mean" points="{mean}" fill="none" stroke="#2e6da4" stroke-width="2"/>')
    return mark_safe(  # noqa: S308 - every piece of text above is a number or escaped
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>{"".join(body)}</svg>')
