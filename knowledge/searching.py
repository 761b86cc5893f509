"""Search over published articles, on the database the profile runs.

The database only *retrieves* candidates; one Python ranking (`knowledge.search.ranking.rank`)
orders them on both profiles, with the same corpus statistics, so the same content gives the
same order on either:
- PostgreSQL: the live version's analysed terms (jieba words, stems) are stored in
  `Article.search_vector` (and title/tags/section in `search_head`, single characters in
  `search_chars`), GIN-indexed tsvectors built literally. The query's selecting words
  (own words, synonyms, corrections, pinyin readings) select candidates through the indexes;
  document frequencies come from `ts_stat` over the same vectors.
- SQLite (embedded): the in-memory postings of `knowledge.search.SearchIndex` over every
  published article, rebuilt when published content or the synonym table changes.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from django.db import connection, transaction
from django.db.models import Count, Max, Q

from knowledge.models import Article, SynonymGroup
from knowledge.search import (
    Candidate,
    Document,
    SearchIndex,
    SynonymTable,
    Vocabulary,
    default_analyzer,
    index_fields,
    make_snippet,
    plain_text,
    rank,
    selecting_terms,
)


@dataclass
class SearchResult:
    slug: str
    title: str
    snippet: str
    score: float
    category: str = ""
    language: str = ""
    coverage: float = 0.0
    answered_share: float = 0.0
    related: list[dict] = field(default_factory=list)
    text_score: float = 0.0  # see knowledge.search.Hit


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
    _clear()  # not the vocabulary: it follows the statistics table by itself
    transaction.on_commit(_clear)


def _clear() -> None:
    with _lock:
        _cache.clear()


def synonym_table() -> SynonymTable:
    rows = SynonymGroup.objects.filter(is_active=True)
    return _cached("synonyms", lambda: tuple(rows.aggregate(n=Count("id"), t=Max("updated_at")).values()),
                   lambda: SynonymTable(g.term_list for g in rows))


def published_index() -> SearchIndex:
    """The in-memory index of every published article (both audiences: the corpus statistics
    must not depend on who asks; audience is a filter)."""
    articles = Article.objects.published()

    def stamp() -> tuple:
        return tuple(articles.aggregate(n=Count("id"), t=Max("content_changed_at")).values())

    def build() -> SearchIndex:
        rows = (articles.select_related("live_version", "category", "category__parent")
                .prefetch_related("service_types"))
        return SearchIndex(_document(a) for a in rows)

    return _cached("index", stamp, build)


def _document(article: Article) -> Document:
    version = article.live_version
    category = article.category
    return Document(slug=article.slug, title=version.title, body=version.body,
                    tags=version.tags, language=article.language, card=version.card,
                    category=(category.parent or category).slug, section=category.name_zh_hans,
                    service_types=tuple(s.code for s in article.service_types.all()),
                    audience=article.audience)


def search_articles(text: str, filters: Filters = Filters(), *, limit: int = 10) -> list[SearchResult]:
    text = text.strip()[:200]
    if not text:
        return []
    default_analyzer().warm()
    if connection.vendor == "postgresql":
        return _search_postgres(text, filters, limit)
    return _search_memory(text, filters, limit)


class ArticleSearch:
    """`search_articles` seen through the interface of `SearchIndex.search`, for the assistant."""

    def __init__(self, filters: Filters):
        self.filters = filters

    def search(self, text: str, *, synonyms=None, limit: int = 10, where=None,
               language: str = "") -> list[SearchResult]:
        return search_articles(text, replace(self.filters, language=language), limit=limit)


def _category_slugs(slug: str) -> set[str]:
    from knowledge.models import Category

    return set(Category.objects.filter(slug=slug).values_list("slug", flat=True)) | set(
        Category.objects.filter(parent__slug=slug).values_list("slug", flat=True))


def _search_memory(text: str, filters: Filters, limit: int) -> list[SearchResult]:
    index = published_index()
    allowed_slugs = None
    if filters.category or filters.service_type:
        qs = Article.objects.published()
        if filters.category:
            qs = qs.filter(category__slug__in=_category_slugs(filters.category))
        if filters.service_type:
            qs = qs.filter(service_types__code=filters.service_type)
        allowed_slugs = set(qs.values_list("slug", flat=True))

    def where(doc: Document) -> bool:
        if filters.public_only and doc.audience != Article.Audience.PUBLIC:
            return False
        return allowed_slugs is None or doc.slug in allowed_slugs

    hits = index.search(text, synonyms=synonym_table(), limit=limit, where=where,
                        language=filters.language)
    return [SearchResult(slug=h.slug, title=h.title, snippet=h.snippet, score=h.score,
                         language=h.language, coverage=h.coverage,
                         answered_share=h.answered_share, text_score=h.text_score) for h in hits]


# --- PostgreSQL -----------------------------------------------------------------------------

VOCABULARY_SQL = (
    "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM knowledge_article "
    "WHERE status = 'published'$$) UNION ALL "
    "SELECT word, ndoc FROM ts_stat($$SELECT search_chars FROM knowledge_article "
    "WHERE status = 'published'$$)"
)
_WEIGHT = {"title": "A", "tags": "B", "section": "C", "body": "D"}
_MAX_POSITIONS = 16383
# The most articles one query hands to the ranking. Below it the candidates are exactly the
# embedded profile's, so the order is the same; above it (thousands of articles) the ones whose
# title, tags or section hold a query word come first.
CANDIDATES = 100


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "'"


def tsvector_literal(*, title: str, tags: list[str], section: str, body: str | None) -> str:
    """The article's words as a tsvector literal with positions (term frequency) and weights.
    Without a body it is the small "head" vector (title, tags, section) that orders candidates."""
    fields = index_fields(default_analyzer(), title=title, tags=tags, section=section, body=body or "")
    positions: dict[str, list[str]] = {}
    pos = 0
    for name, weight in _WEIGHT.items():
        if name == "body" and not body:
            continue
        for term in fields[name]:
            pos = min(pos + 1, _MAX_POSITIONS)
            slots = positions.setdefault(term, [])
            if len(slots) < 255:
                slots.append(f"{pos}{weight}")
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def chars_literal(*, title: str, tags: list[str], body: str) -> str:
    """Single Chinese characters (kept apart: small, no positions)."""
    fields = index_fields(default_analyzer(), title=title, tags=tags, section="", body=body)
    return " ".join(_lexeme(c) for c in dict.fromkeys(fields["chars"]))


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


# Rows written by a transaction still open when a searcher last looked carry an earlier
# changed_at than rows it has seen: each look goes back this far.
TERMSTAT_OVERLAP = dt.timedelta(seconds=60)
TERMSTAT_SQL = "SELECT term, documents, changed_at FROM knowledge_termstat"
_vocabulary: dict = {}  # "value": Vocabulary, "stamp": content stamp, "seen": latest changed_at


def _postgres_vocabulary() -> Vocabulary:
    """Every term of published articles with its document count, from the statistics table the
    database's triggers keep (knowledge.models.TermStat). A process reads the whole table once;
    after a publish it reads only the rows changed since it last looked and updates its copy
    (a few hundred terms), so no searcher pays for counting every article again."""
    def stamp() -> tuple:
        # Publishing and archiving move `content_changed_at`; its btree index answers this in
        # well under a millisecond (a count of every article took ~70 ms on 10,000 articles).
        return tuple(Article.objects.aggregate(t=Max("content_changed_at")).values())

    if _reads_own_writes():
        # What this transaction reads may yet be rolled back, and a row rolled back never comes
        # back as a change: its vocabulary serves this search only, nothing of it is kept.
        return _vocabulary_refresh(keep=False)
    return _cached("pg-vocabulary", stamp, _vocabulary_refresh)


def _reads_own_writes() -> bool:
    """Whether this connection is inside a transaction that has written something (outside a
    transaction — every request — the answer is no without asking the database)."""
    if not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
        return bool(cursor.fetchone()[0])


def _vocabulary_refresh(keep: bool = True) -> Vocabulary:
    with _lock:
        held = dict(_vocabulary)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(changed_at) FROM knowledge_termstat")
        latest = cursor.fetchone()[0]
        # Rows this process saw are gone (a rolled-back transaction, an emptied table): read all.
        if not held or held["seen"] is None or latest is None or latest < held["seen"]:
            held = {}
            cursor.execute(TERMSTAT_SQL)
        else:
            cursor.execute(TERMSTAT_SQL + " WHERE changed_at > %s", [held["seen"] - TERMSTAT_OVERLAP])
        rows = cursor.fetchall()
    seen = max((row[2] for row in rows), default=held.get("seen"))
    df = {term: n for term, n, _at in rows}
    counts = {"documents": df.pop(" documents", None), "english_documents": df.pop(" english", None)}
    if held:
        old = held["value"]
        counts = {"documents": old.documents if counts["documents"] is None else counts["documents"],
                  "english_documents": (old.english_documents if counts["english_documents"] is None
                                        else counts["english_documents"])}
        value = old.updated(df, **counts)
    else:
        value = Vocabulary({t: n for t, n in df.items() if n > 0},
                           documents=counts["documents"] or 0,
                           english_documents=counts["english_documents"] or 0)
    if keep:
        with _lock:
            _vocabulary.update(value=value, seen=seen)
    return value


def _search_postgres(text: str, filters: Filters, limit: int) -> list[SearchResult]:
    vocabulary = _postgres_vocabulary()
    query = default_analyzer().query(text, synonyms=synonym_table(), vocabulary=vocabulary)
    words, chars = selecting_terms(query, vocabulary)
    order = [t.term for t in query.terms if t.source != "char"]
    found = _postgres_candidates(words=_or(words), chars=_or(chars), order=_or(order) or _or(words),
                                 filters=filters)
    candidates = _candidates_by_version(found)
    hits = rank(query, (c for c, _body in candidates.values()), vocabulary, limit=limit)
    bodies = {c.slug: body for c, body in candidates.values()}
    return [SearchResult(slug=h.slug, title=h.title, snippet=make_snippet(bodies[h.slug], query),
                         score=h.score, language=h.language, coverage=h.coverage,
                         answered_share=h.answered_share, text_score=h.text_score) for h in hits]


# Each article version's text as the ranking reads it, by version row: versions never change, so
# an entry is never stale. The statement that finds candidates returns only ids; the text of a
# version is read once per process (10,000 articles: ~100 candidates a query, each re-read,
# re-hashed and lower-cased every time before). The key holds the row's `xmin` (the transaction
# that wrote it) besides its id: after a restore or a flush the id sequence starts again, and an
# id alone would hand a new version the text (and slug) of the old one the process cached.
_VERSIONS: OrderedDict[tuple, tuple[Candidate, str]] = OrderedDict()
VERSION_CACHE_SIZE = 20_000
VERSION_TEXT_SQL = ("SELECT id, title, body, tags, card FROM knowledge_articleversion "
                    "WHERE id = ANY(%s)")


def _candidates_by_version(found: list[tuple]) -> dict[str, tuple[Candidate, str]]:
    """(candidate, Markdown body) per slug, in the order found, from the version cache; the
    versions not cached yet are read in one statement."""
    missing = [version_id for _slug, version_id, xmin, section, _lang in found
               if (version_id, xmin, section) not in _VERSIONS]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(VERSION_TEXT_SQL, [missing])
            texts = {row[0]: row[1:] for row in cursor.fetchall()}
    out = {}
    with _lock:
        for slug, version_id, xmin, section, language in found:
            key = (version_id, xmin, section)
            entry = _VERSIONS.get(key)
            if entry is None:
                title, body, tags, card = texts[version_id]
                entry = (Candidate(slug=slug, title=title, body=plain_text(body), tags=_tags(tags),
                                   section=section, card=card, language=language), body)
                _VERSIONS[key] = entry
                if len(_VERSIONS) > VERSION_CACHE_SIZE:
                    _VERSIONS.popitem(last=False)
            else:
                _VERSIONS.move_to_end(key)
            out[slug] = entry
    return out


def _tags(raw) -> tuple[str, ...]:
    # A raw cursor hands the JSON column over as text (Django decodes it only for models).
    return tuple(json.loads(raw) if isinstance(raw, str) else raw or ())


def _postgres_candidates(*, words: str, chars: str, order: str, filters: Filters) -> list[tuple]:
    """Up to CANDIDATES articles matching a selecting word or character, as (slug, live version id, the
    version row's xmin, section, language), in one statement: those whose title, tags or section hold a
    word (best head rank first, found through the head's own GIN index, so the thousands of articles
    that only mention a word in the body are not visited), then body-only word matches, then
    character-only matches. The parts are appended in that order under one LIMIT, so a later part is never
    executed once the earlier ones fill it."""
    if not words and not chars:
        return []
    where = ["a.status = 'published'"]
    params: dict = {"words": words or "''", "chars": chars or "''", "order": order or "''",
                    "limit": CANDIDATES}
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
    cond = " AND ".join(where)
    word_match = "a.search_vector @@ CAST(%(words)s AS tsquery)"
    head_match = "a.search_head @@ CAST(%(words)s AS tsquery)"
    parts = []
    if words:
        parts += [f"""(SELECT a.id, 0 AS part, ts_rank(a.search_head, CAST(%(order)s AS tsquery)) AS head
                      FROM knowledge_article a WHERE {cond} AND {word_match} AND {head_match}
                      ORDER BY head DESC, a.id LIMIT %(limit)s)""",  # noqa: S608
                  f"""(SELECT a.id, 1 AS part, 0 AS head FROM knowledge_article a
                      WHERE {cond} AND {word_match} AND NOT coalesce({head_match}, false)
                      ORDER BY a.id LIMIT %(limit)s)"""]  # noqa: S608
    if chars:
        no_word = f"AND NOT coalesce({word_match}, false)" if words else ""
        parts.append(f"""(SELECT a.id, 2 AS part, 0 AS head FROM knowledge_article a
                          WHERE {cond} AND a.search_chars @@ CAST(%(chars)s AS tsquery) {no_word}
                          ORDER BY a.id LIMIT %(limit)s)""")  # noqa: S608
    # Only fixed SQL fragments are joined; every value travels as a parameter.
    sql = f"""
        WITH found AS (SELECT * FROM ({" UNION ALL ".join(parts)}) AS parts LIMIT %(limit)s)
        SELECT a.slug, a.live_version_id, v.xmin::text, c.name_zh_hans, a.language
        FROM found f JOIN knowledge_article a ON a.id = f.id
        JOIN knowledge_articleversion v ON v.id = a.live_version_id
        JOIN knowledge_category c ON c.id = a.category_id
        ORDER BY f.part, f.head DESC, f.id"""  # noqa: S608
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

