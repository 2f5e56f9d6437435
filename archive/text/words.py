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
from archive.text.variants import forms_of, to_mainland_table

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
#: A run of ideographs, and a query's pieces: runs of ideographs, numbers, letter runs.
HAN_RUN = re.compile(rf"[{_HAN}]+")
_PIECE_RE = re.compile(rf"([{_HAN}]+)|{_NUMBER}|{_WORD}")
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
    """Words of folded text; a Taiwan or Hong Kong word is given as its mainland word
    (archive/text/variants.py), with the span of what the text says."""
    cut, mainland = cutter(), to_mainland_table()
    for m in _WORD_RE.finditer(norm):
        run = m.group(1)
        if run is None:
            yield m.group(), m.start(), m.end()
        elif len(run) == 1:
            s = m.start()
            yield mainland.get(run, run), s, s + 1
        else:
            s = m.start()
            for w in cut(run):
                e = s + len(w)
                yield mainland.get(w, w), s, e
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


#: A query is widened to at most this many spellings.
MAX_SPELLINGS = 6


def text_spellings(text: str) -> list[str]:
    """The folded text in every spelling of its words (积体电路产业 → 集成电路产业,
    积体电路产业), what lies between words kept; the mainland spelling first, at most
    MAX_SPELLINGS."""
    norm = normalize(text)
    results, cursor = [""], 0
    for word, start, end in word_spans(norm):
        between, cursor = norm[cursor:start], end
        forms = forms_of(word) if is_han_char(word) else (norm[start:end],)
        results = [f"{done}{between}{form}" for done in results for form in forms][:MAX_SPELLINGS]
    return list(dict.fromkeys(f"{done}{norm[cursor:]}" for done in results))


def substring_pieces(text: str) -> list[tuple[str, bool]]:
    """A (folded) query string as the substring fields search it: (piece, is a run of
    ideographs), in order; numbers and letter runs as the word field cuts them."""
    return [(m.group(), m.group(1) is not None) for m in _PIECE_RE.finditer(text)]


def is_han(text: str) -> bool:
    """Whether every character of `text` is an ideograph."""
    return bool(text) and all(is_han_char(ch) for ch in text)
