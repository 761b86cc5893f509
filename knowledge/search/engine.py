"""In-memory BM25F search over published articles (the embedded profile's backend, and the
reference the evaluation runs against). Pure Python: no Django.

Fields are scored together (BM25F): a term in the title counts three times a term in the body,
a tag two and a half times, so "挂失" ranks the article titled 挂失 above every article that
merely mentions it.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .analyzer import Analyzer, Query, SynonymTable, Vocabulary, default_analyzer

FIELD_WEIGHTS = {"title": 3.0, "tags": 2.5, "section": 0.6, "body": 1.0, "chars": 1.0}
FIELD_B = {"title": 0.4, "tags": 0.3, "section": 0.0, "body": 0.75, "chars": 0.75}
K1 = 1.4
# An article that matches only synonyms or single characters of the query keeps this share of
# its score; one that contains every query word keeps all of it.
COVERAGE_FLOOR = 0.6
PARTIAL_CREDIT = 0.7


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


@dataclass
class Hit:
    slug: str
    title: str
    score: float
    snippet: str = ""
    coverage: float = 0.0  # share of the query's own terms (idf-weighted) this article contains
    matched: list[str] = field(default_factory=list)


@dataclass
class _Indexed:
    doc: Document
    tf: dict[str, Counter]
    length: dict[str, int]


class SearchIndex:
    def __init__(self, documents: Iterable[Document], analyzer: Analyzer | None = None):
        self.analyzer = analyzer or default_analyzer()
        self.docs: list[_Indexed] = []
        df: Counter = Counter()
        for doc in documents:
            fields = {
                "title": self.analyzer.terms(doc.title),
                "tags": [t for tag in doc.tags for t in self.analyzer.terms(tag)],
                "section": self.analyzer.terms(doc.section),
                "body": self.analyzer.terms(plain_text(doc.body)),
                "chars": self.analyzer.chars(f"{doc.title} {' '.join(doc.tags)} {doc.body}"),
            }
            tf = {name: Counter(terms) for name, terms in fields.items()}
            self.docs.append(_Indexed(doc, tf, {n: len(t) for n, t in fields.items()}))
            df.update({t for c in tf.values() for t in c})
        self.df = df
        n = max(len(self.docs), 1)
        self.avg = {f: (sum(d.length[f] for d in self.docs) / n) or 1.0 for f in FIELD_WEIGHTS}
        self.vocabulary = Vocabulary(dict(df), documents=len(self.docs))
        self._postings: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for term in {t for c in d.tf.values() for t in c}:
                self._postings.setdefault(term, []).append(i)

    def idf(self, term: str) -> float:
        n, df = len(self.docs), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _coverage(self, own: set[str], matched: set[str]) -> float:
        """idf-weighted share of the query's words found; a word found only character by
        character (丢 of 丢了 in 丢失) counts for part of its weight."""
        total = 0.0
        for term in own:
            if term not in self.df:
                continue
            if term in matched:
                total += self.idf(term)
                continue
            chars = self.analyzer.chars(term)
            if chars:
                total += PARTIAL_CREDIT * self.idf(term) * sum(c in matched for c in chars) / len(chars)
        return total

    def parse(self, text: str, synonyms: SynonymTable | None = None) -> Query:
        return self.analyzer.query(text, synonyms=synonyms, vocabulary=self.vocabulary)

    def search(self, text: str, *, synonyms: SynonymTable | None = None, limit: int = 10,
               where: Callable[[Document], bool] | None = None) -> list[Hit]:
        query = self.parse(text, synonyms)
        weights = query.weights()
        own = {t.term for t in query.terms if t.source == "query"}
        own_idf = sum(self.idf(t) for t in own if t in self.df) or 1.0
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term, wq in weights.items():
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self.idf(term)
            for i in postings:
                d = self.docs[i]
                tf = 0.0
                for f, w in FIELD_WEIGHTS.items():
                    c = d.tf[f].get(term)
                    if c:
                        norm = 1 - FIELD_B[f] + FIELD_B[f] * d.length[f] / self.avg[f]
                        tf += w * c / norm
                scores[i] = scores.get(i, 0.0) + wq * idf * tf / (K1 + tf)
                matched.setdefault(i, []).append(term)
        phrase = _core_phrase(text)
        hits = []
        for i, score in scores.items():
            doc = self.docs[i].doc
            if where is not None and not where(doc):
                continue
            if phrase and phrase in doc.title.lower():
                score *= 1.25
            cov = self._coverage(own, set(matched[i])) / own_idf
            score *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * min(cov, 1.0)
            hits.append(Hit(doc.slug, doc.title, round(score, 4), coverage=round(min(cov, 1.0), 3),
                            matched=matched[i]))
        hits.sort(key=lambda h: (-h.score, h.slug))
        hits = hits[:limit]
        by_slug = {d.doc.slug: d.doc for d in self.docs}
        for hit in hits:
            hit.snippet = make_snippet(by_slug[hit.slug].body, query)
        return hits


_MD_INLINE = re.compile(r"\*\*|__|`")
_MD_TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$", re.M)
_MD_BLOCK = re.compile(r"^\s*(#+|[-*+]|\d+\.|>)\s+", re.M)


def plain_text(markdown_body: str) -> str:
    """Markdown without its markup, for indexing and snippets."""
    text = _MD_TABLE_RULE.sub("", _MD_INLINE.sub("", markdown_body))
    text = _MD_BLOCK.sub("", text).replace("|", " ")
    return re.sub(r"[ \t]+", " ", text)


_QUESTION_NOISE = re.compile(r"[？?！!。，,、\s]|怎么办|怎么|如何|什么|多少|吗|呢|了|的|我")


def _core_phrase(text: str) -> str:
    core = _QUESTION_NOISE.sub("", text.lower())
    return core if len(core) >= 2 else ""


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
