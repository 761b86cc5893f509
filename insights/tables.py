"""Tables behind the pages: the same rows render as HTML and export as CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.http import HttpResponse

from insights import kpis


@dataclass(frozen=True)
class Cell:
    raw: object
    text: str
    link: str = ""
    css: str = ""


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def cell(value, text: str | None = None, *, link: str = "", css: str = "") -> Cell:
    return Cell(value, str(value) if text is None else text, link, css)


def kpi_cells(values) -> list[Cell]:
    return [Cell(_raw(kpi, value), kpis.display(kpi, value)) for kpi, value in values]


def _raw(kpi, value):
    if value is None:
        return ""
    return round(value, 4) if isinstance(value, float) else value


def kpi_header(values) -> list[str]:
    return [str(kpi.label) for kpi, _ in values]


def as_csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table.key}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 (Chinese names) correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([c.raw for c in row])
    return response
