"""Reading head office's file of the State Council's holiday notice: one line per day,
`date,kind,name` (a header line is allowed). Every problem is reported with its line number, and
a file with any problem is refused as a whole."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branches.models import ScheduleDay

# Words head office may use in the kind column besides the codes.
KIND_WORDS = {
    "holiday": ScheduleDay.Kind.HOLIDAY, "休": ScheduleDay.Kind.HOLIDAY,
    "假": ScheduleDay.Kind.HOLIDAY, "放假": ScheduleDay.Kind.HOLIDAY,
    "makeup_workday": ScheduleDay.Kind.MAKEUP_WORKDAY, "workday": ScheduleDay.Kind.MAKEUP_WORKDAY,
    "班": ScheduleDay.Kind.MAKEUP_WORKDAY, "上班": ScheduleDay.Kind.MAKEUP_WORKDAY,
    "调休上班": ScheduleDay.Kind.MAKEUP_WORKDAY,
}
MAX_LINES = 400


@dataclass(frozen=True)
class ScheduleRow:
    date: dt.date
    kind: str
    name: str

    def as_line(self) -> str:
        return f"{self.date.isoformat()},{self.kind},{self.name}"


@dataclass
class ParsedSchedule:
    year: int | None = None
    rows: list[ScheduleRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def holidays(self) -> list[ScheduleRow]:
        return [row for row in self.rows if row.kind == ScheduleDay.Kind.HOLIDAY]

    @property
    def makeup_workdays(self) -> list[ScheduleRow]:
        return [row for row in self.rows if row.kind == ScheduleDay.Kind.MAKEUP_WORKDAY]


def schedule_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GB18030
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _row(cells: list[str], line: int, seen: dict[dt.date, int]) -> tuple[ScheduleRow | None, str]:
    if len(cells) != 3:
        return None, _("Expected three columns: date, kind, name.")
    raw_date, raw_kind, name = (cell.strip() for cell in cells)
    try:
        day = dt.date.fromisoformat(raw_date)
    except ValueError:
        return None, _("“%(value)s” is not a date like 2027-02-08.") % {"value": raw_date}
    kind = KIND_WORDS.get(raw_kind.lower())
    if kind is None:
        return None, _("“%(value)s” is not a kind: use holiday or makeup_workday.") % {
            "value": raw_kind}
    if not name:
        return None, _("Give the holiday's name.")
    if len(name) > 100:
        return None, _("The name is longer than 100 characters.")
    if day in seen:
        return None, _("%(date)s is already on line %(line)s.") % {"date": day, "line": seen[day]}
    if kind == ScheduleDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
        return None, _("%(date)s is a weekday: only a Saturday or Sunday can be a make-up "
                       "working day.") % {"date": day}
    seen[day] = line
    return ScheduleRow(day, kind, name), ""


def schedule_parse(data: bytes | str) -> ParsedSchedule:
    """Validate a schedule file; `errors` lists (line number, message), empty when it is good."""
    parsed = ParsedSchedule()
    seen: dict[dt.date, int] = {}
    lines = list(csv.reader(io.StringIO(schedule_text(data))))
    if len(lines) > MAX_LINES:
        parsed.errors.append((MAX_LINES + 1, _("The file has more than %(max)s lines.")
                              % {"max": MAX_LINES}))
        return parsed
    for number, cells in enumerate(lines, start=1):
        if not any(cell.strip() for cell in cells) or cells[0].strip().startswith("#"):
            continue
        if number == 1 and cells[0].strip().lower() in ("date", "日期"):
            continue
        row, error = _row(cells, number, seen)
        if error:
            parsed.errors.append((number, error))
            continue
        if parsed.year is None:
            parsed.year = row.date.year
        elif row.date.year != parsed.year:
            parsed.errors.append((number, _("One file holds one year: %(date)s is not in "
                                            "%(year)s.") % {"date": row.date, "year": parsed.year}))
            continue
        parsed.rows.append(row)
    if not parsed.errors and not parsed.holidays:
        parsed.errors.append((0, _("The file lists no holidays.")))
    parsed.rows.sort(key=lambda row: row.date)
    return parsed
