"""Uploaded floor plans are SVG a browser will draw inline on public pages, so they are rebuilt
from a strict whitelist: shapes, groups and text with presentation attributes whose values match
a pattern. Scripts, event handlers, links, images, <use>, <style>, foreignObject, animation and
anything that can name a URL are dropped; a document with a DTD or entities is refused outright
(the stdlib parser would expand internal entities). No third-party sanitizer here: the runtime
lock has none for SVG (defusedxml is only in the dev lock), and a whitelist rebuild needs none."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - input refused above on DOCTYPE/ENTITY, rebuilt from a whitelist
from dataclasses import dataclass, field
from html import escape

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SVG_NS = "http://www.w3.org/2000/svg"
MAX_BYTES = 512 * 1024
MAX_ELEMENTS = 5000

_NUMBER = re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?(px|%)?$", re.IGNORECASE)
_NUMBERS = re.compile(r"^[\d\s.,eE+\-]*$")
_PATH = re.compile(r"^[\d\s.,eE+\-MmLlHhVvCcSsQqTtAaZz]*$")
_TRANSFORM = re.compile(r"^(\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\([\d\s.,eE+\-]*\)\s*,?)*\s*$")
_COLOR = re.compile(r"^(none|currentColor|transparent|#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}"
                    r"|rgba?\(\s*[\d.%]+\s*,\s*[\d.%]+\s*,\s*[\d.%]+\s*(,\s*[\d.]+\s*)?\))$")
_WORD = re.compile(r"^[a-zA-Z\-]{1,30}$")
_FONT = re.compile(r"^[\w\s,\-\"']{1,100}$")

_ATTRIBUTES = {
    **dict.fromkeys(("x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "x1", "y1", "x2", "y2",
                     "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity",
                     "stroke-miterlimit", "dx", "dy"), _NUMBER),
    "points": _NUMBERS, "stroke-dasharray": _NUMBERS, "d": _PATH, "transform": _TRANSFORM,
    "fill": _COLOR, "stroke": _COLOR,
    **dict.fromkeys(("fill-rule", "stroke-linecap", "stroke-linejoin", "text-anchor", "dominant-baseline",
                     "font-weight", "font-style"), _WORD),
    "font-family": _FONT,
}
_ELEMENTS = {"g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
             "title", "desc"}
_TEXT_ELEMENTS = {"text", "tspan", "title", "desc"}


@dataclass
class CleanSvg:
    markup: str  # the drawing's children, rebuilt; the caller wraps them in its own <svg>
    view_box: str
    removed: list[str] = field(default_factory=list)  # what was dropped, for the admin to see


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _sep, local = name[1:].partition("}")
        return ns, local
    return "", name


def _view_box(root: ET.Element) -> str:
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4 and all(_NUMBER.match(v) for v in box) and float(box[2]) > 0 and float(box[3]) > 0:
        return " ".join(box)
    width, height = root.get("width", ""), root.get("height", "")
    if _NUMBER.match(width) and _NUMBER.match(height) and "%" not in width + height:
        w, h = float(width.rstrip("px")), float(height.rstrip("px"))
        if w > 0 and h > 0:
            return f"0 0 {w:g} {h:g}"
    raise ValidationError(_("The drawing needs a viewBox (or a width and height) to place markers on."))


def _attributes(element: ET.Element, removed: list[str]) -> str:
    kept = []
    for name, value in element.attrib.items():
        ns, local = _local(name)
        pattern = _ATTRIBUTES.get(local) if not ns else None
        if pattern is None or not pattern.match(value.strip()):
            removed.append(f"@{local}")
            continue
        kept.append(f' {local}="{escape(value.strip(), quote=True)}"')
    return "".join(kept)


def _rebuild(element: ET.Element, removed: list[str], out: list[str]) -> None:
    ns, local = _local(element.tag)
    if ns not in ("", SVG_NS) or local not in _ELEMENTS:
        removed.append(local)
        return
    out.append(f"<{local}{_attributes(element, removed)}>")
    if local in _TEXT_ELEMENTS and element.text:
        out.append(escape(element.text))
    for child in element:
        _rebuild(child, removed, out)
        if local in _TEXT_ELEMENTS and child.tail:
            out.append(escape(child.tail))
    out.append(f"</{local}>")


def sanitize_svg(data: bytes | str) -> CleanSvg:
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The drawing is larger than 512 KB."))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(_("Save the drawing as UTF-8.")) from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise ValidationError(_("The drawing may not declare a DOCTYPE or entities."))
    try:
        root = ET.fromstring(raw)  # noqa: S314 - no DTD can reach the parser (refused above)
    except ET.ParseError as error:
        message = _("This is not a well-formed SVG file (%(error)s).") % {"error": error}
        raise ValidationError(message) from None
    if _local(root.tag) != (SVG_NS, "svg") and _local(root.tag) != ("", "svg"):
        raise ValidationError(_("The file's root element must be <svg>."))
    if sum(1 for _element in root.iter()) > MAX_ELEMENTS:
        raise ValidationError(_("The drawing has more than 5000 elements."))
    view_box = _view_box(root)
    removed: list[str] = []
    out: list[str] = []
    for child in root:
        _rebuild(child, removed, out)
    return CleanSvg("".join(out), view_box, sorted(set(removed)))
