"""kb_import / kb_export file format: a JSON array or JSON Lines of
{"slug", "title", "body", "category", "tags", "language"} plus optional "section",
"service_types", "related", "card" and "audience". Category is one of product, process,
compliance, faq."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

CATEGORY_KINDS = ("product", "process", "compliance", "faq")
LANGUAGES = ("zh-hans", "en")
AUDIENCES = ("public", "staff")
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


def parse_import(text: str) -> tuple[list[ImportRecord], list[str]]:
    """All records, or the errors of every bad line ("line 7: ..."). Never a partial result."""
    items, errors = _read_items(text)
    records: list[ImportRecord] = []
    seen: dict[str, int] = {}
    for line, item in items:
        problems = _check(item)
        if problems:
            errors.extend(f"line {line}: {p}" for p in problems)
            continue
        if item["slug"] in seen:
            errors.append(f"line {line}: slug {item['slug']!r} already appears on line {seen[item['slug']]}")
            continue
        seen[item["slug"]] = line
        records.append(ImportRecord(line=line, **{k: item[k] for k in (*_REQUIRED, *_OPTIONAL) if k in item}))
    return ([] if errors else records), errors


def _read_items(text: str) -> tuple[list[tuple[int, object]], list[str]]:
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
            errors.append(f"line {number}: not valid JSON ({error.msg}, column {error.colno})")
    if not items and not errors:
        errors.append("line 1: the file holds no articles")
    return items, errors


def _read_array(text: str) -> tuple[list[tuple[int, object]], list[str]]:
    """Decode a JSON array element by element so each article knows the line it starts on."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    items: list[tuple[int, object]] = []

    def skip(p: int) -> int:
        while p < len(text) and text[p] in " \t\r\n":
            p += 1
        return p

    pos = skip(pos)
    if pos < len(text) and text[pos] == "]":
        return [], ["line 1: the file holds no articles"]
    while pos < len(text):
        line = text.count("\n", 0, pos) + 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            return items, [f"line {error.lineno}: not valid JSON ({error.msg}, column {error.colno})"]
        items.append((line, item))
        pos = skip(pos)
        if pos < len(text) and text[pos] == ",":
            pos = skip(pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if text[pos + 1:].strip():
                return items, [f"line {text.count(chr(10), 0, pos) + 1}: unexpected text after the array"]
            return items, []
        return items, [f"line {text.count(chr(10), 0, pos) + 1}: expected ',' or ']'"]
    return items, [f"line {text.count(chr(10)) + 1}: the array is not closed"]


def _check(item) -> list[str]:
    if not isinstance(item, dict):
        return ["each article must be a JSON object"]
    problems = []
    for key, kind in _REQUIRED.items():
        if key not in item:
            problems.append(f"missing {key!r}")
        elif not isinstance(item[key], kind):
            problems.append(f"{key!r} must be a {'list' if kind is list else 'string'}")
    for key, kind in _OPTIONAL.items():
        if key in item and not isinstance(item[key], kind):
            problems.append(f"{key!r} must be a {'list' if kind is list else 'string'}")
    unknown = set(item) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        problems.append(f"unknown field(s) {', '.join(sorted(unknown))}")
    if problems:
        return problems
    if not _SLUG.match(item["slug"]):
        problems.append(f"slug {item['slug']!r} must be lower-case letters, digits and hyphens")
    if not item["title"].strip():
        problems.append("'title' is empty")
    if not item["body"].strip():
        problems.append("'body' is empty")
    if item["category"] not in CATEGORY_KINDS:
        problems.append(f"category {item['category']!r} is not one of {', '.join(CATEGORY_KINDS)}")
    if item["language"] not in LANGUAGES:
        problems.append(f"language {item['language']!r} is not one of {', '.join(LANGUAGES)}")
    if item.get("audience", "public") not in AUDIENCES:
        problems.append(f"audience {item['audience']!r} is not one of {', '.join(AUDIENCES)}")
    for key in ("tags", "service_types", "related"):
        if not all(isinstance(v, str) and v.strip() for v in item.get(key, [])):
            problems.append(f"{key!r} must be a list of non-empty strings")
    if len(item.get("card", "")) > 300:
        problems.append("'card' is longer than 300 characters")
    return problems
