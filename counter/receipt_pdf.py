"""The e-receipt as a PDF, drawn with reportlab's built-in CID font so no font file ships."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # the values: Chinese (simplified) and Latin
# The receipt's own words in Japanese or Korean need those scripts' fonts (STSong has no Hangul and
# no kana); the values stay in STSong, which has the simplified characters the others lack.
LABEL_FONTS = {"ja": "HeiseiMin-W3", "ko": "HYSMyeongJo-Medium"}
for _font in (FONT, *LABEL_FONTS.values()):
    pdfmetrics.registerFont(UnicodeCIDFont(_font))


@dataclass
class ReceiptContent:
    """Everything printed, already translated and masked by the caller."""

    title: str
    number: str
    lines: list[tuple[str, str]]  # (label, value) in the header block
    form_heading: str
    form_rows: list[tuple[str, ...]] = field(default_factory=list)  # (label, value[, how checked])
    signature_png: bytes | None = None
    signature_caption: str = ""
    footer: str = ""
    language: str = "zh-hans"  # of the receipt's own words (title, labels, captions)

    @property
    def label_font(self) -> str:
        return LABEL_FONTS.get(self.language, FONT)


def render_pdf(content: ReceiptContent) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=1)
    pdf.setTitle(f"{content.title} {content.number}")
    width, height = A5
    y = height - 18 * mm
    pdf.setFont(content.label_font, 15)
    pdf.drawCentredString(width / 2, y, content.title)
    y -= 10 * mm
    y = _rows(pdf, content, content.lines, y, height)
    y -= 4 * mm
    pdf.setFont(content.label_font, 11)
    pdf.drawString(14 * mm, y, content.form_heading)
    y -= 2 * mm
    pdf.line(14 * mm, y, width - 14 * mm, y)
    y -= 6 * mm
    y = _rows(pdf, content, content.form_rows, y, height)
    if content.signature_png:
        y = _signature(pdf, content, y, height)
    pdf.setFont(content.label_font, 7)
    pdf.drawString(14 * mm, 10 * mm, content.footer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _rows(pdf: canvas.Canvas, content: ReceiptContent, rows: list[tuple[str, ...]], y: float,
          height: float) -> float:
    for label, value, *check in rows:
        if y < 30 * mm:
            pdf.showPage()
            y = height - 18 * mm
        pdf.setFont(content.label_font, 9)
        pdf.drawString(14 * mm, y, label)
        pdf.setFont(_value_font(content, value), 9)
        pdf.drawString(52 * mm, y, value[:30] if check else value[:60])
        if check:
            pdf.setFont(content.label_font, 7)
            pdf.drawString(100 * mm, y, check[0][:24])
        y -= 6 * mm
    return y


def _value_font(content: ReceiptContent, value: str) -> str:
    """A value in the receipt's own Japanese or Korean words (the outcome: 완료) takes their font;
    the bank's content and the customer's entries (Chinese, Latin) take STSong."""
    if content.label_font != FONT and any(_kana_or_hangul(ch) for ch in value):
        return content.label_font
    return FONT


def _kana_or_hangul(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af" or "\u1100" <= ch <= "\u11ff"


def _signature(pdf: canvas.Canvas, content: ReceiptContent, y: float, height: float) -> float:
    if y < 50 * mm:
        pdf.showPage()
        y = height - 18 * mm
    pdf.setFont(content.label_font, 9)
    pdf.drawString(14 * mm, y, content.signature_caption)
    image = ImageReader(io.BytesIO(content.signature_png))
    pdf.drawImage(
        image, 14 * mm, y - 27 * mm, width=60 * mm, height=24 * mm, preserveAspectRatio=True, mask="auto"
    )
    return y - 32 * mm
