"""Pinyin readings of words, so that a reader who types ``bandaoti`` is offered 半导体.

Readings come from pypinyin's per-character table (every reading of a character, tone
marks dropped); a word's readings are the combinations of its characters' readings, so a
character read two ways (长: chang, zhang) gives both spellings. pypinyin's own phrase
conversion is not used: it costs about a thousand times more per word.

The lexicon (:func:`words_read_as`) holds the word-cutting dictionary's common words and
the project's own (companies, places, people): the words the index can hold. It is built
in the process on its first pinyin question, from the dictionary already loaded for
cutting queries, so nothing has to walk the index; the caller asks the engine which of a
key's words articles hold.
"""
from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata

from pypinyin.pinyin_dict import pinyin_dict

from archive.text.dictionary import offered_words

#: A word with more reading combinations than this is given only the first ones.
MAX_READINGS = 8
#: Dictionary words at least this frequent enter the lexicon (about 72,000 of jieba's).
MIN_FREQUENCY = 20
LONGEST_WORD = 8
_lexicon_lock = threading.Lock()
_PINYIN_QUERY = re.compile(r"[a-zü:]+")


@functools.lru_cache(maxsize=1)
def _character_readings() -> dict[str, tuple[str, ...]]:
    readings: dict[str, tuple[str, ...]] = {}
    for code, marked in pinyin_dict.items():
        plain = [_without_tones(reading) for reading in marked.split(",")]
        readings[chr(code)] = tuple(dict.fromkeys(plain))
    return readings


def _without_tones(reading: str) -> str:
    decomposed = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def readings(word: str) -> list[str]:
    """The toneless pinyin spellings of a word, joined (半导体 → ['bandaoti']); [] when a
    character has no reading."""
    table = _character_readings()
    per_char = [table.get(ch) for ch in word]
    if not per_char or any(reading is None for reading in per_char):
        return []
    return ["".join(combo) for combo in itertools.islice(itertools.product(*per_char), MAX_READINGS)]


def as_pinyin_query(text: str) -> str | None:
    """The query as a pinyin key (letters only, lower case, ü as v, spaces and apostrophes
    dropped), or None when it is not plain pinyin."""
    key = re.sub(r"[\s']+", "", text.lower()).replace("ü", "v").replace("u:", "v")
    return key if len(key) >= 2 and _PINYIN_QUERY.fullmatch(key) else None


def load_lexicon() -> None:
    """Build the lexicon now (a web process does it at start, not on a reader's question)."""
    _lexicon()


def words_read_as(key: str) -> tuple[str, ...]:
    """Dictionary words whose pinyin is `key` (see as_pinyin_query), commonest first."""
    return _lexicon().get(key, ())


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    with _lexicon_lock:
        ranked: dict[str, list[tuple[int, str]]] = {}
        for word, frequency in offered_words(MIN_FREQUENCY, LONGEST_WORD).items():
            for key in readings(word):
                ranked.setdefault(key, []).append((frequency, word))
        return {key: tuple(word for _freq, word in sorted(found, key=lambda item: (-item[0], item[1])))
                for key, found in ranked.items()}
