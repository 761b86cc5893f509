"""Demo knowledge base: articles.jsonl in the kb_import format (plus section, service_types,
related slugs and an optional knowledge card)."""

import json
from pathlib import Path

ARTICLES = Path(__file__).with_name("articles.jsonl")


def load_articles() -> list[dict]:
    with ARTICLES.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
