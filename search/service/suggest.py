"""Did you mean: words from the index's own vocabulary for a query that found little.

- a word with one character wrong (半导休 → 半导体): indexed words one edit away, most
  frequent first;
- pinyin typed instead of characters (bandaoti → 半导体): the pinyin lexicon
  (search/service/pinyin_lexicon.py);
- otherwise longer indexed words that start with the query's word.
"""
from __future__ import annotations

from archive.text.fold import normalize
from archive.text.pinyin import as_pinyin_query
from archive.text.words import is_han
from search.engines.base import SearchEngine
from search.service import pinyin_lexicon
from search.service.query import ParsedQuery

SUGGESTIONS = 5


def suggestions(parsed: ParsedQuery, engine: SearchEngine, limit: int = SUGGESTIONS) -> list[str]:
    """Likely intended words for each positive term of the query, best first."""
    texts = [term.text for clause in parsed.positive for term in clause.terms]
    whole = as_pinyin_query(" ".join(texts)) if len(texts) > 1 else None
    found: list[str] = pinyin_lexicon.words_read_as(whole) if whole else []  # ban dao ti: one word's syllables
    for text in texts:
        word = normalize(text).replace(" ", "")
        if word:
            found += [candidate for candidate in _for_word(word, engine) if candidate not in found]
    return found[:limit]


def _for_word(word: str, engine: SearchEngine) -> list[str]:
    key = as_pinyin_query(word)
    if key is not None:
        return pinyin_lexicon.words_read_as(key)
    if is_han(word) and len(word) >= 2:
        close = [candidate for candidate in engine.close_words(word, SUGGESTIONS) if candidate != word]
        if close:
            return close
    return [candidate for candidate in engine.suggestions([word], SUGGESTIONS) if candidate != word]
