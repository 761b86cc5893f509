"""QR codes for booking codes, rendered as inline SVG with segno."""

from __future__ import annotations

import segno

# The QR carries a short URI, not just the code, so a kiosk scanner can tell it apart from
# other QR codes (e.g. a payment code) shown by mistake.
SCHEME = "BRANCHSVC:APPT:"


def qr_payload(code: str) -> str:
    return f"{SCHEME}{code}"


def code_from_scan(scanned: str) -> str:
    """The booking code in a scanned QR payload (or the text itself when typed by hand)."""
    text = scanned.strip()
    if text.upper().startswith(SCHEME):
        return text[len(SCHEME) :]
    return text


def qr_svg(code: str, *, scale: int = 6) -> str:
    """An inline ``<svg>`` element (no XML declaration) for embedding in a page."""
    # Uppercase alphanumerics fit QR's compact alphanumeric mode.
    qr = segno.make_qr(qr_payload(code), error="m")
    return qr.svg_inline(scale=scale, dark="#111", light="#fff", title=code)
