"""OCR proposals from a document photo (ID card, bill).

OCR only *proposes*: the customer sees each proposal next to the field and confirms it, and only
confirmed values are written (by `counter.services.form_save` like any typed value).
Tesseract with the Debian `chi_sim` pack reads the text; the parsing below is deliberately plain.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass

from counter import formschema

TARGET_TYPES = {"text", "address", "resident_id", "phone", "card_number"}
# Text fields are found by their own label (or `ocr_label`); an ID card says 住址 for any address.
DEFAULT_LABELS = {"address": ["住址", "地址", "Address"]}


@dataclass(frozen=True)
class Proposal:
    field: str
    value: str
    source_text: str


def available() -> bool:
    return shutil.which("tesseract") is not None


def read_text(image_bytes: bytes, *, languages: str = "chi_sim+eng") -> str:
    import pytesseract  # imported late: hosts without Tesseract still import this module
    from PIL import Image

    image = Image.open(io.BytesIO(image_bytes)).convert("L")
    return pytesseract.image_to_string(image, lang=languages, timeout=30)


def propose(fields: list[dict], text: str) -> list[Proposal]:
    """Values for the form's fields found in OCR text; only values that pass the field's own checks."""
    proposals = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    squeezed = re.sub(r"\s+", "", text)
    for f in formschema.parse(fields):
        if f.type not in TARGET_TYPES or not f.spec.get("ocr", True):
            continue
        for candidate, source in _candidates(f, lines, squeezed):
            try:
                value = formschema.clean_value(f, candidate)
            except formschema.FieldProblem:
                continue
            proposals.append(Proposal(f.name, value, source))
            break
    return proposals


def _candidates(f: formschema.Field, lines: list[str], squeezed: str):
    if f.type == "resident_id":
        for match in re.finditer(r"\d{17}[\dXx]", squeezed):
            yield match.group(), match.group()
    elif f.type == "phone":
        for match in re.finditer(r"(?<!\d)1[3-9]\d{9}(?!\d)", squeezed):
            yield match.group(), match.group()
    elif f.type == "card_number":
        for line in lines:
            for match in re.finditer(r"(?<![\dXx])\d{12,19}(?![\dXx])", re.sub(r"\s+", "", line)):
                if not _looks_like_resident_id(match.group()):
                    yield match.group(), line
    else:
        labels = f.spec.get("ocr_label") or [
            *DEFAULT_LABELS.get(f.type, []),
            f.label("zh-hans"),
            f.label("en"),
        ]
        for line in lines:
            for label in labels:
                if line.startswith(label):
                    value = line[len(label) :].lstrip(" :：").strip()
                    if f.type == "text":
                        value = value.replace(" ", "")
                    if value:
                        yield value, line


def _looks_like_resident_id(digits: str) -> bool:
    try:
        formschema.clean_value(formschema.Field({"name": "id", "type": "resident_id"}), digits)
    except formschema.FieldProblem:
        return False
    return True
