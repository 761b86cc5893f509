"""Text analysis shared by every search backend: Chinese segmentation, English stemming,
synonym expansion and typo/homophone correction.

Index side: `Analyzer.terms(text)` gives the terms stored for a document (the PostgreSQL backend
stores them space-joined in a `simple` tsvector, so both backends see the same terms).
Query side: `Analyzer.query(text, synonyms=..., vocabulary=...)` gives weighted terms: the
query's own terms (1.0), synonyms (0.9) and corrections of typos (0.8).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import snowballstemmer
from pypinyin import Style, lazy_pinyin

from .dictionary import BANKING_WORDS, STOPWORDS_EN, STOPWORDS_ZH

jieba.setLogLevel(logging.WARNING)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u2160-\u216f"
_RUN = re.compile(rf"[{_CJK}]+|[A-Za-z]+|\d+(?:\.\d+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")

SYNONYM_WEIGHT = 0.9
CORRECTION_WEIGHT = 0.8
# Single Chinese characters, prefixed so they never collide with a word: they let 丢 (in
# "卡丢了") meet 丢失 and 借 meet 出借 when the segmenter cuts query and article differently.
CHAR_PREFIX = "#"
CHAR_WEIGHT = 0.35
_STOP_CHARS = frozenset("的了吗呢吧啊呀么是我你您他她它和与及或在有也都就还又这那一个怎样如何什哪"
                       "可以能会要想请否多少几久为把给被让对从到跟些啥咋嘛哦已经刚才办")


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    source: str  # "query" | "synonym" | "correction" | "char"


@dataclass
class Query:
    text: str
    terms: list[QueryTerm] = field(default_factory=list)

    def weights(self) -> dict[str, float]:
        merged: dict[str, float] = {}
        for t in self.terms:
            merged[t.term] = max(merged.get(t.term, 0.0), t.weight)
        return merged

    def highlight_words(self) -> list[str]:
        """Surface forms worth marking in a snippet (longest first so 大额存单 wins over 存单)."""
        return sorted({t.term for t in self.terms if len(t.term) > 1 and t.source != "char"},
                      key=len, reverse=True)


class SynonymTable:
    """Groups of interchangeable terms. Built from the admin-managed table at query time."""

    def __init__(self, groups: Iterable[Sequence[str]] = ()):
        self.groups = [tuple(g) for g in groups if len(g) > 1]

    def expansions(self, text: str, terms: set[str], analyzer: Analyzer) -> list[str]:
        lowered = text.lower()
        found: list[str] = []
        for group in self.groups:
            hit = any(
                (m.lower() in lowered) if _HAS_CJK.search(m) or " " in m
                else set(analyzer.terms(m)) <= terms
                for m in group
            )
            if not hit:
                continue
            for member in group:
                found.extend(analyzer.words(member))
        return found


class Vocabulary:
    """What the index knows: the terms, plus lookups that map a misspelt query word to them."""

    def __init__(self, terms: Iterable[str] | dict[str, int], documents: int = 0):
        # `terms` may map each term to the number of documents holding it (its df).
        self.df: dict[str, int] = dict(terms) if isinstance(terms, dict) else dict.fromkeys(terms, 1)
        self.terms = set(self.df)
        self.documents = documents
        self._by_pinyin: dict[tuple[str, ...], set[str]] = {}
        self._by_delete: dict[str, set[str]] = {}
        for term in self.terms:
            if _HAS_CJK.fullmatch(term[0]) and 2 <= len(term) <= 4:
                self._by_pinyin.setdefault(pinyin_key(term), set()).add(term)
            elif term.isascii() and term.isalpha() and len(term) >= 4:
                for d in _deletes(term):
                    self._by_delete.setdefault(d, set()).add(term)

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def homophones(self, chars: str) -> set[str]:
        return self._by_pinyin.get(pinyin_key(chars), set()) - {chars}

    def near_spellings(self, word: str) -> set[str]:
        found: set[str] = set()
        for d in {word, *_deletes(word)}:
            found |= self._by_delete.get(d, set())
        found.discard(word)
        return {t for t in found if _edit_distance_le1(word, t)}


# Initials and finals that speakers of southern dialects (and pinyin IMEs) confuse.
_FUZZY_PINYIN = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=65536)  # pure; every query asks it for each 2–4 character window
def pinyin_key(chars: str) -> tuple[str, ...]:
    syllables = []
    for s in lazy_pinyin(chars, style=Style.NORMAL, errors="ignore"):
        for a, b in _FUZZY_PINYIN:
            s = s.replace(a, b)
        syllables.append(s)
    return tuple(syllables)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _edit_distance_le1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Analyzer:
    """Thread-safe; one shared instance (`default_analyzer()`) is enough for a process."""

    def __init__(self, extra_words: Iterable[str] = ()):
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        for word in (*BANKING_WORDS, *extra_words):
            self._jieba.add_word(word, freq=200000)
        self._stem = snowballstemmer.stemmer("english")
        self._cache: dict[str, list[str]] = {}

    def add_words(self, words: Iterable[str]) -> None:
        with self._lock:
            for word in words:
                if _HAS_CJK.search(word):
                    self._jieba.add_word(word, freq=200000)
            self._cache.clear()

    def words(self, text: str) -> list[str]:
        """Whole words only (jieba's accurate mode): 个人住房贷款 stays one term, so a synonym
        does not drag in the generic 个人 and 贷款 of every other article."""
        words = []
        for run in _RUN.findall(text):
            if _HAS_CJK.match(run):
                with self._lock:
                    # Single characters (换 of 换外币) match everything; the word must carry it.
                    words.extend(w for w in self._jieba.lcut(run, HMM=False)
                                 if len(w) > 1 and w not in STOPWORDS_ZH)
            else:
                words.extend(self.terms(run))
        return words

    def terms(self, text: str) -> list[str]:
        """Index terms, in order, with repeats (term frequency matters)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        out: list[str] = []
        for run in _RUN.findall(text):
            if _HAS_CJK.match(run):
                with self._lock:
                    words = self._jieba.lcut_for_search(run, HMM=True)
                out.extend(w for w in words if w not in STOPWORDS_ZH)
            elif run[0].isdigit():
                out.append(run)
            else:
                word = run.lower()
                if word in STOPWORDS_EN:
                    continue
                # Acronyms (LPR, SWIFT, IBAN) stay whole; words are stemmed.
                out.append(word if run.isupper() and len(run) > 1 else self._stem.stemWord(word))
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[text] = out
        return out

    def chars(self, text: str) -> list[str]:
        """Single-character terms of the Chinese text (with repeats)."""
        return [CHAR_PREFIX + c for run in re.findall(rf"[{_CJK}]+", text) for c in run
                if c not in _STOP_CHARS]

    def query(self, text: str, *, synonyms: SynonymTable | None = None,
              vocabulary: Vocabulary | None = None) -> Query:
        query = Query(text=text)
        own = list(dict.fromkeys(self.terms(text)))
        query.terms.extend(QueryTerm(t, 1.0, "query") for t in own)
        query.terms.extend(QueryTerm(c, CHAR_WEIGHT, "char") for c in self.chars(text))
        corrections: list[str] = []
        if vocabulary is not None:
            corrections = self._corrections(text, own, vocabulary)
            query.terms.extend(QueryTerm(t, CORRECTION_WEIGHT, "correction") for t in corrections)
        if synonyms is not None:
            known = set(own) | set(corrections)
            for term in synonyms.expansions(text + " " + " ".join(corrections), known, self):
                if term not in known:
                    query.terms.append(QueryTerm(term, SYNONYM_WEIGHT, "synonym"))
        return query

    def _corrections(self, text: str, own: list[str], vocabulary: Vocabulary) -> list[str]:
        found: list[str] = []
        known = [t for t in own if len(t) >= 2 and t in vocabulary]
        # Homophone typos (挂是→挂失, 房代→房贷): every 2–4 character window of a Chinese run whose
        # pinyin equals a known word's pinyin. Windows made only of characters the query's own
        # known words already explain are skipped (房贷利率 must not yield 代理 from 贷利).
        for run in re.findall(rf"[{_CJK}]+", text):
            covered = [False] * len(run)
            for word in known:
                for m in re.finditer(re.escape(word), run):
                    covered[m.start():m.end()] = [True] * (m.end() - m.start())
            for size in (4, 3, 2):
                for i in range(len(run) - size + 1):
                    window = run[i:i + size]
                    if window in vocabulary or all(covered[i:i + size]):
                        continue
                    found.extend(vocabulary.homophones(window))
        # Spelling slips in English words (pasword→password), only for words the index lacks.
        for term in own:
            if term.isascii() and term.isalpha() and len(term) >= 4 and term not in vocabulary:
                found.extend(vocabulary.near_spellings(term))
        return [t for t in dict.fromkeys(found) if t not in own]


_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    global _default
    with _default_lock:
        if _default is None:
            _default = Analyzer()
        return _default
