"""Both profiles rank with one code path: the database only retrieves candidates, so the same
content gives the same order on SQLite (embedded) and PostgreSQL (production)."""

import json
from pathlib import Path

import pytest

from knowledge import searching

pytestmark = pytest.mark.django_db

QUERIES = [json.loads(line)["query"] for line in
           (Path(__file__).parents[2] / "bench" / "knowledge" / "eval_queries_v2.jsonl")
           .read_text(encoding="utf-8").splitlines() if '"corpus": "demo"' in line]


def in_memory_order(query: str) -> list[str]:
    """What the embedded profile returns for the published content of this database."""
    hits = searching.published_index().search(query, synonyms=searching.synonym_table(), limit=10)
    return [h.slug for h in hits]


def database_order(query: str) -> list[str]:
    return [r.slug for r in searching.search_articles(query, searching.Filters(public_only=False))]


def test_the_queries_cover_every_way_people_ask():
    assert len(QUERIES) > 90


def test_search_returns_the_embedded_order_for_the_same_content(demo_kb):
    different = [q for q in QUERIES if database_order(q) != in_memory_order(q)]
    assert different == []


def test_postgres_returns_the_embedded_order_for_the_same_content(demo_kb, require_service):
    require_service("postgres")
    different = [q for q in QUERIES if database_order(q) != in_memory_order(q)]
    assert different == []
