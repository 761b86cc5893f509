"""A minimal RFC 5545 calendar file for one appointment (no dependency needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PRODID = "-//branchsvc//appointments//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    alarm_before: timedelta | None = timedelta(hours=1)
    cancelled: bool = False
    sequence: int = 0


def calendar_file(event: CalendarEvent, *, stamp: datetime) -> bytes:
    """The .ics file content: CRLF lines, folded at 75 octets, times in UTC."""
    method = "CANCEL" if event.cancelled else "PUBLISH"
    return _calendar(_event_lines(event, stamp=stamp), method=method)


def calendar_feed(events: list[CalendarEvent], *, stamp: datetime, name: str) -> bytes:
    """A subscribable calendar of many events; a cancelled one stays with STATUS:CANCELLED so a
    calendar that polls the feed removes it."""
    lines = [f"X-WR-CALNAME:{_text(name)}", "REFRESH-INTERVAL;VALUE=DURATION:PT1H"]
    for event in events:
        lines += _event_lines(event, stamp=stamp)
    return _calendar(lines, method="PUBLISH")


def _calendar(body: list[str], *, method: str) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *body,
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _event_lines(event: CalendarEvent, *, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(event.uid)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.alarm_before and not event.cancelled:
        minutes = int(event.alarm_before.total_seconds() // 60)
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(event.summary)}",
            f"TRIGGER:-PT{minutes}M",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    # 75 octets per line, never splitting a multi-byte UTF-8 character (Chinese text is 3 octets).
    parts: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            parts.append(current)
            current = ch
            limit = 74  # continuation lines start with a space
        else:
            current += ch
    parts.append(current)
    return "\r\n ".join(parts)
