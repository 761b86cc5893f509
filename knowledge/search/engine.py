"""In-memory search over published articles: the embedded profile's candidate retrieval (and the
pure index the tests and the assistant core use). Pure Python: no Django.

It finds the articles holding a selecting term through postings and hands them to the one
ranking (`ranking.rank`), with the same corpus statistics the PostgreSQL backend reads from
its indexes, so both profiles order the same content the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .analyzer import Analyzer, Query, SynonymTable, Vocabulary, default_analyzer
from .ranking import Candidate, Hit, document_frequencies, rank, selecting_terms

__all__ = ["Document", "Hit", "SearchIndex", "index_fields", "make_snippet", "plain_text"]


@dataclass(frozen=True)
class Document:
    slug: str
    title: str
    body: str
    tags: Sequence[str] = ()
    category: str = ""
    section: str = ""
    language: str = "zh-hans"
    service_types: Sequence[str] = ()
    card: str = ""
    audience: str = "public"

    def candidate(self) -> Candidate:
        return Candidate(slug=self.slug, title=self.title, body=plain_text(self.body),
                         tags=tuple(self.tags), section=self.section, card=self.card,
                         language=self.language)


def index_fields(analyzer: Analyzer, *, title: str, tags: Sequence[str], section: str,
                 body: str) -> dict[str, list[str]]:
    """The terms an article is found by, per field; PostgreSQL stores the same terms in its
    search vectors (title, tags, section, body) and character column (chars)."""
    plain = plain_text(body)
    tag_terms = [t for tag in tags for t in analyzer.terms(tag)]
    return {
        "title": _with_names(analyzer.terms(title), _NAMED.findall(title)),
        # A tag is a keyword as a whole (收款码 as well as 收款 and 码): its pinyin initials
        # (skm) and spelling find it.
        "tags": _with_names(tag_terms, [t for t in tags if _WHOLE_NAME.fullmatch(t)]),
        "section": analyzer.terms(section),
        "body": _with_names(analyzer.terms(plain), _NAMED.findall(plain)),
        "chars": analyzer.chars(f"{title} {' '.join(tags)} {plain}"),
    }


# A name the text puts in brackets or quotes (城乡居民医保（新农合）, “丰收贷”, 《授权委托书》) is a
# word in its own right, which the segmenter may cut apart (新农 合).
_NAMED = re.compile(r"[（(“\"「『《【]([\u4e00-\u9fff]{2,6})[）)”\"」』》】]")
_WHOLE_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}")


def _with_names(terms: list[str], names: list[str]) -> list[str]:
    return terms + [n for n in dict.fromkeys(names) if n not in terms]


class SearchIndex:
    def __init__(self, documents: Iterable[Document], analyzer: Analyzer | None = None):
        self.analyzer = analyzer or default_analyzer()
        self.docs: list[Document] = list(documents)
        self.candidates = [d.candidate() for d in self.docs]
        fields = [index_fields(self.analyzer, title=d.title, tags=d.tags, section=d.section,
                               body=d.body) for d in self.docs]
        self.df = document_frequencies(fields)
        self.vocabulary = Vocabulary(self.df, documents=len(self.docs),
                                     english_documents=sum(d.language == "en" for d in self.docs))
        self._postings: dict[str, list[int]] = {}
        for i, f in enumerate(fields):
            for term in {t for terms in f.values() for t in terms}:
                self._postings.setdefault(term, []).append(i)

    def parse(self, text: str, synonyms: SynonymTable | None = None) -> Query:
        return self.analyzer.query(text, synonyms=synonyms, vocabulary=self.vocabulary)

    def search(self, text: str, *, synonyms: SynonymTable | None = None, limit: int = 10,
               where: Callable[[Document], bool] | None = None, language: str = "") -> list[Hit]:
        query = self.parse(text, synonyms)
        words, chars = selecting_terms(query, self.vocabulary)
        found = sorted({i for t in (*words, *chars) for i in self._postings.get(t, ())})
        chosen = [i for i in found if (where is None or where(self.docs[i]))
                  and (not language or self.docs[i].language == language)]
        hits = rank(query, (self.candidates[i] for i in chosen), self.vocabulary, limit=limit)
        bodies = {self.docs[i].slug: self.docs[i].body for i in chosen}
        for hit in hits:
            hit.snippet = make_snippet(bodies[hit.slug], query)
        return hits


_MD_INLINE = re.compile(r"\*\*|__|`")
_MD_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$", re.M)
_MD_BLOCK = re.compile(r"^\s*(#+|[-*+]|\d+\.|>)\s+", re.M)


@lru_cache(maxsize=4096)  # the same bodies come back as candidates query after query
def plain_text(markdown_body: str) -> str:
    """Markdown without its markup, for indexing and snippets."""
    text = _MD_TABLE_RULE.sub("", _MD_INLINE.sub("", markdown_body))
    text = _MD_BLOCK.sub("", text).replace("|", " ")
    return re.sub(r"[ \t]+", " ", text)


def make_snippet(body: str, query: Query, width: int = 90) -> str:
    """An HTML-escaped excerpt around the first match with matches wrapped in <mark>."""
    text = re.sub(r"\s+", " ", plain_text(body)).strip()
    words = query.highlight_words()
    pattern = _highlight_pattern(tuple(words))
    start = 0
    if pattern is not None:
        m = pattern.search(text)
        if m:
            start = max(0, m.start() - width // 3)
    excerpt = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    escaped = html.escape(excerpt)
    if pattern is not None:
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return prefix + escaped + suffix


@lru_cache(maxsize=1024)  # one pattern per query, reused for each of its hits
def _highlight_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for w in words:
        if w.isascii():
            # English terms are stems ("exchang"): mark the whole word they start.
            parts.append(rf"\b{re.escape(w)}\w*")
        else:
            parts.append(re.escape(html.escape(w)))
    return re.compile("|".join(parts), re.I) if parts else None
