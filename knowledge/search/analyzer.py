"""Text analysis shared by every search backend: Chinese segmentation, English stemming,
synonym expansion and typo/homophone correction.

Index side: `Analyzer.terms(text)` gives the terms stored for a document (the PostgreSQL backend
stores them space-joined in a `simple` tsvector, so both backends see the same terms).
Query side: `Analyzer.query(text, synonyms=..., vocabulary=...)` gives weighted terms: the
query's own terms (1.0), synonyms (0.9) and corrections of typos (0.8).
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import opencc
import snowballstemmer
from pypinyin import Style, lazy_pinyin, pinyin

from .dictionary import BANKING_WORDS, STOPWORDS_EN, STOPWORDS_ZH
from .phrasings import colloquial_spans
from .translation import is_english_word, reverse_dictionary, translate, warm_in_background

jieba.setLogLevel(logging.WARNING)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u2160-\u216f"
_RUN = re.compile(rf"[{_CJK}]+|[A-Za-z]+|\d+(?:\.\d+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")

SYNONYM_WEIGHT = 0.9
CORRECTION_WEIGHT = 0.8
# A window of the query found this often in jieba's general dictionary is a word in its own right
# and is not read as a homophone typo of a corpus word.
COMMON_WORD_FREQUENCY = 50
PINYIN_WEIGHT = 0.9  # a word typed in full pinyin (guashi → 挂失)
INITIALS_WEIGHT = 0.6  # a word typed by its initials (gs → 挂失, and every other g-s word)
# An English word read through the dictionary (tractor → 拖拉机): further from what was meant than
# a synonym an editor chose.
TRANSLATION_WEIGHT = 0.8
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
    source: str  # "query" | "synonym" | "correction" | "pinyin" | "char"
    # The query's own terms this one stands in for (挂失 for 丢 of 卡丢了, 挂失 for "guashi"):
    # an article holding it covers them.
    stands_for: tuple[str, ...] = ()


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

    def expansions(self, text: str, terms: set[str], analyzer: Analyzer, *,
                   chinese: bool = False) -> list[tuple[str, tuple[str, ...]]]:
        """(word, the members found in the query) for every member of each group the query
        mentions. A Chinese query is not expanded into English (lost card would pull the English
        articles above the Chinese one); an English query is expanded into both."""
        lowered = text.lower()
        found: list[tuple[str, tuple[str, ...]]] = []
        for members in self._members(analyzer):
            # A one-character member (卡) speaks only when the query says it alone (卡丢了), not
            # inside another word (信用卡).
            triggers = tuple(m for m, cjk, words in members
                             if ((m in terms if len(m) == 1 else m in lowered) if cjk
                                 else words and words <= terms))
            if not triggers:
                continue
            for member, cjk, words in members:
                if (chinese and not cjk) or (cjk and len(member) == 1):
                    continue
                # A Chinese member is looked for whole (大额存款凭证, not 存款 and 凭证 of every
                # deposit article); an English word by its stem, an English phrase as the phrase
                # ("payoff letter": its "off" alone says nothing).
                found.extend((w, triggers) for w in ([member] if cjk or len(words) > 1
                                                     else sorted(words)))
        return found

    def chinese_members(self, analyzer: Analyzer) -> frozenset[str]:
        prepared = self._members(analyzer)
        if getattr(self, "_chinese", None) is None or self._chinese[0] is not prepared:
            self._chinese = (prepared, frozenset(m for members in prepared for m, cjk, _w in members
                                                 if cjk))
        return self._chinese[1]

    def _members(self, analyzer: Analyzer) -> list:
        """Each group with its members as the query side needs them, worked out once per table."""
        if getattr(self, "_prepared", None) is None or self._prepared[0] is not analyzer:
            self._prepared = (analyzer, [
                [(m.lower(), bool(_HAS_CJK.search(m)), frozenset(analyzer.terms(m))) for m in group]
                for group in self.groups])
        return self._prepared[1]


class Vocabulary:
    """What the index knows: the terms, plus lookups that map a misspelt query word to them."""

    def __init__(self, terms: Iterable[str] | dict[str, int], documents: int = 0,
                 english_documents: int | None = None):
        # `terms` may map each term to the number of documents holding it (its df).
        self.df: dict[str, int] = dict(terms) if isinstance(terms, dict) else dict.fromkeys(terms, 1)
        self.terms = set(self.df)
        self.documents = documents
        # How many of the documents are written in English: an English word's rarity is judged
        # among them ("account" is in most English articles, however few they are).
        self.english_documents = documents if english_documents is None else english_documents
        self._by_pinyin: dict[tuple[str, ...], set[str]] = {}
        self._by_delete: dict[str, set[str]] = {}
        # Pinyin typed instead of characters: the whole toneless spelling of each word and single
        # character ("guashi", "gua"), and the initials of each word ("gs").
        self._by_spelling: dict[str, set[str]] = {}
        self._by_initials: dict[str, set[str]] = {}
        self._longest_spelling = 0
        # Lookup sets this Vocabulary made itself; the others it shares with the one it was
        # updated from (None: it made them all).
        self._owned: set[tuple[int, object]] | None = None
        for term in self.terms:
            self._index(term)

    def _index(self, term: str) -> None:
        """Enter a term in the lookups (the caller has copied any set it must not share)."""
        if _HAS_CJK.fullmatch(term[0]) and 2 <= len(term) <= 6:
            for syllables in _readings(term):
                self._enter(self._by_spelling, "".join(syllables), term)
                self._enter(self._by_initials, "".join(x[0] for x in syllables), term)
            if len(term) <= 4:
                self._enter(self._by_pinyin, pinyin_key(term), term)
        elif term.startswith(CHAR_PREFIX) and len(term) == 2:
            for syllable in _char_readings(term[1]):
                self._enter(self._by_spelling, syllable, term)
        elif term.isascii() and term.isalpha() and len(term) >= 4:
            for d in _deletes(term):
                self._enter(self._by_delete, d, term)

    def _enter(self, lookup: dict, key, term: str) -> None:
        found = lookup.get(key)
        if found is None:
            lookup[key] = {term}
            if self._owned is not None:
                self._owned.add((id(lookup), key))
        elif term not in found:
            if self._owned is not None and (id(lookup), key) not in self._owned:
                found = lookup[key] = set(found)  # an older Vocabulary reads that one
                self._owned.add((id(lookup), key))
            found.add(term)
        if lookup is self._by_spelling:
            self._longest_spelling = max(self._longest_spelling, len(key))

    def updated(self, df: dict[str, int], *, documents: int, english_documents: int) -> Vocabulary:
        """A new Vocabulary with these terms' document frequencies changed (0 or less: gone),
        sharing what did not change with this one; this one stays as it was for the searches
        still using it. Only terms new to the corpus are analysed."""
        new = Vocabulary.__new__(Vocabulary)
        new.df = dict(self.df)
        new.terms = set(self.terms)
        new.documents, new.english_documents = documents, english_documents
        new._by_pinyin, new._by_delete = dict(self._by_pinyin), dict(self._by_delete)
        new._by_spelling, new._by_initials = dict(self._by_spelling), dict(self._by_initials)
        new._longest_spelling = self._longest_spelling
        new._owned = set()
        for term, n in df.items():
            if n <= 0:
                new.df.pop(term, None)
                new.terms.discard(term)
                continue
            known = term in new.df
            new.df[term] = n
            if not known:
                new.terms.add(term)
                new._index(term)
        return new

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def homophones(self, chars: str) -> set[str]:
        return {t for t in self._by_pinyin.get(pinyin_key(chars), ()) if t in self.df} - {chars}

    def near_spellings(self, word: str) -> set[str]:
        found: set[str] = set()
        for d in {word, *_deletes(word)}:
            found |= self._by_delete.get(d, set())
        found.discard(word)
        return {t for t in found if t in self.df and _edit_distance_le1(word, t)}

    def from_pinyin(self, letters: str) -> tuple[list[str], list[str]]:
        """(words, initials matches) a run of pinyin letters may stand for: the words spelt by it
        (split into the fewest known words and characters: "daecundan" → 大额存单, "yinhangkaguashi"
        → 银行卡 挂失) and, for a run without vowels, the words with those initials ("gs")."""
        letters = letters.lower()
        if not letters.isascii() or not letters.isalpha():
            return [], []
        spelled = self._spelled(letters)
        # Initials are short and mostly consonants; a syllable without an initial (额 e, 安 an)
        # gives its vowel, so a run that spells nothing may still be initials (zzxe: 转账限额).
        vowels = set(letters) & set("aeiouv")
        initials = (sorted(t for t in self._by_initials.get(letters, ()) if t in self.df)
                    if len(letters) <= 6 and (not vowels or not spelled) else [])
        return spelled, initials

    def _spelled(self, letters: str) -> list[str]:
        n = len(letters)
        best: list[tuple[int, int] | None] = [None] * (n + 1)  # (pieces, start of the last piece)
        best[0] = (0, 0)
        for end in range(1, n + 1):
            for start in range(max(0, end - self._longest_spelling), end):
                # A spelling whose words have all left the corpus (an updated Vocabulary keeps
                # the key) spells nothing: else the words found would depend on what the
                # corpus held before, and the two profiles would read the same letters apart.
                if best[start] is None or not any(
                        t in self.df for t in self._by_spelling.get(letters[start:end], ())):
                    continue
                pieces = best[start][0] + 1
                if best[end] is None or pieces < best[end][0]:
                    best[end] = (pieces, start)
        if best[n] is None:
            return []
        found: list[str] = []
        end = n
        while end > 0:
            start = best[end][1]
            found.extend(sorted(t for t in self._by_spelling[letters[start:end]] if t in self.df))
            end = start
        return found


# Initials and finals that speakers of southern dialects (and pinyin IMEs) confuse.
_FUZZY_PINYIN = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=65536)
def _syllables(chars: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(chars, style=Style.NORMAL, errors="ignore", v_to_u=False))


READINGS_PER_WORD = 4


@lru_cache(maxsize=65536)
def _readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The ways a word may be spelt in pinyin: the usual reading first, then those its polyphonic
    characters allow (重置 is read zhongzhi by the converter but typed chongzhi; 还款 huankuan),
    a few at most."""
    options = [_char_readings(ch) for ch in word]
    if not all(options):
        return ()
    # The converter's phrase dictionary picks a polyphonic character's usual reading; a word of
    # characters with one reading each needs no look-up (most words: it is the slow part).
    usual = tuple(o[0] for o in options) if all(len(o) == 1 for o in options) else _syllables(word)
    if len(usual) != len(word):
        return ()
    readings = [usual]
    for combo in itertools.product(*options):
        if len(readings) >= READINGS_PER_WORD:
            break
        if combo != usual:
            readings.append(combo)
    return tuple(readings)


@lru_cache(maxsize=16384)
def _char_readings(char: str) -> tuple[str, ...]:
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(found[0])) if found else ()


@lru_cache(maxsize=65536)  # pure; every query asks it for each 2–4 character window
def pinyin_key(chars: str) -> tuple[str, ...]:
    syllables = []
    readings = _readings(chars)
    for s in (readings[0] if readings else _syllables(chars)):
        for a, b in _FUZZY_PINYIN:
            s = s.replace(a, b)
        syllables.append(s)
    return tuple(syllables)


_TO_SIMPLIFIED = opencc.OpenCC("t2s")
# Variants the converter leaves alone but the articles never use (帐户 for 账户, 转帐 for 转账).
_VARIANTS = str.maketrans({"帐": "账", "　": " "})


def formal_phrasings(text: str, own: Sequence[str]) -> list[QueryTerm]:
    """The formal phrase for a colloquial one (扣款失败 for 没扣成功), standing for the query's
    words inside the colloquial span."""
    found = colloquial_spans(text)
    terms = []
    for formal, span in found:
        if formal in own or formal in text:
            continue
        covers = tuple(w for w in own if w in span) or (formal,)
        terms.append(QueryTerm(formal, SYNONYM_WEIGHT, "synonym", covers))
    return terms


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Simplified characters (銀行卡掛失 → 银行卡挂失), half-width forms, the usual variants."""
    text = unicodedata.normalize("NFKC", text)
    if _HAS_CJK.search(text):
        text = _TO_SIMPLIFIED.convert(text)
    return _AMOUNT.sub(_amount_in_digits, text.translate(_VARIANTS))


_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# An amount in Chinese numerals (二十万, 五万, 一百万, 三千): articles write amounts in digits
# (20万). Small counts (一年, 三次) are left alone: articles write them both ways.
_AMOUNT = re.compile(r"[一二两三四五六七八九十百千]*[十百千][一二三四五六七八九]?(?=万|元|块)|"
                     r"[一二两三四五六七八九](?=万|千)")


def _amount_in_digits(match: re.Match) -> str:
    total, digit = 0, None
    for ch in match.group(0):
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return str(total + (digit or 0))


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
        self._words_cache: dict[str, list[str]] = {}  # synonym members: a few hundred at most

    def warm(self) -> None:
        """Start building what a first English question needs (the reverse dictionary)."""
        warm_in_background(self._stem.stemWord, STOPWORDS_EN)

    def add_words(self, words: Iterable[str]) -> None:
        with self._lock:
            for word in words:
                if _HAS_CJK.search(word):
                    self._jieba.add_word(word, freq=200000)
            self._cache.clear()
            self._words_cache.clear()

    def words(self, text: str) -> list[str]:
        """Whole words only (jieba's accurate mode): 个人住房贷款 stays one term, so a synonym
        does not drag in the generic 个人 and 贷款 of every other article."""
        cached = self._words_cache.get(text)
        if cached is None:
            cached = self._words_cache[text] = self._words(text)
        return cached

    def _words(self, text: str) -> list[str]:
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
        text = normalize(text)
        query = Query(text=text)
        own = list(dict.fromkeys(self._query_words(text, vocabulary, synonyms)))
        # A single character the segmenter leaves (卡, 丢 of 卡丢了) is found inside many words
        # (信用卡, 丢失): it counts as a character, and what it stands for (挂失) decides.
        query.terms.extend(QueryTerm(t, CHAR_WEIGHT if len(t) == 1 and _HAS_CJK.match(t) else 1.0,
                                     "query", (t,)) for t in own)
        query.terms.extend(QueryTerm(c, CHAR_WEIGHT, "char") for c in self.chars(text))
        if vocabulary is not None:
            query.terms.extend(self._corrections(text, own, vocabulary))
            query.terms.extend(self._from_pinyin(text, vocabulary))
        if synonyms is not None:
            query.terms.extend(self._synonyms(query, synonyms))
        if vocabulary is not None:
            query.terms.extend(self._translations(query, own, vocabulary))
        query.terms.extend(formal_phrasings(text, own))
        return query

    def _translations(self, query: Query, own: list[str], vocabulary: Vocabulary) -> list[QueryTerm]:
        """An English question's words that no synonym covers, read as the Chinese words the
        dictionary gives for them and the articles hold. Pinyin and Chinese are left alone."""
        if _HAS_CJK.search(query.text) or any(t.source == "pinyin" for t in query.terms):
            return []
        covered = {w for t in query.terms if t.source == "synonym" for w in t.stands_for}
        words = [t for t in own if t.isascii() and t.isalpha() and t.islower()]
        reverse = reverse_dictionary(self._stem.stemWord, STOPWORDS_EN)
        return [QueryTerm(word, TRANSLATION_WEIGHT, "synonym", span)
                for word, span in translate(words, reverse, lambda w: bool(vocabulary.df.get(w)),
                                            skip=lambda w: w in covered or w in vocabulary.df)]

    def _synonyms(self, query: Query, synonyms: SynonymTable) -> list[QueryTerm]:
        stands = {t.term: t.stands_for for t in query.terms if t.source != "char"}
        weight_of = {t.term: t.weight for t in query.terms if t.source != "char"}
        lowered = query.text.lower()
        chinese = bool(_HAS_CJK.search(query.text)) or any(
            t.source == "pinyin" for t in query.terms)
        extra = " ".join(t for t in stands if _HAS_CJK.search(t))
        found = []
        for word, triggers in synonyms.expansions(f"{query.text} {extra}", set(stands), self,
                                                  chinese=chinese):
            if word in stands:
                continue
            # An English trigger covers the query's stems it is made of (supplementari of
            # "supplementary card" is no substring of it).
            covers = {o for k, origin in stands.items() for m in triggers
                      if k in m.lower() or (_HAS_CJK.search(k) and m in k)
                      or (m.isascii() and k in self.terms(m)) for o in origin}
            # An English phrase rendered by one word (close account → 销户) weighs what its
            # words weigh.
            english = max((len(set(self.terms(m)) & covers) for m in triggers if m.isascii()),
                          default=1)
            # A synonym of a word read from pinyin or a typo is one step further from what was
            # typed than a synonym of a word typed as it is.
            typed = any(m.lower() in lowered for m in triggers if _HAS_CJK.search(m)) or any(
                m.isascii() for m in triggers)
            base = 1.0 if typed else max((weight_of[k] for k in stands for m in triggers
                                          if k in m.lower() or m.lower() in k), default=1.0)
            weight = SYNONYM_WEIGHT * base * max(1, english)
            found.append(QueryTerm(word, weight, "synonym", tuple(sorted(covers))))
        return found

    def _from_pinyin(self, text: str, vocabulary: Vocabulary) -> list[QueryTerm]:
        """Words typed in pinyin. A query holding any English word the articles use is English
        and is left alone; otherwise each latin word, and all of them run together, are read
        as pinyin (yinhangka guashi, dae cundan, gs)."""
        words = re.findall(r"[A-Za-z]+", text)
        if not words or any(self._stem.stemWord(w.lower()) in vocabulary or w.lower() in vocabulary
                            for w in words if w.lower() not in STOPWORDS_EN):
            return []
        if any(is_english_word(w, self._stem.stemWord, STOPWORDS_EN) for w in words):
            return []
        found: list[QueryTerm] = []
        runs = [(w,) for w in words] + ([tuple(words)] if len(words) > 1 else [])
        for run in dict.fromkeys(runs):
            covers = tuple(t for w in run for t in self.terms(w))
            spelled, initials = vocabulary.from_pinyin("".join(run))
            for term in spelled:
                char = term.startswith(CHAR_PREFIX)
                found.append(QueryTerm(term, CHAR_WEIGHT if char else PINYIN_WEIGHT,
                                       "char" if char else "pinyin", () if char else covers))
            found.extend(QueryTerm(t, INITIALS_WEIGHT, "pinyin", covers) for t in initials)
        return found

    def _query_words(self, text: str, vocabulary: Vocabulary | None,
                     synonyms: SynonymTable | None) -> list[str]:
        """The query's terms. A word the segmenter guessed (its HMM joins characters it has never
        seen together: 爸来, 办行, 贷点款) that no article holds is cut again into dictionary words
        and characters, which the articles may hold; a synonym member (最多能转) is kept."""
        terms = self.terms(text)
        if vocabulary is None:
            return terms
        members = synonyms.chinese_members(self) if synonyms is not None else frozenset()
        out: list[str] = []
        for term in terms:
            if (len(term) > 1 and _HAS_CJK.match(term) and term not in vocabulary
                    and term not in members):
                with self._lock:
                    guessed = term not in self._jieba.FREQ
                    pieces = self._jieba.lcut(term, HMM=False) if guessed else []
                # The guess itself stays: a question whose words no article holds is one the
                # content may not answer (the assistant's share of the question answered).
                out.append(term)
                out.extend(p for p in pieces if p not in STOPWORDS_ZH and p not in _STOP_CHARS)
            else:
                out.append(term)
        return out

    def _common_word(self, word: str) -> bool:
        """A word of the language in common use (进去, 别人) is what the customer meant, not a
        typo of a corpus word that sounds the same (进取)."""
        with self._lock:
            return self._jieba.FREQ.get(word, 0) >= COMMON_WORD_FREQUENCY

    def _corrections(self, text: str, own: list[str], vocabulary: Vocabulary) -> list[QueryTerm]:
        found: dict[str, set[str]] = {}
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
                    if (window in vocabulary or all(covered[i:i + size])
                            or self._common_word(window)):
                        continue
                    for word in vocabulary.homophones(window):
                        found.setdefault(word, set()).update(t for t in own if t in window)
        # Spelling slips in English words (pasword→password), only for words the index lacks.
        for term in own:
            if term.isascii() and term.isalpha() and len(term) >= 4 and term not in vocabulary:
                for word in vocabulary.near_spellings(term):
                    found.setdefault(word, set()).add(term)
        return [QueryTerm(t, CORRECTION_WEIGHT, "correction", tuple(sorted(covers)))
                for t, covers in found.items() if t not in own]


_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    global _default
    with _default_lock:
        if _default is None:
            _default = Analyzer()
        return _default
