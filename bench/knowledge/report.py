#!/usr/bin/env python
"""The knowledge figures for docs/knowledge.md and the README, as Markdown, from the JSON that
evaluate.py (and optionally search_latency.py) printed — so the published figures are one run's.

    .venv/bin/python bench/knowledge/evaluate.py --database-url postgres://…/scratch > eval.json
    .venv/bin/python bench/knowledge/search_latency.py > latency.json      # DATABASE_URL=…
    .venv/bin/python bench/knowledge/report.py eval.json [latency.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SEARCH_ROWS = (("tuning: new set (342)", "new_set"), ("tuning: first set (234)", "first_set_demo"),
               ("held-out, corpus c (127)", "heldout"), ("blind, corpus c (56)", "blind"),
               ("fresh held-out, corpora b + c (74)", "fresh"),
               ("round-5 held-out, corpus d + demo (172)", "round5"),
               ("round-6 held-out, corpus e (180)", "round6"),
               ("round-7 held-out, demo + corpora c/d/e (65)", "round7"),
               ("round-8 held-out, corpus f + older corpora (231)", "round8"),
               ("round-9 held-out, corpus g + older corpora (247)", "round9"),
               ("**round-10 held-out, demo + corpora b–g (120)**", "round10"))
ASSISTANT_ROWS = (("tuning: new set (152)", "assistant_new_set"),
                  ("held-out, corpus c (163)", "assistant_heldout"),
                  ("blind, corpus c (56)", "assistant_blind"),
                  ("round-5 held-out, corpus d (67)", "assistant_round5"),
                  ("round-6 held-out, corpus e (70)", "assistant_round6"),
                  ("round-7 held-out, demo + corpora c/d/e (28)", "assistant_round7"),
                  ("round-8 held-out, corpus f + older corpora (61)", "assistant_round8"),
                  ("round-9 held-out, corpus g + older corpora (76)", "assistant_round9"),
                  ("**round-10 held-out, demo + corpora b–g (121)**", "assistant_round10"))


def pct(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def main() -> None:
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    profiles = [p for p in ("embedded", "postgres") if "new_set" in report.get(p, {})]
    print(f"Load average at the start: {report.get('load_average')}; "
          f"identical top ten on both profiles: {report.get('queries_with_identical_top10')}\n")
    print("| search set | " + " | ".join(f"{p} R@1 / R@3 / MRR" for p in profiles)
          + " | character-pair BM25 R@1 |")
    print("| --- |" + " --- |" * (len(profiles) + 1))
    for label, key in SEARCH_ROWS:
        cells = [" / ".join(pct(report[p][key][m]) for m in ("recall_at_1", "recall_at_3", "mrr"))
                 for p in profiles]
        base = report.get("baseline_bigram_bm25", {}).get(key, {}).get("recall_at_1")
        print(f"| {label} | " + " | ".join(cells) + f" | {pct(base)} |")
    print()
    print("| assistant set | " + " | ".join(
        f"{p}: answered / precision / handed off / fraud flagged / out-of-scope answered"
        for p in profiles) + " |")
    print("| --- |" + " --- |" * len(profiles))
    for label, key in ASSISTANT_ROWS:
        cells = []
        for p in profiles:
            a = report[p][key]
            cells.append(f"{pct(a['answered_share'])} / {pct(a['answer_precision'])} / "
                         f"{pct(a['handed_off_share'])} / {pct(a['fraud_flagged_share'])} / "
                         f"{a['out_of_scope_answered']} of {a['out_of_scope']}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for p in profiles:
        missed = report.get("summary", {}).get(p, {}).get("missed", [])
        print(f"- {p}: targets missed: {', '.join(missed) if missed else 'none'}")
    if len(sys.argv) > 2:
        lat = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        f, i = lat["fulltext"], lat["ilike_scan"]
        print(f"\nLatency, {lat['articles']} articles on PostgreSQL, {lat['queries']} queries, load "
              f"{lat['load_average_1_5_15']['before'][0]} → {lat['load_average_1_5_15']['after'][0]}: "
              f"search p50 {f['p50_ms']} / p95 {f['p95_ms']} ms (process CPU p50 "
              f"{f['process_cpu_p50_ms']} / p95 {f['process_cpu_p95_ms']} ms; candidate statement "
              f"p50 {f['candidate_sql_p50_ms']} / p95 {f['candidate_sql_p95_ms']} ms); ILIKE scan "
              f"in the same run p50 {i['p50_ms']} / p95 {i['p95_ms']} ms; target p95 ≤ 50 ms "
              f"{'met' if f['p95_ms'] <= 50 else 'MISSED'}; vocabulary cold load "
              f"{lat.get('vocabulary_cold_load_ms')} ms, after a publish: {lat.get('after_a_publish')}.")


if __name__ == "__main__":
    main()
