"""Whoosh analyzers over the archive's Chinese text layer (archive/text/): ONE pipeline
for indexing and querying.

:class:`WordTokenizer` / :func:`WordAnalyzer` give one term per word (consecutive
positions so phrase queries work, ``startchar`` / ``endchar`` offsets into the original
string); :class:`SubwordTokenizer` / :func:`SubwordAnalyzer` give the characters and
character pairs *inside* words, for what the word field cannot find (港 in 香港, 力德 in
昂宝力德宝). A text is cut once for both fields (archive/text/words.py remembers the last
few). The classes live at module level and hold no state, so Whoosh can pickle them into
the index schema.
"""
from __future__ import annotations

from whoosh.analysis import CompositeAnalyzer, Token, Tokenizer

from archive.text.fold import normalize
from archive.text.words import STANDALONE, is_han_char, word_spans


class _BaseTokenizer(Tokenizer):
    """Shared Whoosh protocol (same keyword arguments as RegexTokenizer)."""

    def _whole(self, t, value, norm, positions, chars, start_pos, start_char):
        t.original = value
        t.text = norm
        t.boost = 1.0
        t.stopped = False
        if positions:
            t.pos = start_pos
        if chars:
            t.startchar = start_char
            t.endchar = start_char + len(value)
        return t

    def __repr__(self):
        return f"{self.__class__.__name__}()"


class WordTokenizer(_BaseTokenizer):
    """Normalise, then one token per jieba word / number / letter run.

    Positions are consecutive (0, 1, 2, ... plus ``start_pos``); ``startchar`` and
    ``endchar`` are offsets into the *original* value (plus ``start_char``).  With
    ``tokenize=False`` the whole normalised value is one token (Whoosh uses that
    for wildcard, prefix and range queries).
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield self._whole(t, value, norm, positions, chars, start_pos, start_char)
            return
        pos = start_pos
        for w, s, e in word_spans(norm):
            t.text = w
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[s:e]
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + s
                t.endchar = start_char + e
            yield t

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each term of `value` and its positions, as the tokens above give them: what a
        segment writer needs without a Token per word (search/engines/whoosh/segment_writer.py)."""
        positions: dict[str, list[int]] = {}
        for pos, (w, _s, _e) in enumerate(word_spans(normalize(value))):
            found = positions.get(w)
            if found is None:
                positions[w] = [pos]
            else:
                found.append(pos)
        return positions


class SubwordTokenizer(_BaseTokenizer):
    """Fold and cut as :class:`WordTokenizer`, then, for every word of two
    or more ideographs, one token per character and, for words of three or more,
    one per pair of adjacent characters; every word of one ideograph is marked
    (``STANDALONE`` + the character).

    This is what the word field cannot find: a character or a two-character string
    that jieba only ever sees inside a longer word (港 in 香港, 长电 in 长电科技).
    Pairs across word boundaries are not indexed: they are most of the distinct
    terms of a corpus and made indexing much slower; a query spanning words
    is matched through the word field instead (search/service/results.py).  Without
    positions or offsets asked for, each term is yielded once per text.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield self._whole(t, value, norm, positions, chars, start_pos, start_char)
            return
        once = not (positions or chars or keeporiginal)
        seen: set[str] = set()
        pos = start_pos
        for w, s, _e in word_spans(norm):
            pos += 1
            if not is_han_char(w):
                continue
            for i, gram in (_subwords(w) if len(w) > 1 else ((0, STANDALONE + w),)):
                if once:
                    if gram in seen:
                        continue
                    seen.add(gram)
                t.text = gram
                t.boost = 1.0
                t.stopped = False
                span = len(gram) if len(w) > 1 else 1
                if keeporiginal:
                    t.original = value[s + i:s + i + span]
                if positions:
                    t.pos = pos - 1
                if chars:
                    t.startchar = start_char + s + i
                    t.endchar = start_char + s + i + span
                yield t

    def term_set(self, value: str) -> set[str]:
        """The distinct terms of `value` (the tokens above without positions), in one set."""
        terms: set[str] = set()
        for w, _s, _e in word_spans(normalize(value)):
            if not is_han_char(w):
                continue
            if len(w) == 1:
                terms.add(STANDALONE + w)
                continue
            terms.update(w)
            if len(w) >= 3:
                terms.update(w[i:i + 2] for i in range(len(w) - 1))
        return terms


def _subwords(word: str):
    """(offset, gram) of a word's characters and, from three characters on, its pairs."""
    for i, ch in enumerate(word):
        yield i, ch
    if len(word) >= 3:
        for i in range(len(word) - 1):
            yield i, word[i:i + 2]


def WordAnalyzer():
    """Whoosh analyzer for the word field (compose further with ``|`` if needed)."""
    return CompositeAnalyzer(WordTokenizer())


def SubwordAnalyzer():
    """Whoosh analyzer for the sub-word (inside-a-word substring) field."""
    return CompositeAnalyzer(SubwordTokenizer())
