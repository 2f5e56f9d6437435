"""Did you mean: words from the index's own vocabulary for a query that found little.

- a word with one character wrong (半导休 → 半导体): words one edit away
  (archive/text/spelling.py) that articles hold, in most articles first;
- pinyin typed instead of characters (bandaoti → 半导体): the words read that way
  (archive/text/pinyin.py) that articles hold, in most articles first;
- otherwise longer indexed words that start with the query's word.
"""
from __future__ import annotations

from archive.text.fold import normalize
from archive.text.pinyin import as_pinyin_query, words_read_as
from archive.text.spelling import one_edit_words
from archive.text.words import is_han
from search.engines.base import SearchEngine
from search.service.query import ParsedQuery

SUGGESTIONS = 5


def suggestions(parsed: ParsedQuery, engine: SearchEngine, limit: int = SUGGESTIONS) -> list[str]:
    """Likely intended words for each positive term of the query, best first."""
    texts = [term.text for clause in parsed.positive for term in clause.terms]
    whole = as_pinyin_query(" ".join(texts)) if len(texts) > 1 else None
    found: list[str] = _read_as(whole, engine) if whole else []  # ban dao ti: one word's syllables
    for text in texts:
        word = normalize(text).replace(" ", "")
        if word:
            found += [candidate for candidate in _for_word(word, engine) if candidate not in found]
    return found[:limit]


def _for_word(word: str, engine: SearchEngine) -> list[str]:
    key = as_pinyin_query(word)
    if key is not None:
        return _read_as(key, engine)
    if is_han(word) and len(word) >= 2:
        close = _held(one_edit_words(word)[:CLOSE_CANDIDATES], engine)
        if close:
            return close
    return [candidate for candidate in engine.suggestions([word], SUGGESTIONS) if candidate != word]


#: A pinyin key's words asked of the engine at most.
PINYIN_CANDIDATES = 20
#: Words one edit away asked of the engine at most (the commonest in the dictionary).
CLOSE_CANDIDATES = 40


def _read_as(key: str, engine: SearchEngine) -> list[str]:
    """Words read as `key` that articles hold, in most articles first."""
    return _held(list(words_read_as(key)[:PINYIN_CANDIDATES]), engine)


def _held(words: list[str], engine: SearchEngine) -> list[str]:
    """Those of `words` that articles hold, in most articles first."""
    counts = engine.word_counts(words)
    return [word for word, _docs in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
