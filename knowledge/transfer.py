"""kb_import / kb_export file format: a JSON array or JSON Lines of
{"slug", "title", "body", "category", "tags", "language"} plus optional "section",
"service_types", "related", "card" and "audience". Category is one of product, process,
compliance, faq.

A Markdown file (.md) holds one article: front matter between two `---` lines (`key: value`, one
per line; tags, service_types and related as comma-separated lists; the slug defaults to the file
name and the title to the first `# ` heading) and the Markdown body after it.

Errors name the line they are on and are translated into the active language (the web import
shows them to knowledge editors; `kb_import` prints them in English)."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branchsvc.parsers import has_unstorable

CATEGORY_KINDS = ("product", "process", "compliance", "faq")
LANGUAGES = ("zh-hans", "en")
AUDIENCES = ("public", "staff")
TITLE_MAX_CHARS = 200
BODY_MAX_CHARS = 100_000
CARD_MAX_CHARS = 300
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_REQUIRED = {"slug": str, "title": str, "body": str, "category": str, "tags": list, "language": str}
_OPTIONAL = {"section": str, "service_types": list, "related": list, "card": str, "audience": str}


@dataclass
class ImportRecord:
    line: int
    slug: str
    title: str
    body: str
    category: str
    tags: list[str]
    language: str
    section: str = ""
    service_types: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    card: str = ""
    audience: str = ""
    source: str = ""  # the file it came from, when a zip holds several


@dataclass(frozen=True)
class LineError:
    line: int
    message: str
    source: str = ""

    def __str__(self) -> str:
        text = _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return f"{self.source}: {text}" if self.source else text


@dataclass
class ParseResult:
    records: list[ImportRecord]  # the rows that passed, even when others did not
    errors: list[LineError]
    rows: int


def parse_import(text: str) -> tuple[list[ImportRecord], list[LineError]]:
    """All records, or the errors of every bad line ("line 7: ..."). Never a partial result."""
    result = parse_rows(text)
    return ([] if result.errors else result.records), result.errors


def parse_rows(text: str, *, source: str = "") -> ParseResult:
    items, errors = _read_items(text)
    records: list[ImportRecord] = []
    seen: dict[str, int] = {}
    for line, item in items:
        problems = _check(item)
        if not problems and item["slug"] in seen:
            problems = [_("slug %(slug)r already appears on line %(line)s")
                        % {"slug": item["slug"], "line": seen[item["slug"]]}]
        if problems:
            errors.extend(LineError(line, p) for p in problems)
            continue
        seen[item["slug"]] = line
        records.append(_record(item, line=line, source=source))
    errors = [LineError(e.line, e.message, source) for e in errors]
    return ParseResult(records=records, errors=errors, rows=len(items))


def _record(item: dict, *, line: int, source: str) -> ImportRecord:
    """A checked article (see `_check`)."""
    return ImportRecord(line=line, source=source,
                        **{k: item[k] for k in (*_REQUIRED, *_OPTIONAL) if k in item})


MARKDOWN_TYPES = (".md", ".markdown")
_LIST_KEYS = ("tags", "service_types", "related")
_FRONT_MATTER_LINE = re.compile(r"^([a-z_]+)\s*:\s*(.*)$")


def is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_TYPES)


def parse_markdown(text: str, *, name: str, source: str = "") -> ParseResult:
    """One article from a Markdown file with front matter; errors carry the line they are on."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return _markdown_error(1, _("a Markdown article starts with a --- line, then its front matter"),
                               source)
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if end is None:
        return _markdown_error(1, _("the front matter has no closing --- line"), source)
    item: dict = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FRONT_MATTER_LINE.match(line.strip())
        if match is None:
            return _markdown_error(number, _("not a 'key: value' line"), source)
        key, value = match.group(1), match.group(2).strip()
        if key in _LIST_KEYS:
            item[key] = [v.strip() for v in re.split(r"[,，]", value.strip("[]")) if v.strip()]
        else:
            item[key] = value.strip("\"'")
    body = lines[end + 1:]
    if "title" not in item:
        heading = next((i for i, line in enumerate(body) if line.startswith("# ")), None)
        if heading is not None:
            item["title"] = body.pop(heading)[2:].strip()
    item.setdefault("slug", posixpath.splitext(posixpath.basename(name))[0])
    item.setdefault("tags", [])
    item.setdefault("language", "zh-hans")
    item["body"] = "\n".join(body).strip("\n")
    problems = _check(item)
    if problems:
        return ParseResult(records=[], errors=[LineError(1, p, source) for p in problems], rows=1)
    return ParseResult(records=[_record(item, line=1, source=source)], errors=[], rows=1)


def _markdown_error(line: int, message: str, source: str) -> ParseResult:
    return ParseResult(records=[], errors=[LineError(line, message, source)], rows=1)


def _not_json(error: json.JSONDecodeError) -> str:
    return _("not valid JSON (%(problem)s, column %(column)s)") % {"problem": error.msg,
                                                                   "column": error.colno}


def _read_items(text: str) -> tuple[list[tuple[int, object]], list[LineError]]:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        return _read_array(text)
    items, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            items.append((number, json.loads(raw)))
        except json.JSONDecodeError as error:
            errors.append(LineError(number, _not_json(error)))
    if not items and not errors:
        errors.append(LineError(1, _("the file holds no articles")))
    return items, errors


def _read_array(text: str) -> tuple[list[tuple[int, object]], list[LineError]]:
    """Decode a JSON array element by element so each article knows the line it starts on."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    items: list[tuple[int, object]] = []

    def skip(p: int) -> int:
        while p < len(text) and text[p] in " \t\r\n":
            p += 1
        return p

    def line_at(p: int) -> int:
        return text.count("\n", 0, p) + 1

    pos = skip(pos)
    if pos < len(text) and text[pos] == "]":
        return [], [LineError(1, _("the file holds no articles"))]
    while pos < len(text):
        line = line_at(pos)
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            return items, [LineError(error.lineno, _not_json(error))]
        items.append((line, item))
        pos = skip(pos)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if text[pos + 1:].strip():
                return items, [LineError(line_at(pos), _("unexpected text after the array"))]
            return items, []
        return items, [LineError(line_at(pos), _("expected ',' or ']'"))]
    return items, [LineError(line_at(len(text)), _("the array is not closed"))]


def _must_be(key: str, kind: type) -> str:
    if kind is list:
        return _("%(field)r must be a list") % {"field": key}
    return _("%(field)r must be a string") % {"field": key}


def _check(item) -> list[str]:
    if not isinstance(item, dict):
        return [_("each article must be a JSON object")]
    problems = []
    for key, kind in _REQUIRED.items():
        if key not in item:
            problems.append(_("missing %(field)r") % {"field": key})
        elif not isinstance(item[key], kind):
            problems.append(_must_be(key, kind))
    for key, kind in _OPTIONAL.items():
        if key in item and not isinstance(item[key], kind):
            problems.append(_must_be(key, kind))
    unknown = set(item) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        problems.append(_("unknown field(s) %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if problems:
        return problems
    if has_unstorable(item):  # a JSON escape such as \u0000 that no database column can hold
        return [_("holds characters that cannot be stored (NUL or broken Unicode)")]
    if not _SLUG.match(item["slug"]):
        problems.append(_("slug %(slug)r must be lower-case letters, digits and hyphens")
                        % {"slug": item["slug"]})
    problems += _check_text(item)
    if item["category"] not in CATEGORY_KINDS:
        problems.append(_("category %(value)r is not one of %(choices)s")
                        % {"value": item["category"], "choices": ", ".join(CATEGORY_KINDS)})
    if item["language"] not in LANGUAGES:
        problems.append(_("language %(value)r is not one of %(choices)s")
                        % {"value": item["language"], "choices": ", ".join(LANGUAGES)})
    if item.get("audience", "public") not in AUDIENCES:
        problems.append(_("audience %(value)r is not one of %(choices)s")
                        % {"value": item["audience"], "choices": ", ".join(AUDIENCES)})
    for key in ("tags", "service_types", "related"):
        if not all(isinstance(v, str) and v.strip() for v in item.get(key, [])):
            problems.append(_("%(field)r must be a list of non-empty strings") % {"field": key})
    return problems


def _check_text(item: dict) -> list[str]:
    problems = []
    for key, limit in (("title", TITLE_MAX_CHARS), ("body", BODY_MAX_CHARS)):
        if not item[key].strip():
            problems.append(_("%(field)r is empty") % {"field": key})
        elif len(item[key]) > limit:
            problems.append(_("%(field)r is longer than %(limit)s characters")
                            % {"field": key, "limit": limit})
    if len(item.get("card", "")) > CARD_MAX_CHARS:
        problems.append(_("%(field)r is longer than %(limit)s characters")
                        % {"field": "card", "limit": CARD_MAX_CHARS})
    return problems
