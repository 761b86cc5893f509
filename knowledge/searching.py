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


# Above this many published articles the assistant does not hold the whole corpus in memory: it
# scores the best PostgreSQL candidates for the question instead.
ASSISTANT_MEMORY_LIMIT = 3000


def assistant_index(question: str, *, public_only: bool) -> SearchIndex:
    if connection.vendor != "postgresql" or _postgres_vocabulary().documents <= ASSISTANT_MEMORY_LIMIT:
        return published_index(public_only=public_only)
    hits = search_articles(question, Filters(public_only=public_only), limit=20)
    rows = (Article.objects.filter(slug__in=[h.slug for h in hits])
            .select_related("live_version", "category", "category__parent")
            .prefetch_related("service_types"))
    return SearchIndex(_document(a) for a in rows)


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
    "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM knowledge_article "
    "WHERE status = 'published'$$)"
)
_WEIGHT = {"title": "A", "tags": "B", "section": "C", "body": "D"}
_MAX_POSITIONS = 16383
# Words held by more than this share of articles (银行, 办理) still rank but do not select: a
# query OR-ed over them would make PostgreSQL rank nearly the whole corpus.
COMMON_WORD_SHARE = 0.2


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "'"


def tsvector_literal(*, title: str, tags: list[str], section: str, body: str | None) -> str:
    """The article's words as a tsvector literal with positions (term frequency) and weights.
    Without a body it is the small "head" vector (title, tags, section) that ranks candidates."""
    analyzer = default_analyzer()
    fields = {
        "title": analyzer.terms(title),
        "tags": [t for tag in tags for t in analyzer.terms(tag)],
        "section": analyzer.terms(section),
        "body": analyzer.terms(plain_text(body)) if body else [],
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


def chars_literal(*, title: str, tags: list[str], body: str) -> str:
    """Single Chinese characters, the fallback when no word matches (kept apart: small, no
    positions, consulted only when the words find too little)."""
    chars = default_analyzer().chars(f"{title} {' '.join(tags)} {plain_text(body)}")
    return " ".join(_lexeme(c) for c in dict.fromkeys(chars))


def _or(terms) -> str:
    return " | ".join(_lexeme(t) for t in dict.fromkeys(terms) if t.strip("'\\"))


def article_index_postgres(article: Article) -> None:
    """Store the live version's terms; called by the services whenever the live version changes."""
    if connection.vendor != "postgresql":
        return
    version = article.live_version
    if version is None:
        Article.objects.filter(pk=article.pk).update(search_vector=None, search_head=None,
                                                      search_chars=None, search_title="")
        return
    with connection.cursor() as cursor:
        cursor.execute(INDEX_SQL, index_params(article.pk, title=version.title, tags=version.tags,
                                               section=article.category.name_zh_hans,
                                               body=version.body))


INDEX_SQL = ("UPDATE knowledge_article SET search_vector = %s::tsvector, search_head = %s::tsvector, "
             "search_chars = %s::tsvector, search_title = %s WHERE id = %s")


def index_params(article_id: int, *, title: str, tags: list[str], section: str, body: str) -> list:
    return [tsvector_literal(title=title, tags=tags, section=section, body=body),
            tsvector_literal(title=title, tags=tags, section=section, body=None),
            chars_literal(title=title, tags=tags, body=body), title[:200], article_id]


def _postgres_vocabulary() -> Vocabulary:
    """Every word of published articles with its document count (typo corrections, and telling
    selective words from common ones), from ts_stat; cached per process."""
    def stamp() -> tuple:
        # Publishing and archiving move `content_changed_at`; its btree index answers this in
        # well under a millisecond (a count of every article took ~70 ms on 10,000 articles).
        return tuple(Article.objects.aggregate(t=Max("content_changed_at")).values())

    def build() -> Vocabulary:
        with connection.cursor() as cursor:
            cursor.execute(VOCABULARY_SQL)
            df = dict(cursor.fetchall())
        return Vocabulary(df, documents=Article.objects.published().count())

    return _cached("pg-vocabulary", stamp, build)


def _search_postgres(text: str, filters: Filters, limit: int) -> list[SearchResult]:
    vocabulary = _postgres_vocabulary()
    query = default_analyzer().query(text, synonyms=synonym_table(), vocabulary=vocabulary)
    words = [t.term for t in query.terms if t.source != "char"]
    known = sorted((w for w in words if vocabulary.df.get(w)), key=lambda w: vocabulary.df[w])
    ceiling = COMMON_WORD_SHARE * max(vocabulary.documents, 1)
    selective = [w for w in known if vocabulary.df[w] <= ceiling] or known[:1]
    chars = _or(t.term for t in query.terms if t.source == "char")
    rows: list[tuple] = []
    # Selective words first, then single characters, then trigram similarity of titles.
    for column, match, rank in (("search_vector", _or(selective), _or(words)),
                                ("search_chars", chars, chars), ("search_title", text, "")):
        if len(rows) >= limit:
            break
        seen = {row[1] for row in rows}
        more = _postgres_rows(text, column, match, rank, filters, limit)
        rows += [row for row in more if row[1] not in seen][: limit - len(rows)]
    return [SearchResult(slug=slug, title=title, snippet=make_snippet(body, query),
                         score=round(float(score), 4), language=language)
            for _id, slug, language, title, body, score in rows]


def _postgres_rows(text: str, column: str, match: str, rank: str, filters: Filters,
                   limit: int) -> list[tuple]:
    """Matches through the GIN index on `column`; the best CANDIDATES by the cheap head vector
    and title similarity are then ranked on the full vector (detoasting only those)."""
    if not match:
        return []
    where = ["a.status = 'published'"]
    params: dict = {"match": match, "rank": rank or match, "raw": text, "limit": limit,
                    "candidates": CANDIDATES}
    if filters.public_only:
        where.append("a.audience = 'public'")
    if filters.language:
        where.append("a.language = %(language)s")
        params["language"] = filters.language
    if filters.category:
        where.append("a.category_id IN (SELECT id FROM knowledge_category WHERE slug = ANY(%(categories)s))")
        params["categories"] = list(_category_slugs(filters.category))
    if filters.service_type:
        where.append("EXISTS (SELECT 1 FROM knowledge_article_service_types ast JOIN "
                     "branches_servicetype st ON st.id = ast.servicetype_id WHERE ast.article_id = a.id "
                     "AND st.code = %(service_type)s)")
        params["service_type"] = filters.service_type
    where.append(_MATCH[column])
    head, full = _RANK[column]
    # Only fixed SQL fragments are joined; every value travels as a parameter.
    if column == "search_vector":
        # The best candidates by head rank are the matches whose head holds a query word (found
        # through the head's GIN index, so the body-only matches, often thousands, are not
        # visited), then, only when those are too few, body-only matches in id order: the same
        # set as ranking every match by `head DESC, id`.
        candidates = f"""
            SELECT * FROM (
                (SELECT a.id, {head} AS head FROM knowledge_article a
                 WHERE {" AND ".join(where)} AND a.search_head @@ CAST(%(rank)s AS tsquery)
                 ORDER BY head DESC, a.id LIMIT %(candidates)s)
                UNION ALL
                (SELECT a.id, 0 AS head FROM knowledge_article a
                 WHERE {" AND ".join(where)}
                   AND NOT coalesce(a.search_head @@ CAST(%(rank)s AS tsquery), false)
                 ORDER BY a.id LIMIT %(candidates)s)
            ) AS ranked LIMIT %(candidates)s"""  # noqa: S608
    else:
        candidates = f"""
            SELECT a.id, {head} AS head
            FROM knowledge_article a WHERE {" AND ".join(where)}
            ORDER BY head DESC, a.id LIMIT %(candidates)s"""  # noqa: S608
    sql = f"""
        WITH candidates AS ({candidates})
        SELECT a.id, a.slug, a.language, v.title, v.body,
               c.head + {full} + 0.3 * similarity(a.search_title, %(raw)s) AS score
        FROM candidates c JOIN knowledge_article a ON a.id = c.id
        JOIN knowledge_articleversion v ON v.id = a.live_version_id
        ORDER BY score DESC, a.slug LIMIT %(limit)s"""  # noqa: S608
    if column == "search_vector":
        # Both GIN indexes (head and full vector) are combined by the planner on its own: one
        # round trip, no transaction.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner prices a sequential scan without the cost of decompressing every toasted
        # tsvector it tests, and so skips the GIN index for common characters; within this
        # fallback query only, make it use the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


CANDIDATES = 60
_MATCH = {
    "search_vector": "a.search_vector @@ CAST(%(match)s AS tsquery)",
    "search_chars": "a.search_chars @@ CAST(%(match)s AS tsquery)",
    "search_title": "a.search_title %% %(match)s",
}
_RANK = {  # (cheap rank over every match, full rank over the candidates)
    "search_vector": ("ts_rank(a.search_head, CAST(%(rank)s AS tsquery))",
                      "ts_rank(a.search_vector, CAST(%(rank)s AS tsquery))"),
    "search_chars": ("0", "ts_rank(a.search_chars, CAST(%(rank)s AS tsquery))"),
    "search_title": ("similarity(a.search_title, %(raw)s)", "0"),
}


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

