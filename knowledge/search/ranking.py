"""The one ranking both profiles use. Pure Python: no Django, no database.

A backend only *retrieves* candidates (the in-memory postings on SQLite; the GIN indexes on
PostgreSQL) and hands them here as `Candidate`s with their text; the corpus statistics (document
count and each term's document frequency) come from the same analysis on both. Everything that
decides the order happens in `rank()`, so the same content gives the same order on either profile.

Terms are counted in each field's text (a Chinese word as a substring, an English stem as the
start of a word), not in the segmenter's output: the segmenter may cut an article and a query
differently (丢失 / 卡丢了), and counting text needs no per-article analysis at query time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .analyzer import CHAR_PREFIX, Query, Vocabulary

# Weight of one occurrence per field, and the length (in characters) at which a field counts
# as "normal" for length normalisation: a fixed pivot, so the score of an article never depends
# on what else the corpus holds beyond document frequencies.
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.5, "card": 1.2, "section": 0.6, "body": 1.0}
FIELD_PIVOT = {"title": 14, "tags": 24, "card": 80, "section": 4, "body": 500}
FIELD_B = {"title": 0.35, "tags": 0.3, "card": 0.3, "section": 0.0, "body": 0.6}
K1 = 1.4
# An article that matches only synonyms or single characters of the query keeps this share of
# its score; one that contains every query word keeps all of it.
COVERAGE_FLOOR = 0.5
PARTIAL_CREDIT = 0.7
TITLE_PHRASE_BONUS = 1.25
# An English question answered by an English article in its own words (not through a synonym
# into Chinese) gains up to this share.
LANGUAGE_BONUS = 0.3
# How much an article gains when its title and tags hold the query's words (the share of the
# query they hold): the title says what an article is about, the body what it mentions.
TITLE_COVER_BONUS = 0.65
# How much a word no article holds counts against the share of a question an article answers,
# against what a word it does hold counts (questions carry filler the articles never use).
UNKNOWN_WORD_SHARE = 1.0
# Words held by more than this share of articles (银行, 办理) still rank but do not select
# candidates: a query OR-ed over them would make the database rank nearly the whole corpus.
COMMON_WORD_SHARE = 0.2


@dataclass(frozen=True)
class Candidate:
    """An article as the ranking sees it: its live version's text."""

    slug: str
    title: str
    body: str  # plain text (Markdown removed)
    tags: Sequence[str] = ()
    section: str = ""
    card: str = ""
    language: str = "zh-hans"


@dataclass
class Hit:
    slug: str
    title: str
    score: float
    snippet: str = ""
    coverage: float = 0.0  # share of the query's own terms (idf-weighted) this article contains
    matched: list[str] = field(default_factory=list)
    language: str = ""
    # The same share counting the query's words no article knows (比特币, 停车): a question the
    # content does not speak about finds an article, but not its words.
    answered_share: float = 0.0
    # The score without what the title, the language and the whole-phrase match add: how well
    # the article's text answers the query, which is what the assistant compares between two
    # articles to decide whether to ask which one is meant (a one-word question in one title).
    text_score: float = 0.0


def selecting_terms(query: Query, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """(words, characters) that select candidates: the query's words, synonyms, corrections and
    pinyin readings the corpus knows, without the common ones; and its single characters."""
    words = [t.term for t in query.terms if t.source != "char"]
    known = sorted((w for w in dict.fromkeys(words) if vocabulary.df.get(w)),
                   key=lambda w: (vocabulary.df[w], w))
    ceiling = COMMON_WORD_SHARE * max(vocabulary.documents, 1)
    selective = [w for w in known if vocabulary.df[w] <= ceiling] or known[:1]
    # A Chinese synonym the segmenter never cuts out whole (经营贷 of "business loan": 经营 / 贷)
    # selects by its characters, as the query's own Chinese does; else an English question could
    # never reach the Chinese article its glossary words name.
    spelled = {CHAR_PREFIX + ch for t in query.terms if t.source == "synonym"
               and _CJK_WORD.fullmatch(t.term) and not vocabulary.df.get(t.term) for ch in t.term}
    chars = sorted({c for c in (*(t.term for t in query.terms if t.source == "char"), *spelled)
                    if vocabulary.df.get(c)}, key=lambda c: (vocabulary.df[c], c))
    return selective, [c for c in chars if vocabulary.df[c] <= ceiling] or chars[:1]


def idf(term: str, vocabulary: Vocabulary) -> float:
    n, df = vocabulary.documents, vocabulary.df.get(term, 0)
    if term.isascii() and term.isalpha() and term.islower():
        # An English stem among the English articles (a Chinese article rarely says "account").
        n = min(n, max(vocabulary.english_documents, df))
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _char_term(term: str) -> str:
    """A lone Chinese character of the query (钱, 打 of 钱打到别人账户) is judged by how many
    articles hold that character anywhere, not as a word the segmenter rarely cuts out alone
    (which made the commonest characters weigh as much as the rarest words)."""
    return CHAR_PREFIX + term if len(term) == 1 and _CJK_WORD.match(term) else term


def _needle(term: str) -> str:
    return term[len(CHAR_PREFIX):] if term.startswith(CHAR_PREFIX) else term.lower()


def _presence(term: str) -> str:
    """Text whose absence from an article proves the term absent (an English phrase: its first
    word's stem, as the phrase is matched in any ending)."""
    needle = _needle(term)
    words = needle.split()
    if len(words) > 1 and needle.isascii():
        return words[0][:max(3, len(words[0]) - 2)]
    return needle


@lru_cache(maxsize=8192)
def _matcher(term: str):
    """How to count a term in lower-cased text: Chinese words, characters and numbers as
    substrings; English stems and acronyms at the start of a word (exchang → exchange, exchanging)."""
    needle = _needle(term)
    if needle.isascii() and needle.isalpha():
        pattern = re.compile(rf"\b{re.escape(needle)}")
        return lambda text: len(pattern.findall(text))
    words = needle.split()
    if len(words) > 1 and all(w.isascii() and w.isalpha() for w in words):
        # An English phrase of the glossary (certificate of deposit): its words in a row, each
        # in any ending (certificates of deposits).
        phrase = re.compile(r"\b" + r"\W+".join(re.escape(w[:max(3, len(w) - 2)]) + r"\w*"
                                                for w in words))
        return lambda text: len(phrase.findall(text))
    return lambda text: text.count(needle)


@dataclass
class _Fields:
    text: dict[str, str]
    length: dict[str, float]
    whole: str  # every field at once: most terms are absent, and one look says so
    tags: frozenset[str]


@lru_cache(maxsize=4096)  # per article text: the same candidates come back query after query
def _fields(c: Candidate) -> _Fields:
    text = {"title": c.title.lower(), "tags": " | ".join(c.tags).lower(), "card": c.card.lower(),
            "section": c.section.lower(), "body": c.body.lower()}
    length = {f: 1 - FIELD_B[f] + FIELD_B[f] * len(t) / FIELD_PIVOT[f] for f, t in text.items()}
    return _Fields({f: t for f, t in text.items() if t}, length, "\n".join(text.values()),
                   frozenset(t.lower() for t in c.tags))


@dataclass
class _Plan:
    """What a query looks for, worked out once per query."""

    lines: list[tuple]  # (term, needle, weight, the query words it stands for, counter or None)
    concepts: dict[str, tuple[float, set[str]]]
    total: float  # weight of every concept
    unknown: float  # weight of the query's words no article holds
    phrases: list[str]  # the query as one phrase (and as read from pinyin or a typo)
    english: bool  # an English question (no Chinese, not pinyin)
    own: set[str]  # the query's own terms


def _plan(query: Query, vocabulary: Vocabulary) -> _Plan:
    weights = query.weights()
    idfs = {t: idf(_char_term(t), vocabulary) for t in weights}
    concept_of = _concept_keys(query)
    spelled = _spelled_idf(query, idfs, vocabulary)
    _phrase_idf(query, concept_of, idfs, vocabulary)
    concepts = _concepts(query, idfs, vocabulary, spelled)
    _synonym_idf(query, concepts, idfs)
    # A single character only counts as present (it mostly says "the segmenter cut differently";
    # its field hardly matters).
    lines = [(term, _presence(term), wq * idfs[term], concept_of[term],
              None if term.startswith(CHAR_PREFIX) else _matcher(term))
             for term, wq in weights.items()]
    own = {t.term for t in query.terms if t.source == "query"}
    # What the query reads as, typed in pinyin or with a typo (guashi, 挂是 → 挂失), is the phrase
    # when it stands for the whole query.
    readings = [t.term for t in query.terms if t.source in ("pinyin", "correction")
                and own and own <= set(t.stands_for)]
    return _Plan(lines, concepts, sum(w for w, _alts in concepts.values()) or 1.0,
                 _unknown_weight(query, concepts, vocabulary),
                 [p for p in (core_phrase(query.text), *readings) if p],
                 english=not _CJK_WORD.search(query.text) and not readings, own=own)


def rank(query: Query, candidates: Iterable[Candidate], vocabulary: Vocabulary, *,
         limit: int = 10) -> list[Hit]:
    plan = _plan(query, vocabulary)
    hits = [hit for c in candidates if (hit := _score(c, plan)) is not None]
    hits.sort(key=lambda h: (-h.score, h.slug))
    return hits[:limit]


_CHAR_TF = FIELD_WEIGHTS["body"] / (K1 + FIELD_WEIGHTS["body"])


def _score(c: Candidate, plan: _Plan) -> Hit | None:
    fields = _fields(c)
    best: dict[tuple[str, ...], float] = {}
    matched = []
    for term, needle, weight, key, count in plan.lines:
        if needle not in fields.whole:
            continue
        if count is None:
            saturated = _CHAR_TF
        else:
            tf = 0.0
            for name, text in fields.text.items():
                n = count(text)
                if n:
                    tf += FIELD_WEIGHTS[name] * n / fields.length[name]
            saturated = tf / (K1 + tf)
        if saturated:
            best[key] = max(best.get(key, 0.0), weight * saturated)
            matched.append(term)
    score = _per_word(best)
    if not score:
        return None
    cov_factor = COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * min(
        _covered(plan.concepts, set(matched)) / plan.total, 1.0)
    text_score = score * cov_factor
    title = fields.text.get("title", "")
    if any(p in title or p in fields.tags for p in plan.phrases):
        score *= TITLE_PHRASE_BONUS
    head = title + " | " + fields.text.get("tags", "")
    in_head = {t for t, needle, *_rest in plan.lines if t in matched and needle in head}
    score *= 1 + TITLE_COVER_BONUS * min(_covered(plan.concepts, in_head) / plan.total, 1.0)
    covered = _covered(plan.concepts, set(matched))
    cov = min(covered / plan.total, 1.0)
    if plan.english and c.language == "en":
        own_cov = min(_covered(plan.concepts, set(matched) & plan.own) / plan.total, 1.0)
        score *= 1 + LANGUAGE_BONUS * own_cov
    score *= cov_factor
    return Hit(c.slug, c.title, round(score, 6), coverage=round(cov, 3), matched=matched,
               language=c.language,
               answered_share=round(min(covered / (plan.total + plan.unknown), 1.0), 3),
               text_score=round(text_score, 6))


def _per_word(best: dict[tuple[str, ...], float]) -> float:
    """The score of the best terms, each of the query's own words counted once: a term standing for
    two words (销户 for "close account") lends half its score to each, and a word takes the best
    score any term lends it (an article does not win by matching "account" and then "card" of the
    synonym "cancel card" for the same words)."""
    per: dict[str, float] = {}
    for key, value in best.items():
        share = value / len(key)
        for word in key:
            per[word] = max(per.get(word, 0.0), share)
    return sum(per.values())


def _concept_keys(query: Query) -> dict[str, tuple[str, ...]]:
    """Terms that stand for the same words of the query (挂失 and its synonyms 丢失, 遗失) count
    once, by the best of them: an article does not win by repeating a group of synonyms."""
    keys: dict[str, tuple[str, ...]] = {}
    for t in query.terms:
        if t.term not in keys or t.source == "query":
            keys[t.term] = t.stands_for or (t.term,)
    return keys


def _phrase_idf(query: Query, concept_of: dict[str, tuple[str, ...]], idfs: dict[str, float],
                vocabulary: Vocabulary) -> None:
    """A synonym the segmenter never produced (丢了, 找不到了: looked for as text) has no document
    frequency; it weighs what the known words it stands beside weigh, not what a word seen
    nowhere would."""
    known: dict[tuple[str, ...], float] = {}
    for term, key in concept_of.items():
        if term in vocabulary.df:
            known[key] = max(known.get(key, 0.0), idfs[term])
    for t in query.terms:
        if t.source == "synonym" and t.term not in vocabulary.df and concept_of[t.term] in known:
            idfs[t.term] = known[concept_of[t.term]]




def _spelled_idf(query: Query, idfs: dict[str, float], vocabulary: Vocabulary) -> set[str]:
    """A Chinese synonym the segmenter never cut out whole (经营贷, 代发工资) is as rare as its
    rarest character at most: it weighs that (not what a word seen nowhere weighs), and an article
    holding it answers the words it stands for. Returns the synonyms so weighed."""
    spelled = set()
    for t in query.terms:
        if t.source != "synonym" or t.term in vocabulary.df or not _CJK_WORD.fullmatch(t.term):
            continue
        counts = [vocabulary.df.get(CHAR_PREFIX + ch, 0) for ch in t.term]
        if min(counts):
            n = vocabulary.documents
            idfs[t.term] = math.log(1 + (n - min(counts) + 0.5) / (min(counts) + 0.5))
            spelled.add(t.term)
    return spelled


def _synonym_idf(query: Query, concepts: dict, idfs: dict[str, float]) -> None:
    """A synonym weighs what the words it stands for weigh, not its own rarity: of two articles
    that say 挂失 and 丢失 for the 丢 of 卡丢了, the one using the rarer word does not win by it."""
    for t in query.terms:
        if t.source != "synonym":
            continue
        weights = [concepts[w][0] for w in t.stands_for if w in concepts]
        if weights:
            shared = sum(weights) / len(weights)
            idfs[t.term] = min(idfs[t.term], shared)


def _concepts(query: Query, idfs: dict[str, float], vocabulary: Vocabulary,
              spelled: set[str] = frozenset()) -> dict[str, tuple[float, set[str]]]:
    """Each of the query's own terms with its weight (its idf, or that of the best term standing
    in for it when the corpus does not know it: guashi → 挂失) and the terms that stand in for it."""
    alternatives: dict[str, set[str]] = {}
    for t in query.terms:
        for own in t.stands_for:
            alternatives.setdefault(own, set()).add(t.term)
    concepts = {}
    for own, alts in alternatives.items():
        known = [idfs[a] for a in alts if a in vocabulary.df or a in spelled]
        if known:
            concepts[own] = (idfs[own] if _char_term(own) in vocabulary.df else max(known), alts)
    return concepts


def _unknown_weight(query: Query, concepts: dict, vocabulary: Vocabulary) -> float:
    """The query's content words no article holds and nothing stands in for, each weighing what a
    word seen in no article weighs."""
    unseen = idf("", Vocabulary({}, documents=vocabulary.documents))
    words = {t.term for t in query.terms if t.source == "query"
             and t.term not in concepts and len(t.term) >= 2
             and (_CJK_WORD.fullmatch(t.term) or (t.term.isascii() and t.term.isalpha()))}
    return UNKNOWN_WORD_SHARE * unseen * len(words)


_CJK_WORD = re.compile(r"[\u3400-\u9fff]+")


def _covered(concepts: dict[str, tuple[float, set[str]]], matched: set[str]) -> float:
    """Weight of the concepts found; one found only character by character (丢 of 丢了 in 丢失)
    counts for part of its weight."""
    total = 0.0
    for own, (weight, alts) in concepts.items():
        if alts & matched:
            total += weight
            continue
        chars = [CHAR_PREFIX + ch for ch in own if not own.isascii()]
        if chars:
            total += PARTIAL_CREDIT * weight * sum(c in matched for c in chars) / len(chars)
    return total


_QUESTION_NOISE = re.compile(r"[？?！!。，,、\s]|怎么办|怎么|如何|什么|多少|吗|呢|了|的|我")


def core_phrase(text: str) -> str:
    core = _QUESTION_NOISE.sub("", text.lower())
    return core if len(core) >= 2 else ""


def document_frequencies(docs: Iterable[Mapping[str, Iterable[str]]]) -> dict[str, int]:
    """Document frequency of every term over documents given as {field: terms}."""
    df: dict[str, int] = {}
    for fields in docs:
        for term in {t for terms in fields.values() for t in terms}:
            df[term] = df.get(term, 0) + 1
    return df
