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

import datetime
import json
import posixpath
import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from core.parsers import has_unstorable

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
_TOP_LEVEL_KEY = re.compile(r"^[^:#]+:(\s|$)|^['\"].+['\"]\s*:(\s|$)")
# Keys static-site generators and note apps write (Hugo, Jekyll, Obsidian) that mean nothing
# here: read and left aside, so their files import as they are.
_IGNORED_KEYS = frozenset({"date", "lastmod", "draft", "author", "authors", "layout", "weight",
                           "aliases", "description", "summary", "type", "id", "created",
                           "updated", "modified", "permalink", "toc", "categories", "cssclass",
                           "cssclasses", "publishdate", "expirydate"})


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
    item, error = _front_matter("\n".join(lines[1:end]), source)
    if error is not None:
        return error
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


def _front_matter(text: str, source: str) -> tuple[dict, ParseResult | None]:
    """The front matter as YAML (block lists, folded titles, quoted strings, any key case),
    read with PyYAML's safe loader; an error names the file's line (the front matter starts on
    line 2)."""
    for number, line in enumerate(text.splitlines(), start=2):
        # A line at the left margin starts a key; one without "key:" is the usual slip
        # ("tags 挂失"), named plainly rather than by the YAML parser's wording.
        if line[:1] not in ("", " ", "\t", "-", "#") and not _TOP_LEVEL_KEY.match(line):
            return {}, _markdown_error(number, _("not a 'key: value' line"), source)
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return {}, _markdown_error(line, _("the front matter is not valid YAML (%(problem)s)")
                                   % {"problem": problem}, source)
    if not isinstance(data, dict):
        return {}, _markdown_error(2, _("not a 'key: value' line"), source)
    item: dict = {}
    for raw_key, value in data.items():
        key = str(raw_key).strip().lower().replace("-", "_")
        if key in _IGNORED_KEYS:
            continue
        item[key] = _front_matter_value(key, value)
    return item, None


def _front_matter_value(key: str, value):
    """A YAML value as the import's checks expect it: lists of strings for the list keys (a
    plain "挂失, 银行卡" is split on commas), strings for the rest (a folded title loses its
    final newline; numbers and dates become their text). Anything else goes to the checks as it
    is and is refused there with the field's name."""
    if key in _LIST_KEYS:
        if value is None:
            return []
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[,，]", value.strip("[]")) if v.strip()]
        if isinstance(value, list):
            return [_scalar_text(v) for v in value]
        return value
    if value is None:
        return ""
    return _scalar_text(value)


def _scalar_text(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float | datetime.date):
        return str(value)
    return value


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
