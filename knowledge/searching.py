"""Search over published articles, on the database the profile runs.

- PostgreSQL: the live version's analysed terms (jieba words, stems, single characters) are
  stored in `Article.search_vector`, a tsvector built literally (no text parser, the `simple`
  behaviour) with a GIN index; the query's terms, synonyms and typo corrections form an OR
  tsquery ranked with `ts_rank`, plus `pg_trgm` similarity on the title.
- SQLite (embedded): the pure BM25F engine in `knowledge.search`, kept in memory per process and
  rebuilt when published content or the synonym table changes.
Both backends analyse text with the same `knowledge.search.Analyzer`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from knowledge.models import Article, SynonymGroup
from knowledge.search import (
    Document,
    SearchIndex,
    SynonymTable,
    Vocabulary,
    default_analyzer,
    make_snippet,
)
from knowledge.search.analyzer import Query
from knowledge.search.engine import plain_text


@dataclass
class SearchResult:
    slug: str
    title: str
    snippet: str
    score: float
    category: str = ""
    language: str = ""
    coverage: float = 0.0
    related: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    public_only: bool = True
    category: str = ""  # a category slug; its children are included
    service_type: str = ""  # a ServiceType code
    language: str = ""


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, object, float]] = {}
# How long a process trusts its cached index, vocabulary and synonyms before asking the database
# whether content changed. Changes made by this process invalidate at once (`invalidate`).
RECHECK_SECONDS = 5.0


def _cached(name: str, stamp_fn, build):
    now = time.monotonic()
    with _lock:
        hit = _cache.get(name)
        if hit is not None and now - hit[2] < RECHECK_SECONDS:
            return hit[1]
    stamp = stamp_fn()
    if hit is None or hit[0] != stamp:
        value = build()
    else:
        value = hit[1]
    with _lock:
        _cache[name] = (stamp, value, now)
    return value


def invalidate() -> None:
    """Forget cached indexes and synonyms: now, and again when the change commits (so no other
    thread keeps what it cached from before the commit)."""
    with _lock:
        _cache.clear()
    transaction.on_commit(_clear)


def _clear() -> None:
    with _lock:
        _cache.clear()


def synonym_table() -> SynonymTable:
    rows = SynonymGroup.objects.filter(is_active=True)
    return _cached("synonyms", lambda: tuple(rows.aggregate(n=Count("id"), t=Max("updated_at")).values()),
                   lambda: SynonymTable(g.term_list for g in rows))


def published_index(*, public_only: bool) -> SearchIndex:
    """The in-memory index of published articles (the embedded backend and the assistant)."""
    articles = Article.objects.visible_to_public() if public_only else Article.objects.published()

    def stamp() -> tuple:
        return tuple(articles.aggregate(n=Count("id"), t=Max("content_changed_at")).values())

    def build() -> SearchIndex:
        rows = (articles.select_related("live_version", "category", "category__parent")
                .prefetch_related("service_types"))
        return SearchIndex(_document(a) for a in rows)

    return _cached(f"index-{public_only}", stamp, build)


def _document(article: Article) -> Document:
    version = article.live_version
    category = article.category
    return Document(slug=article.slug, title=version.title, body=version.body,
                    tags=version.tags, language=article.language,
                    category=(category.parent or category).slug, section=category.name_zh_hans,
                    service_types=tuple(s.code for s in article.service_types.all()))


def search_articles(text: str, filters: Filters = Filters(), *, limit: int = 10) -> list[SearchResult]:
    text = text.strip()[:200]
    if not text:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(text, filters, limit)
    return _search_memory(text, filters, limit)


def _category_slugs(slug: str) -> set[str]:
    from knowledge.models import Category

    return set(Category.objects.filter(slug=slug).values_list("slug", flat=True)) | set(
        Category.objects.filter(parent__slug=slug).values_list("slug", flat=True))


def _search_memory(text: str, filters: Filters, limit: int) -> list[SearchResult]:
    index = published_index(public_only=filters.public_only)
    allowed_slugs = None
    if filters.category or filters.service_type:
        qs = Article.objects.published()
        if filters.category:
            qs = qs.filter(category__slug__in=_category_slugs(filters.category))
        if filters.service_type:
            qs = qs.filter(service_types__code=filters.service_type)
        allowed_slugs = set(qs.values_list("slug", flat=True))

    def where(doc: Document) -> bool:
        if filters.language and doc.language != filters.language:
            return False
        return allowed_slugs is None or doc.slug in allowed_slugs

    hits = index.search(text, synonyms=synonym_table(), limit=limit, where=where)
    return [SearchResult(slug=h.slug, title=h.title, snippet=h.snippet, score=h.score,
                         coverage=h.coverage) for h in hits]


# --- PostgreSQL -----------------------------------------------------------------------------

VOCABULARY_SQL = (
    "SELECT word FROM ts_stat($$SELECT search_vector FROM knowledge_article "
    "WHERE status = 'published'$$)"
)
_WEIGHT = {"title": "A", "tags": "B", "section": "C", "body": "D", "chars": "D"}
_MAX_POSITIONS = 16383


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "'"


def tsvector_literal(*, title: str, tags: list[str], section: str, body: str) -> str:
    """The article's terms as a tsvector literal with positions (term frequency) and weights."""
    analyzer = default_analyzer()
    fields = {
        "title": analyzer.terms(title),
        "tags": [t for tag in tags for t in analyzer.terms(tag)],
        "section": analyzer.terms(section),
        "body": analyzer.terms(plain_text(body)),
        "chars": analyzer.chars(f"{title} {' '.join(tags)} {body}"),
    }
    positions: dict[str, list[str]] = {}
    pos = 0
    for name, terms in fields.items():
        for term in terms:
            pos = min(pos + 1, _MAX_POSITIONS)
            slots = positions.setdefault(term, [])
            if len(slots) < 255:
                slots.append(f"{pos}{_WEIGHT[name]}")
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def tsquery_literal(query: Query, *, chars: bool = True) -> str:
    terms = [t.term for t in query.terms
             if t.term.strip("'\\") and (chars or t.source != "char")]
    return " | ".join(_lexeme(t) for t in dict.fromkeys(terms))


def article_index_postgres(article: Article) -> None:
    """Store the live version's terms; called by the services whenever the live version changes."""
    if connection.vendor != "postgresql":
        return
    version = article.live_version
    if version is None:
        Article.objects.filter(pk=article.pk).update(search_vector=None, search_title="")
        return
    section = article.category.name_zh_hans
    literal = tsvector_literal(title=version.title, tags=version.tags, section=section, body=version.body)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE knowledge_article SET search_vector = %s::tsvector, search_title = %s "
                       "WHERE id = %s", [literal, version.title[:200], article.pk])


def _postgres_vocabulary() -> Vocabulary:
    """Every word in published articles (for typo and homophone corrections), from ts_stat."""
    def stamp() -> tuple:
        return tuple(Article.objects.aggregate(n=Count("id"), t=Max("content_changed_at")).values())

    def build() -> Vocabulary:
        with connection.cursor() as cursor:
            cursor.execute(VOCABULARY_SQL)
            return Vocabulary(word for (word,) in cursor.fetchall() if not word.startswith("#"))

    return _cached("pg-vocabulary", stamp, build)


def _search_postgres(text: str, filters: Filters, limit: int) -> list[SearchResult]:
    query = default_analyzer().query(text, synonyms=synonym_table(), vocabulary=_postgres_vocabulary())
    # Words first; single characters only when words find too little, because a query OR-ed over
    # its characters matches most of the corpus and ranking all of it is what costs time.
    rows = _postgres_rows(text, tsquery_literal(query, chars=False), filters, limit)
    if len(rows) < limit:
        seen = {row[1] for row in rows}
        more = _postgres_rows(text, tsquery_literal(query, chars=True), filters, limit)
        rows += [row for row in more if row[1] not in seen][: limit - len(rows)]
    return [SearchResult(slug=slug, title=title, snippet=make_snippet(body, query),
                         score=round(float(score), 4), language=language)
            for _id, slug, language, title, body, score in rows]


def _postgres_rows(text: str, tsq: str, filters: Filters, limit: int) -> list[tuple]:
    if not tsq:
        return []
    where = ["a.status = 'published'"]
    params: dict = {"tsq": tsq, "raw": text, "limit": limit}
    if filters.public_only:
        where.append("a.audience = 'public'")
    if filters.language:
        where.append("a.language = %(language)s")
        params["language"] = filters.language
    if filters.category:
        where.append("c.slug = ANY(%(categories)s)")
        params["categories"] = list(_category_slugs(filters.category))
    if filters.service_type:
        where.append("EXISTS (SELECT 1 FROM knowledge_article_service_types ast JOIN "
                     "branches_servicetype st ON st.id = ast.servicetype_id WHERE ast.article_id = a.id "
                     "AND st.code = %(service_type)s)")
        params["service_type"] = filters.service_type
    # Only fixed SQL fragments are joined; every value travels as a parameter.
    sql = f"""
        SELECT a.id, a.slug, a.language, v.title, v.body, r.score
        FROM (SELECT a.id, ts_rank(a.search_vector, q) + 0.3 * similarity(a.search_title, %(raw)s)
                     AS score
              FROM knowledge_article a JOIN knowledge_category c ON c.id = a.category_id,
                   CAST(%(tsq)s AS tsquery) q
              WHERE {" AND ".join(where)} AND (a.search_vector @@ q OR a.search_title %% %(raw)s)
              ORDER BY score DESC, a.slug LIMIT %(limit)s) r
        JOIN knowledge_article a ON a.id = r.id
        JOIN knowledge_articleversion v ON v.id = a.live_version_id
        ORDER BY r.score DESC, a.slug"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def related_articles(article: Article, *, public_only: bool, limit: int = 5) -> list[Article]:
    """Curated links first, then articles sharing the most tags and service types."""
    visible = Article.objects.visible_to_public() if public_only else Article.objects.published()
    visible = visible.select_related("live_version").exclude(pk=article.pk)
    curated = list(visible.filter(related_from=article))
    if len(curated) >= limit:
        return curated[:limit]
    shared = (visible.exclude(pk__in=[a.pk for a in curated])
              .filter(language=article.language)
              .annotate(shared=Count("tags", filter=Q(tags__in=article.tags.all()), distinct=True)
                        + Count("service_types",
                                filter=Q(service_types__in=article.service_types.all()),
                                distinct=True))
              .filter(shared__gt=0).order_by("-shared", "slug"))
    return curated + list(shared[: limit - len(curated)])

