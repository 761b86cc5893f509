"""The incident report as a PDF (reportlab, as the e-receipt), in Chinese."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def render_incident_pdf(*, incident, checklist, trail, duration_minutes, fraud_cases=()) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{incident.branch.code} {incident.kind}")
    width, height = A4
    y = height - 20 * mm

    def line(text: str, size: int = 10, gap: float = 6) -> None:
        nonlocal y
        if y < 20 * mm:
            pdf.showPage()
            y = height - 20 * mm
        pdf.setFont(FONT, size)
        pdf.drawString(18 * mm, y, text[:90])
        y -= gap * mm

    line(_("Incident report") + f" · {incident.branch.name}", 15, 9)
    line(f"{incident.get_kind_display()} · {incident.get_level_display()}", 12, 8)
    line(
        _("Activated %(when)s by %(who)s")
        % {"when": _when(incident.activated_at), "who": incident.activated_by.get_username()}
    )
    line(
        _("Closed %(when)s by %(who)s")
        % {
            "when": _when(incident.closed_at),
            "who": incident.closed_by.get_username() if incident.closed_by else "—",
        }
    )
    line(_("Duration: %(n)s minutes") % {"n": duration_minutes})
    line(_("Ticketing") + f": {incident.get_ticketing_display()}", gap=9)
    line(_("Checklist"), 12, 7)
    for row in checklist:
        step = row["step"]
        who = step.done_by.get_username() if step.done_by else _("not done")
        late = " · " + _("late") if row["late"] else ""
        line(f"{step.position}. {step.text}")
        line(f"    {_('due')} {_when(step.due_at)} · {_('done')} {_when(step.done_at)} · {who}{late}", 9, 5)
    y -= 3 * mm
    line(_("Fraud cases opened during the incident"), 12, 7)
    for case in fraud_cases:
        channel, status = case.get_channel_display(), case.get_status_display()
        line(f"{case.ref} · {_when(case.reported_at)} · {channel} · {status}")
    if not fraud_cases:
        line(_("None."))
    y -= 3 * mm
    line(_("What happened and what was done"), 12, 7)
    for text in incident.summary.splitlines():
        for start in range(0, len(text), 45):
            line(text[start : start + 45])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
