"""Reads of submitted inspections: scores by branch and section (the heat map insights shows
head office), by item, and each branch's scores over time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from branches.models import Branch
from quality.models import Answer, ChecklistItem, Inspection, Section, Status
from quality.scoring import level, weighted_score


@dataclass
class Cell:
    score: Decimal | None
    level: str
    inspections: int = 0


@dataclass
class HeatRow:
    branch: Branch
    overall: Cell
    cells: list[Cell] = field(default_factory=list)


@dataclass
class HeatMap:
    start: dt.date
    end: dt.date
    sections: list[tuple[str, str]]
    rows: list[HeatRow]


def _answers(start: dt.date, end: dt.date, branches: QuerySet[Branch] | None = None):
    rows = Answer.objects.filter(
        inspection__status=Status.SUBMITTED,
        inspection__submitted_at__date__gte=start,
        inspection__submitted_at__date__lte=end,
    )
    if branches is not None:
        rows = rows.filter(inspection__branch__in=branches)
    return rows.values_list(
        "inspection__branch_id", "inspection_id", "item__section", "item__code", "result", "item__weight"
    )


def heat_map(*, start: dt.date, end: dt.date, branches: QuerySet[Branch] | None = None) -> HeatMap:
    """Branches × sections: the weighted score of every answer submitted in the period (local dates)."""
    pairs: dict[tuple[int, str], list] = defaultdict(list)
    overall: dict[int, list] = defaultdict(list)
    counted: dict[int, set] = defaultdict(set)
    for branch_id, inspection_id, section, _code, result, weight in _answers(start, end, branches):
        pairs[(branch_id, section)].append((result, weight))
        overall[branch_id].append((result, weight))
        counted[branch_id].add(inspection_id)
    rows = []
    for branch in Branch.objects.filter(pk__in=overall).order_by("code"):
        total = weighted_score(overall[branch.pk])
        row = HeatRow(branch=branch, overall=Cell(total, level(total), len(counted[branch.pk])))
        for section in Section.values:
            score = weighted_score(pairs.get((branch.pk, section), []))
            row.cells.append(Cell(score, level(score)))
        rows.append(row)
    return HeatMap(start, end, [(value, str(label)) for value, label in Section.choices], rows)


@dataclass
class ItemRow:
    code: str
    text: str
    section: str
    answered: int
    failed: int
    score: Decimal | None
    level: str


def item_scores(*, start: dt.date, end: dt.date, branches: QuerySet[Branch] | None = None) -> list[ItemRow]:
    """Each checklist item (by code, across versions), worst first."""
    results: dict[str, list] = defaultdict(list)
    for _branch, _inspection, _section, code, result, weight in _answers(start, end, branches):
        results[code].append((result, weight))
    latest: dict[str, ChecklistItem] = {}
    for item in ChecklistItem.objects.filter(code__in=results).order_by("code", "-version__number"):
        latest.setdefault(item.code, item)
    rows = []
    for code, pairs in results.items():
        score = weighted_score(pairs)
        item = latest[code]
        rows.append(
            ItemRow(
                code,
                item.text,
                item.get_section_display(),
                len(pairs),
                sum(1 for result, _w in pairs if result == "fail"),
                score,
                level(score),
            )
        )
    return sorted(rows, key=lambda r: (r.score is None, r.score if r.score is not None else 0, r.code))


def branch_history(
    *, start: dt.date, end: dt.date, branches: QuerySet[Branch] | None = None
) -> QuerySet[Inspection]:
    """Submitted inspections in the period, newest first: the scores over time."""
    rows = Inspection.objects.filter(
        status=Status.SUBMITTED, submitted_at__date__gte=start, submitted_at__date__lte=end
    ).select_related("branch", "checklist_version")
    if branches is not None:
        rows = rows.filter(branch__in=branches)
    return rows.order_by("-submitted_at")
