#!/usr/bin/env python
"""Search and FAQ-assistant quality over the demo knowledge base. Prints JSON.

    .venv/bin/python bench/knowledge/evaluate.py [--verbose]

Search: Recall@1, Recall@3 and MRR over eval_queries.jsonl (a hit is any expected slug).
Assistant: over assistant_questions.jsonl, the share of answerable questions it answered, the
share of its answers that cite the expected article, and the share of must-hand-off questions it
handed off (with the right reason). Runs the pure engine (no Django, no database).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from knowledge.demo_content import load_articles  # noqa: E402
from knowledge.search import Document, SearchIndex, SynonymTable  # noqa: E402
from knowledge.search.assistant import ReplyKind, answer  # noqa: E402
from knowledge.search.dictionary import DEFAULT_SYNONYMS  # noqa: E402


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_index() -> SearchIndex:
    return SearchIndex(
        Document(slug=a["slug"], title=a["title"], body=a["body"], tags=a["tags"],
                 category=a["category"], section=a.get("section", ""), language=a["language"])
        for a in load_articles()
    )


def evaluate_search(index: SearchIndex, synonyms: SynonymTable, verbose: bool) -> dict:
    queries = read_jsonl(HERE / "eval_queries.jsonl")
    r1 = r3 = 0
    mrr = 0.0
    by_kind: Counter = Counter()
    kind_hits: Counter = Counter()
    latencies = []
    misses = []
    for q in queries:
        start = time.perf_counter()
        hits = index.search(q["query"], synonyms=synonyms, limit=10)
        latencies.append((time.perf_counter() - start) * 1000)
        slugs = [h.slug for h in hits]
        rank = next((i + 1 for i, s in enumerate(slugs) if s in q["expected"]), None)
        by_kind[q["kind"]] += 1
        if rank == 1:
            r1 += 1
            kind_hits[q["kind"]] += 1
        if rank and rank <= 3:
            r3 += 1
        if rank:
            mrr += 1 / rank
        if rank != 1:
            misses.append({"query": q["query"], "expected": q["expected"], "rank": rank,
                           "top3": slugs[:3]})
    n = len(queries)
    latencies.sort()
    result = {
        "queries": n,
        "recall_at_1": round(r1 / n, 4),
        "recall_at_3": round(r3 / n, 4),
        "mrr": round(mrr / n, 4),
        "recall_at_1_by_kind": {k: round(kind_hits[k] / c, 3) for k, c in sorted(by_kind.items())},
        "latency_ms_p50": round(latencies[n // 2], 2),
        "latency_ms_p95": round(latencies[int(n * 0.95)], 2),
    }
    if verbose:
        result["misses"] = misses
    return result


def evaluate_assistant(index: SearchIndex, synonyms: SynonymTable, verbose: bool) -> dict:
    questions = read_jsonl(HERE / "assistant_questions.jsonl")
    answerable = [q for q in questions if q["expect"] == "answer"]
    must_handoff = [q for q in questions if q["expect"] == "handoff"]
    answered = correct = wrongly_handed_off = clarified = 0
    handed_off = right_reason = 0
    details = []
    for q in answerable:
        reply = answer(q["question"], index=index, synonyms=synonyms)
        if reply.kind == ReplyKind.ANSWER:
            answered += 1
            correct += reply.slug == q["slug"]
        elif reply.kind == ReplyKind.HANDOFF:
            wrongly_handed_off += 1
        elif reply.kind == ReplyKind.CLARIFY:
            clarified += 1
            correct_option = any(o.slug == q["slug"] for o in reply.options)
            details.append({"question": q["question"], "clarify": [o.slug for o in reply.options],
                            "expected_among_options": correct_option})
        if reply.kind != ReplyKind.ANSWER or reply.slug != q["slug"]:
            details.append({"question": q["question"], "expected": q["slug"], "kind": reply.kind,
                            "got": reply.slug, "confidence": reply.confidence})
    for q in must_handoff:
        reply = answer(q["question"], index=index, synonyms=synonyms)
        if reply.kind == ReplyKind.HANDOFF:
            handed_off += 1
            right_reason += reply.reason == q["reason"]
        if reply.kind != ReplyKind.HANDOFF or reply.reason != q["reason"]:
            details.append({"question": q["question"], "expected": q["reason"], "kind": reply.kind,
                            "reason": reply.reason})
    result = {
        "answerable": len(answerable),
        "answered_share": round(answered / len(answerable), 4),
        "answer_correct_share": round(correct / answered, 4) if answered else None,
        "clarifying_questions": clarified,
        "answerable_wrongly_handed_off": wrongly_handed_off,
        "must_hand_off": len(must_handoff),
        "handed_off_share": round(handed_off / len(must_handoff), 4),
        "handoff_reason_correct_share": round(right_reason / len(must_handoff), 4),
    }
    if verbose:
        result["details"] = details
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    start = time.perf_counter()
    index = build_index()
    build_ms = (time.perf_counter() - start) * 1000
    synonyms = SynonymTable(DEFAULT_SYNONYMS)
    report = {
        "articles": len(index.docs),
        "index_build_ms": round(build_ms, 1),
        "search": evaluate_search(index, synonyms, args.verbose),
        "assistant": evaluate_assistant(index, synonyms, args.verbose),
        "targets": {"recall_at_1": 0.85, "recall_at_3": 0.95, "answered_share": 0.70,
                    "answer_correct_share": 0.95, "handed_off_share": 1.0},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
