#!/usr/bin/env python
"""Search latency over 10,000 published articles on PostgreSQL, beside a plain ILIKE scan.
Prints JSON.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        .venv/bin/python bench/knowledge/search_latency.py [--articles 10000]

Use a scratch database: the script migrates it and replaces its knowledge articles with the demo
content plus generated variants of it (per-branch editions of the same topics, so every query
matches many articles, the hard case for ranking). It then runs every query of
eval_queries.jsonl and the demo part of eval_queries_v2.jsonl through
`knowledge.searching.search_articles` (analysis, synonyms, typo and pinyin readings, candidates
through the GIN indexes, the Python ranking, snippets) and through an ILIKE scan of titles and
bodies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from knowledge import searching  # noqa: E402
from knowledge.demo_content import load_articles  # noqa: E402
from knowledge.models import Article, ArticleVersion  # noqa: E402
from knowledge.services.imports import category_for  # noqa: E402

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "苏州", "重庆"]
ILIKE_SQL = """
    SELECT a.slug FROM knowledge_article a JOIN knowledge_articleversion v ON v.id = a.live_version_id
    WHERE a.status = 'published' AND (v.title ILIKE %s OR v.body ILIKE %s)
    ORDER BY a.slug LIMIT 10"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def load_corpus(total: int) -> float:
    """Replace all knowledge articles with the demo content plus generated variants."""
    started = time.perf_counter()
    demo = load_articles()
    rng = random.Random(7)
    rows = [(a["slug"], a) for a in demo]
    n = 0
    while len(rows) < total:
        source = demo[n % len(demo)]
        city = CITIES[(n // len(demo)) % len(CITIES)]
        other = rng.choice(demo)
        body = (f"{city}分行执行口径：\n\n{source['body']}\n\n"
                f"另见：{other['title']}。{other['body'][:200]}")
        title = f"{source['title']}（{city}分行 第{n // len(demo) + 1}版）" if source["language"] != "en" \
            else f"{source['title']} ({city} branch, edition {n // len(demo) + 1})"
        rows.append((f"bench-{source['slug']}-{n}", {**source, "title": title, "body": body}))
        n += 1
    now = timezone.now()
    with transaction.atomic():
        Article.objects.update(live_version=None, status=Article.Status.DRAFT)
        ArticleVersion.objects.all().delete()
        Article.objects.all().delete()
        categories = {}
        articles = []
        for slug, a in rows:
            key = (a["category"], a.get("section", ""))
            if key not in categories:
                categories[key] = category_for(*key)
            articles.append(Article(slug=slug, category=categories[key], language=a["language"],
                                    audience="staff" if a["category"] == "compliance" else "public"))
        Article.objects.bulk_create(articles, batch_size=1000)
        versions = [ArticleVersion(article=art, number=1, status=ArticleVersion.Status.PUBLISHED,
                                   title=a["title"], body=a["body"], card=a.get("card", ""),
                                   tags=a["tags"], published_at=now)
                    for art, (_slug, a) in zip(articles, rows, strict=True)]
        ArticleVersion.objects.bulk_create(versions, batch_size=1000)
        params = []
        for art, (_slug, a) in zip(articles, rows, strict=True):
            params.append(searching.index_params(art.pk, title=a["title"], tags=a["tags"],
                                                 section=art.category.name_zh_hans, body=a["body"]))
        with connection.cursor() as cursor:
            cursor.executemany(searching.INDEX_SQL, params)
            cursor.execute("UPDATE knowledge_article a SET live_version_id = v.id, status = 'published', "
                           "content_changed_at = now() FROM knowledge_articleversion v "
                           "WHERE v.article_id = a.id")
    with connection.cursor() as cursor:
        # The load rewrites every row twice; vacuum as autovacuum would, so the run measures the
        # steady state rather than a table two-thirds dead rows.
        cursor.execute("VACUUM ANALYZE knowledge_article")
        cursor.execute("VACUUM ANALYZE knowledge_articleversion")
    return time.perf_counter() - started


def publish_refresh(filters) -> dict:
    """What a publish costs the database (the statistics triggers run in its statements) and what
    the next search costs a process that had its vocabulary: reading the changed rows only."""
    article = Article.objects.published().order_by("id").first()
    old = article.live_version
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        ArticleVersion.objects.filter(pk=old.pk).update(status=ArticleVersion.Status.SUPERSEDED)
        version = ArticleVersion.objects.create(
            article=article, number=old.number + 1, status=ArticleVersion.Status.PUBLISHED,
            title=old.title, body=old.body + "\n\n补充：短尾矮袋鼠主题卡片。", tags=old.tags,
            card=old.card, published_at=timezone.now())
        cursor.execute(searching.INDEX_SQL, searching.index_params(
            article.pk, title=version.title, tags=version.tags,
            section=article.category.name_zh_hans, body=version.body))
        cursor.execute("UPDATE knowledge_article SET live_version_id = %s, content_changed_at = now() "
                       "WHERE id = %s", [version.pk, article.pk])
    publish_ms = (time.perf_counter() - started) * 1000
    searching._cache.clear()  # as another process sees it: the content stamp moved
    started = time.perf_counter()
    searching._postgres_vocabulary()
    refresh_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    results = searching.search_articles("短尾矮袋鼠", filters, limit=10)
    return {"publish_statements_ms": round(publish_ms, 1),
            "statistics_refresh_ms": round(refresh_ms, 1),
            "next_search_ms": round((time.perf_counter() - started) * 1000, 1),
            "new_words_found": bool(results and results[0].slug == article.slug)}


def source_slug(slug: str) -> str:
    if not slug.startswith("bench-"):
        return slug
    return slug[len("bench-"):].rsplit("-", 1)[0]


def load_queries() -> list[dict]:
    queries = [json.loads(line) for line in (HERE / "eval_queries.jsonl").read_text().splitlines()]
    queries += [q for q in (json.loads(line) for line in
                            (HERE / "eval_queries_v2.jsonl").read_text().splitlines())
                if q["corpus"] == "demo"]  # the new set's queries over the demo content
    return queries


def time_calls_to(name: str) -> dict[str, float]:
    """Wrap searching.<name> so each call adds its milliseconds to the returned dict under `name`."""
    timed: dict[str, float] = {}
    original = getattr(searching, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timed[name] = timed.get(name, 0.0) + (time.perf_counter() - started) * 1000
    setattr(searching, name, wrapper)
    return timed


def run_queries(queries: list[dict], filters, timed: dict[str, float]):
    """Each query through full-text search and through an ILIKE scan: latencies and top-3 hits."""
    fts_ms, cpu_ms, db_ms, ilike_ms, fts_hits, ilike_hits = [], [], [], [], 0, 0
    for q in queries:
        timed.clear()
        start, cpu_start = time.perf_counter(), time.process_time()
        results = searching.search_articles(q["query"], filters, limit=10)
        fts_ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu_start) * 1000)
        db_ms.append(timed.get("_postgres_candidates", 0.0))
        fts_hits += any(source_slug(r.slug) in q["expected"] for r in results[:3])

        pattern = f"%{q['query']}%"
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(ILIKE_SQL, [pattern, pattern])
            found = [row[0] for row in cursor.fetchall()]
        ilike_ms.append((time.perf_counter() - start) * 1000)
        ilike_hits += any(source_slug(s) in q["expected"] for s in found[:3])
    return fts_ms, cpu_ms, db_ms, ilike_ms, fts_hits, ilike_hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="reuse the corpus already loaded")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(json.dumps({"error": "set DATABASE_URL to a scratch PostgreSQL database"}))
        sys.exit(2)
    call_command("migrate", verbosity=0)
    load_seconds = None
    if not (args.keep and Article.objects.published().count() >= args.articles):
        load_seconds = round(load_corpus(args.articles), 1)
    queries = load_queries()
    filters = searching.Filters(public_only=False)

    load_before, warm_start = [round(x, 2) for x in os.getloadavg()], time.perf_counter()
    searching.search_articles("预热", filters)  # reads the statistics table once
    warmup_ms = (time.perf_counter() - warm_start) * 1000

    # Where the time goes: the database statements (candidates, and version text not cached yet)
    # against the whole search; and the process's CPU time, which the machine's load inflates
    # far less than wall-clock time.
    timed = time_calls_to("_postgres_candidates")
    fts_ms, cpu_ms, db_ms, ilike_ms, fts_hits, ilike_hits = run_queries(queries, filters, timed)

    n = len(queries)
    print(json.dumps({
        "articles": Article.objects.published().count(),
        "corpus_load_seconds": load_seconds,
        "queries": n,
        "vocabulary_cold_load_ms": round(warmup_ms, 1),  # a new process reads the statistics once
        "after_a_publish": publish_refresh(filters),
        "fulltext": {"p50_ms": round(statistics.median(fts_ms), 2),
                     "p95_ms": round(percentile(fts_ms, 0.95), 2),
                     "max_ms": round(max(fts_ms), 2),
                     "top3_finds_expected_topic": round(fts_hits / n, 4),
                     "candidate_sql_p50_ms": round(statistics.median(db_ms), 2),
                     "candidate_sql_p95_ms": round(percentile(db_ms, 0.95), 2),
                     "process_cpu_p50_ms": round(statistics.median(cpu_ms), 2),
                     "process_cpu_p95_ms": round(percentile(cpu_ms, 0.95), 2)},
        "ilike_scan": {"p50_ms": round(statistics.median(ilike_ms), 2),
                       "p95_ms": round(percentile(ilike_ms, 0.95), 2),
                       "max_ms": round(max(ilike_ms), 2),
                       "top3_finds_expected_topic": round(ilike_hits / n, 4)},
        "target_p95_ms": 50,
        "load_average_1_5_15": {"before": load_before,
                                "after": [round(x, 2) for x in os.getloadavg()]},
        "cpus": os.cpu_count(),
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
