"""Cutting folded text into words: runs of ideographs go to jieba (through
archive/text/wordcut.py); everything else is tokenised with regular expressions: digits
(``3.14`` stays one term), letters (any script), and mixed runs split at letter/digit
boundaries (``CEO2024`` -> ``ceo``, ``2024``), except that a number followed by exactly one
letter stays one unit (``5G`` -> ``5g``). Whitespace, punctuation and symbols are dropped.
Ideographs jieba does not know (Extension A/B-H, compatibility block, 〇) are
single-character words.

The query side cuts a whole query string at once, as indexing cuts a whole text (a word
can be cut differently alone than in running text).
"""
from __future__ import annotations

import re

from archive.text.dictionary import cutter
from archive.text.fold import normalize

#: Prefix of a sub-word term that says a single ideograph stood as a word of its own
#: (=园 for 长电科技 | 园): presence only, so a query need not read the word field's
#: long posting list of a common character.
STANDALONE = "="


#: Ideographs jieba's dictionary/HMM cover (its own U+4E00-U+9FD5 range).
_HAN_JIEBA = "\u4e00-\u9fd5"
#: Other ideographs: 〇, Extension A, the rest of the URO, compatibility
#: ideographs, and the supplementary ideographic planes (Ext. B-H, compat suppl.).
_HAN_OTHER = "\u3007\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN = _HAN_JIEBA + _HAN_OTHER
_ALNUM = rf"[^\W_{_HAN}]"  # letter or digit, any script, not an ideograph
_LETTER = rf"[^\W\d_{_HAN}]"
# A number (3, 3.14, 1.2.3) with an optional single unit letter (5g, 2.5d) that
# is not followed by another letter or digit.
_NUMBER = rf"\d+(?:\.\d+)*(?:[^\W\d_{_HAN}](?!{_ALNUM}))?"
_WORD = rf"{_LETTER}+"

#: Word tokenizer: group 1 = run for jieba; otherwise the match is one term.
_WORD_RE = re.compile(rf"([{_HAN_JIEBA}]+)|[{_HAN_OTHER}]|{_NUMBER}|{_WORD}")
#: Char tokenizer: one ideograph, or one number / letter run.
is_han_char = re.compile(rf"[{_HAN}]").match
_CHAR_RE = re.compile(rf"[{_HAN}]|{_NUMBER}|{_WORD}")


_CUT_CACHE: dict[str, tuple] = {}
_CUT_CACHE_SIZE = 8


def word_spans(norm: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) of every word of the normalised text, remembered for the
    last few texts: the word field and the sub-word field of one document are
    given the same text, and jieba is the largest cost of indexing."""
    words = _CUT_CACHE.get(norm)
    if words is None:
        words = tuple(_cut_words(norm))
        if len(_CUT_CACHE) >= _CUT_CACHE_SIZE:
            _CUT_CACHE.clear()
        _CUT_CACHE[norm] = words
    return words


def _cut_words(norm: str):
    cut = cutter()
    for m in _WORD_RE.finditer(norm):
        run = m.group(1)
        if run is None:
            yield m.group(), m.start(), m.end()
        elif len(run) == 1:
            s = m.start()
            yield run, s, s + 1
        else:
            s = m.start()
            for w in cut(run):
                e = s + len(w)
                yield w, s, e
                s = e



def analyze(text: str) -> list[tuple[str, int, int, int]]:
    """``[(term, position, start, end), ...]`` exactly as the word field indexes
    ``text``; ``start``/``end`` are offsets into ``text`` itself."""
    return [(w, i, s, e) for i, (w, s, e) in enumerate(word_spans(normalize(text)))]


def query_terms(text: str) -> list[str]:
    """Word-field terms of a query string, in order (duplicates kept, so they
    can build a phrase).  Cut the whole query at once, as indexing does."""
    return [w for w, _s, _e in word_spans(normalize(text))]


def char_terms(text: str) -> list[str]:
    """Single characters (and letter/number runs) of a string, in order: an exact phrase."""
    return _CHAR_RE.findall(normalize(text))


def subword_pieces(word: str) -> list[str]:
    """Terms whose AND finds `word` (normalised, all ideographs) however the text around
    it was cut: the word itself up to two characters, else pairs that cover it without
    overlap, ending, for an odd length, with the overlapping last pair (长电科技 → 长电,
    科技; 力德宝 → 力德, 德宝).  A piece may be a word of its own or sit inside a longer
    one, so the caller looks for it in both the word field and the sub-word field."""
    if len(word) <= 2:
        return [word]
    pieces = [word[i:i + 2] for i in range(0, len(word) - 1, 2)]
    if len(word) % 2:
        pieces.append(word[-2:])
    return pieces


def is_han(text: str) -> bool:
    """Whether every character of `text` is an ideograph."""
    return bool(text) and all(is_han_char(ch) for ch in text)
