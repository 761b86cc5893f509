"""Markdown to safe HTML, and diffs between versions."""

import difflib
from dataclasses import dataclass

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

_ALLOWED_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code",
                 "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr",
                 "th", "td", "del", "sup", "sub", "mark"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(body: str) -> SafeString:
    """Article bodies are written by staff but shown to customers: only a small, inert subset
    of HTML survives (no scripts, styles, images from elsewhere, or event handlers)."""
    html = markdown.markdown(body, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "added" | "removed" | "skip"
    text: str


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("skip", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
