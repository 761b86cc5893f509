"""Relevance on content the engine was never tuned for, on both profiles.

The held-out corpus (bench/knowledge/corpus_c: 40 articles of a third bank) is imported the way the
checker does it (`kb_import --publish`) and its held-out queries, written before any tuning of this
round, are asked on the embedded profile's ranking path and — on PostgreSQL — through
`GET /api/knowledge/search` as a teller. The floors sit a little below what
`bench/knowledge/evaluate.py` measured (docs/knowledge.md), so a change that loses relevance fails.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from knowledge import searching
from knowledge.services import assistant_ask

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).parents[2] / "bench" / "knowledge"
HELD_OUT = [json.loads(line) for line in
            (BENCH / "heldout_queries.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
QUESTIONS = [json.loads(line) for line in
             (BENCH / "heldout_assistant.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
FIRST_SET = [json.loads(line) for line in
             (BENCH / "eval_queries.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]

# Measured on both profiles (docs/knowledge.md, round 4): held-out R@1 0.984 / R@3 0.992, first
# set 0.940 / 0.983. The floors sit just below (two or three queries of slack each).
HELD_OUT_FLOORS = {"recall_at_1": 0.96, "recall_at_3": 0.98}
FIRST_SET_FLOORS = {"recall_at_1": 0.93, "recall_at_3": 0.98}


@pytest.fixture
def held_out_kb(default_synonyms, tmp_path):
    call_command("kb_import", str(BENCH / "corpus_c" / "articles.jsonl"), "--publish",
                 stdout=(tmp_path / "out.txt").open("w"))


def recall(queries, search) -> dict:
    ranks = []
    for q in queries:
        slugs = search(q["query"])
        ranks.append(next((i + 1 for i, s in enumerate(slugs) if s in q["expected"]), None))
    n = len(ranks)
    return {"recall_at_1": sum(r == 1 for r in ranks) / n,
            "recall_at_3": sum(bool(r and r <= 3) for r in ranks) / n}


def embedded_search(text: str) -> list[str]:
    """The embedded profile's path: in-memory candidates, the one ranking."""
    return [h.slug for h in searching._search_memory(text, searching.Filters(public_only=False), 10)]


def api_search(client):
    def search(text: str) -> list[str]:
        response = client.get("/api/knowledge/search", {"q": text, "limit": 10})
        assert response.status_code == 200
        return [h["slug"] for h in response.json()["results"]]
    return search


def at_least(measured: dict, floors: dict) -> bool:
    return all(measured[k] >= v for k, v in floors.items())


def test_the_held_out_set_covers_every_way_people_ask():
    kinds = {q["kind"] for q in HELD_OUT}
    assert len(HELD_OUT) >= 100
    assert {"colloquial", "paraphrase", "typo", "pinyin", "english", "traditional"} <= kinds


def test_embedded_profile_finds_held_out_articles_first(held_out_kb):
    measured = recall(HELD_OUT, embedded_search)
    assert at_least(measured, HELD_OUT_FLOORS), measured


def test_postgres_profile_finds_held_out_articles_first_through_the_api(held_out_kb, client, teller,
                                                                       require_service):
    require_service("postgres")
    client.force_login(teller)
    measured = recall(HELD_OUT, api_search(client))
    assert at_least(measured, HELD_OUT_FLOORS), measured


def test_embedded_profile_keeps_the_first_set(demo_kb):
    assert at_least(recall(FIRST_SET, embedded_search), FIRST_SET_FLOORS)


def test_postgres_profile_keeps_the_first_set_through_the_api(demo_kb, client, teller,
                                                             require_service):
    require_service("postgres")
    client.force_login(teller)
    assert at_least(recall(FIRST_SET, api_search(client)), FIRST_SET_FLOORS)


def test_the_assistant_on_held_out_questions_answers_rightly_and_hands_off_every_one_it_must(
        held_out_kb):
    answered = right = 0
    missed_handoffs, unflagged_fraud = [], []
    for q in QUESTIONS:
        reply = assistant_ask(question=q["question"], channel="web")
        if reply.kind == "answer":
            answered += 1
            right += q["expect"] == "answer" and reply.article["slug"] in q["slugs"]
        if q["expect"] == "handoff" and reply.handoff_reason != q["reason"]:
            missed_handoffs.append(q["question"])
        if q["expect"] == "fraud" and not reply.urgent:
            unflagged_fraud.append(q["question"])
    answerable = sum(q["expect"] == "answer" for q in QUESTIONS)
    # 0.975 measured on both profiles. (77 / 80 in CI's full run came from a synonym table an
    # earlier transactional test had flushed; `default_synonyms` seeds it now.)
    assert right / answered >= 0.97
    assert answered / answerable >= 0.70
    assert missed_handoffs == []
    assert unflagged_fraud == []
