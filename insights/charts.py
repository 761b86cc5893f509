"""Server-side SVG charts: no JavaScript, nothing for the CSP to block, readable by screen readers
(role="img" with a title; every chart is followed by its table on the page)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640


def _svg(title: str, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every piece of text below is escaped
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def heatmap(*, title: str, rows: list[str], columns: list[str], values: list[list[float]]) -> SafeString:
    top, left, cell_h = 20, 60, 24
    cell_w = (WIDTH - left - 10) / max(len(columns), 1)
    peak = max((v for row in values for v in row), default=0) or 1
    body = []
    for c, label in enumerate(columns):
        body.append(f'<text x="{left + c * cell_w + cell_w / 2:.1f}" y="14" text-anchor="middle" '
                    f'font-size="11">{escape(label)}</text>')
    for r, label in enumerate(rows):
        y = top + r * cell_h
        body.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" font-size="12">'
                    f'{escape(label)}</text>')
        for c, value in enumerate(values[r]):
            shade = value / peak
            body.append(
                f'<rect x="{left + c * cell_w:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" '
                f'fill="rgb({int(235 - 200 * shade)},{int(242 - 140 * shade)},{int(250 - 60 * shade)})">'
                f'<title>{escape(label)} {escape(columns[c])}: {value:.1f}</title></rect>')
    return _svg(title, top + len(rows) * cell_h + 4, body)


def bars(*, title: str, labels: list[str], values: list[float],
         highlight_from: int | None = None) -> SafeString:
    height, bottom, left = 200, 24, 40
    peak = max(values, default=0) or 1
    width = (WIDTH - left - 10) / max(len(values), 1)
    body = [f'<text x="{left - 4}" y="14" text-anchor="end" font-size="11">{peak:g}</text>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - bottom - 10) * value / peak
        colour = "#c0392b" if highlight_from is not None and i >= highlight_from else "#2e6da4"
        x = left + i * width
        body.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{width - 4:.1f}" '
                    f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}: {value:g}</title></rect>')
        body.append(f'<text x="{x + width / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                    f'font-size="11">{escape(label)}</text>')
    return _svg(title, height, body)


def lines(*, title: str, labels: list[str], series: list[tuple[str, list[float | None]]]) -> SafeString:
    height, bottom, left = 220, 24, 40
    peak = max((v for _, values in series for v in values if v is not None), default=0) or 1
    step = (WIDTH - left - 10) / max(len(labels) - 1, 1)
    colours = ["#2e6da4", "#27ae60", "#c0392b", "#8e44ad"]
    body = [f'<text x="{left - 4}" y="14" text-anchor="end" font-size="11">{peak:g}</text>']
    for s, (name, values) in enumerate(series):
        points = " ".join(f"{left + i * step:.1f},{height - bottom - (height - bottom - 10) * v / peak:.1f}"
                          for i, v in enumerate(values) if v is not None)
        colour = colours[s % len(colours)]
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                    f'<title>{escape(name)}</title></polyline>')
        body.append(f'<text x="{left + 40 + s * 180}" y="12" font-size="11" fill="{colour}">'
                    f'{escape(name)}</text>')
    if labels:
        body.append(f'<text x="{left}" y="{height - bottom + 12}" font-size="10">{escape(labels[0])}</text>')
        body.append(f'<text x="{WIDTH - 10}" y="{height - bottom + 12}" text-anchor="end" '
                    f'font-size="10">{escape(labels[-1])}</text>')
    return _svg(title, height, body)
