"""Whoosh analyzers over the archive's Chinese text layer (archive/text/): ONE pipeline
for indexing and querying.

Three views of one text:

- :class:`WordTokenizer`: one term per word (jieba; regional words as their mainland word),
  at consecutive positions; it ranks matches and answers field queries;
- :class:`BigramTokenizer`: every pair of adjacent ideographs (at its character offset when
  positions are asked for); an article matches a query string holding all its overlapping
  pairs (substring matching);
- :class:`CharTokenizer`: which single ideographs occur, for one-character queries.

The classes live at module level and hold no state, so Whoosh can pickle them into
the index schema.
"""
from __future__ import annotations

from whoosh.analysis import CompositeAnalyzer, Token, Tokenizer

from archive.text.fold import normalize
from archive.text.words import HAN_RUN, word_spans


class _BaseTokenizer(Tokenizer):
    """Shared Whoosh protocol (same keyword arguments as RegexTokenizer): fold, then the
    subclass's tokens, or with ``tokenize=False`` the whole folded value as one token (Whoosh
    uses that for wildcard, prefix and range queries)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield self._whole(t, value, norm, positions, chars, start_pos, start_char)
            return
        yield from self._tokens(t, value, norm, positions, chars, keeporiginal, start_pos, start_char)

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
    ``endchar`` are offsets into the *original* value (plus ``start_char``).
    """

    def _tokens(self, t, value, norm, positions, chars, keeporiginal, start_pos, start_char):
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


class CharTokenizer(_BaseTokenizer):
    """One token per distinct ideograph of the text: presence is all a one-character query
    needs (港 in 香港), and without frequencies or positions the field is cheap to write."""

    def _tokens(self, t, value, norm, positions, chars, keeporiginal, start_pos, start_char):
        once = not (positions or chars or keeporiginal)
        seen: set[str] = set()
        for match in HAN_RUN.finditer(norm):
            for offset, ch in enumerate(match.group(), match.start()):
                if once and ch in seen:
                    continue
                seen.add(ch)
                yield _token_at(t, ch, value, offset, 1, positions, chars, keeporiginal, start_pos, start_char)

    def term_set(self, value: str) -> set[str]:
        """The distinct ideographs of `value`."""
        terms: set[str] = set()
        for match in HAN_RUN.finditer(normalize(value)):
            terms.update(match.group())
        return terms


class BigramTokenizer(_BaseTokenizer):
    """Every pair of adjacent ideographs, at the position of its first character in the text
    (its offset), however jieba cut the words around it (于燮康 inside 副理事长于燮康, cut
    长于 / 燮 / 康). Pairs never cross a non-ideograph. The index keeps only which pairs a text
    has: positions made a 100,000-article ingest run past 34 minutes for the same hits on the
    judged queries (docs/performance.md)."""

    def _tokens(self, t, value, norm, positions, chars, keeporiginal, start_pos, start_char):
        for match in HAN_RUN.finditer(norm):
            run, start = match.group(), match.start()
            for i in range(len(run) - 1):
                yield _token_at(t, run[i:i + 2], value, start + i, 2, positions, chars, keeporiginal,
                                start_pos, start_char)

    def term_set(self, value: str) -> set[str]:
        """The distinct pairs of `value`, for a field that stores presence only."""
        pairs: set[str] = set()
        for match in HAN_RUN.finditer(normalize(value)):
            run = match.group()
            pairs.update(run[i:i + 2] for i in range(len(run) - 1))
        return pairs


def query_bigrams(run: str) -> list[str]:
    """The overlapping pairs a run of two or more ideographs is searched as."""
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _token_at(t, text, value, offset, span, positions, chars, keeporiginal, start_pos, start_char):
    t.text = text
    t.boost = 1.0
    t.stopped = False
    if keeporiginal:
        t.original = value[offset:offset + span]
    if positions:
        t.pos = start_pos + offset
    if chars:
        t.startchar = start_char + offset
        t.endchar = start_char + offset + span
    return t


def WordAnalyzer():
    """Whoosh analyzer for the word field (compose further with ``|`` if needed)."""
    return CompositeAnalyzer(WordTokenizer())


def CharAnalyzer():
    """Whoosh analyzer for the one-character field."""
    return CompositeAnalyzer(CharTokenizer())


def BigramAnalyzer():
    """Whoosh analyzer for the character-pair field."""
    return CompositeAnalyzer(BigramTokenizer())
