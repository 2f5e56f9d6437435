"""Chinese text analysis for the search index: ONE pipeline for indexing and querying.

Pipeline
========

1. :func:`normalize` folds the text with a single ``str.translate`` call, one code
   point to one code point, so **the normalised text has exactly the length of
   the original** and every offset in it is an offset in the original (highlighting
   can point into the Traditional original).  It applies, in this order:

   * Traditional -> Simplified, character by character, from OpenCC's t2s
     character table (``TSCharacters.txt``; first candidate; chains resolved).
     OpenCC's phrase table is deliberately *not* used: it changes lengths.
   * a short search-only fold table (:data:`SEARCH_FOLDS`) for characters t2s
     leaves alone but that Traditional text uses where Simplified text uses
     another character (看著/看着, 瞭解/了解, ...);
   * CJK compatibility ideographs and Kangxi radicals (as produced by PDF text
     extraction) -> the unified ideograph (their single-character NFKC form);
   * full-width ASCII U+FF01-U+FF5E -> ASCII, U+3000 -> space;
   * lowercase (only where the lowercase form is a single character).

   Because the same folding is applied to documents and queries, a fold can never
   make a document unfindable; it can only merge characters.

2. Segmentation with a dedicated :class:`jieba.Tokenizer` (precise mode, HMM on),
   built lazily once per process by :func:`get_tokenizer`, and cut by
   :class:`search.wordcut.DagCutter` (jieba's own result, computed faster).  Its dictionary is
   jieba's default dictionary plus every ``*.txt`` file in ``search/dictionary/``
   (jieba's ``word [freq] [tag]`` format, ``#`` comments allowed); all dictionary
   words are passed through :func:`normalize` so that they live in the same
   character space as the normalised text (e.g. 显著 is also known as 显着, 乾隆 as
   干隆).  **Changing a dictionary file changes segmentation: rebuild the index
   afterwards.**  :func:`dictionary_fingerprint` gives a value an indexer can
   store to detect that.

   Only runs of CJK ideographs are given to jieba.  Everything else is tokenised
   with regular expressions: digits (``3.14`` stays one term), letters (any
   script), and mixed runs split at letter/digit boundaries (``CEO2024`` ->
   ``ceo``, ``2024``; ``iPhone16`` -> ``iphone``, ``16``), except that a number
   followed by exactly one letter stays one unit (``5G`` -> ``5g``, ``2.5D`` ->
   ``2.5d``, ``3D`` -> ``3d``).  Whitespace, punctuation and symbols are dropped.
   Ideographs jieba does not know (Extension A/B-H, compatibility block, 〇) are
   single-character terms.

3. Whoosh integration: :class:`WordTokenizer` / :func:`WordAnalyzer` (one term per
   jieba word, consecutive positions so phrase queries work, ``startchar`` /
   ``endchar`` offsets into the original string) and :class:`SubwordTokenizer` /
   :func:`SubwordAnalyzer` (the characters and character pairs *inside* words,
   for what the word field cannot find: 港 in 香港, 力德 in 昂宝力德宝).  A text is
   segmented once for both fields.  The classes live at module level and hold no
   state, so Whoosh can pickle them into the index schema.

4. Plain-Python helpers for the query side: :func:`analyze`, :func:`query_terms`,
   :func:`subword_pieces`, :func:`char_terms` (single characters, for engines that
   index them with positions: search/elasticsearch.py).  Use them to segment a whole query string at once, instead
   of letting Whoosh's query parser re-segment each whitespace-separated word on
   its own (a word can be cut differently alone than in running text).

Performance: the per-character work is ``str.translate`` and compiled regular
expressions; the Python-level work is per token.  Segmentation is the bulk of the
cost.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from pathlib import Path

import numpy as np
from whoosh.analysis import CompositeAnalyzer, Token, Tokenizer

from search.lexicon import CompactLexicon, cache_path
from search.wordcut import DagCutter

__all__ = [
    "ANALYSIS_VERSION",
    "DICTIONARY_DIR",
    "SEARCH_FOLDS",
    "SubwordAnalyzer",
    "SubwordTokenizer",
    "WordAnalyzer",
    "WordTokenizer",
    "analyze",
    "char_terms",
    "compact_lexicon_path",
    "dictionary_files",
    "dictionary_fingerprint",
    "get_tokenizer",
    "normalize",
    "query_terms",
    "subword_pieces",
    "STANDALONE",
    "use_full_dictionary",
    "word_frequency",
]

#: Bump when the analysis changes in a way that needs a reindex (part of the
#: fingerprint returned by :func:`dictionary_fingerprint`).
ANALYSIS_VERSION = 4

#: Prefix of a sub-word term that says a single ideograph stood as a word of its own
#: (=园 for 长电科技 | 园): presence only, so a query need not read the word field's
#: long posting list of a common character.
STANDALONE = "="

#: Folder whose ``*.txt`` files are loaded as jieba user dictionaries.
DICTIONARY_DIR = Path(__file__).resolve().parent / "dictionary"

# ---------------------------------------------------------------------------
# 1. Normalisation
# ---------------------------------------------------------------------------

#: Search-only folds for characters that OpenCC's t2s *character* table leaves
#: alone (its first candidate is the character itself, or it is absent) although
#: Traditional text commonly uses them where Simplified text uses the target.
#: Each pair is backed by OpenCC's own data (TWVariantsRev / TSPhrases), which
#: only applies it at phrase level.  Applied to documents and queries alike.
SEARCH_FOLDS = {
    "著": "着",  # 看著/隨著/著手 (TW) = 看着/随着/着手; TWVariantsRev maps 著 -> 着.
    "瞭": "了",  # 瞭解/明瞭/一目瞭然 = 了解/明了/一目了然 (TSPhrases).
    "藉": "借",  # 藉口/憑藉/藉此 = 借口/凭借/借此 (TSPhrases).
    "衹": "只",  # 衹得/衹有 = 只得/只有 (TSPhrases, HKVariantsRev).
    "彷": "仿",  # 彷彿 = 仿佛 (TSPhrases).
}

_table_lock = threading.Lock()
_TABLE: dict[int, str] | None = None
# The same mapping as an array indexed by code point, for long texts: str.translate with a dict
# costs about 0.13 µs a character (197 µs for a 1,500-character article), the array lookup 25 µs.
_LOOKUP: np.ndarray | None = None
_LOOKUP_END = 0x30000  # every code point the table changes is below this (checked when built)
LONG_TEXT = 128  # characters from which the array is faster (measured crossover: about 80)


def _opencc_dictionary_path(name: str) -> Path:
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise RuntimeError("opencc-python-reimplemented is required for search.analysis") from exc
    path = Path(opencc.__file__).resolve().parent / "dictionary" / name
    if not path.is_file():  # pragma: no cover - e.g. the C++ 'opencc' package installed instead
        raise RuntimeError(
            f"OpenCC character table {path} not found; search.analysis expects "
            "opencc-python-reimplemented (the C++ 'opencc' package uses the same module name)"
        )
    return path


def _load_t2s_characters() -> dict[str, str]:
    """Single-character Traditional -> Simplified map (first candidate), chains resolved."""
    mapping: dict[str, str] = {}
    with open(_opencc_dictionary_path("TSCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) != 2:
                continue
            source, candidates = parts
            target = candidates.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                mapping[source] = target
    # Resolve chains (薴 -> 苧 -> 苎) so that normalize() is idempotent.
    for source in list(mapping):
        target, seen = mapping[source], {source}
        while target in mapping and target not in seen:
            seen.add(target)
            target = mapping[target]
        mapping[source] = target
    return mapping


def _lower1(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def _build_table() -> dict[int, str]:
    t2s = _load_t2s_characters()

    def fold(ch: str) -> str:
        ch = t2s.get(ch, ch)
        ch = SEARCH_FOLDS.get(ch, ch)
        return ch

    sources: set[str] = set(t2s) | set(SEARCH_FOLDS)
    # Compatibility ideographs, Kangxi radicals, CJK radicals supplement: NFKC
    # gives the unified ideograph (one code point) for most of them.
    compat: dict[str, str] = {}
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            nf = unicodedata.normalize("NFKC", ch)
            if len(nf) == 1 and nf != ch:
                compat[ch] = nf
    sources |= set(compat)
    # Full-width ASCII and the ideographic space.
    width = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    width["\u3000"] = " "
    sources |= set(width)
    # Every character whose lowercase form is a single different character
    # (cased scripts end well below U+20000).
    for cp in range(0x20000):
        ch = chr(cp)
        if ch != _lower1(ch):
            sources.add(ch)

    table: dict[int, str] = {}
    for ch in sources:
        out = compat.get(ch, ch)
        out = fold(out)
        out = width.get(out, out)
        out = _lower1(out)
        if out != ch:
            table[ord(ch)] = out
    # Sanity: strictly one code point to one code point.
    assert all(len(v) == 1 for v in table.values())
    return table


def _get_table() -> dict[int, str]:
    global _TABLE, _LOOKUP
    if _TABLE is None:
        with _table_lock:
            if _TABLE is None:
                table = _build_table()
                _LOOKUP = _lookup_array(table)
                _TABLE = table
    return _TABLE


def _lookup_array(table: dict[int, str]) -> np.ndarray:
    if max(table) >= _LOOKUP_END:
        raise ValueError(f"the fold table changes U+{max(table):04X}, past the lookup array's end")
    lookup = np.arange(_LOOKUP_END, dtype=np.uint32)
    lookup[np.fromiter(table, dtype=np.int64)] = [ord(target) for target in table.values()]
    return lookup


def normalize(text: str) -> str:
    """Fold ``text`` for search; ``len(normalize(text)) == len(text)`` always.

    Traditional -> Simplified (per character), search folds, compatibility
    ideographs -> unified, full-width ASCII -> ASCII, U+3000 -> space, lowercase.
    """
    table = _TABLE if _TABLE is not None else _get_table()
    if len(text) < LONG_TEXT:
        return text.translate(table)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = np.where(codes < _LOOKUP_END, _LOOKUP[np.minimum(codes, _LOOKUP_END - 1)], codes)
    return folded.tobytes().decode("utf-32-le", "surrogatepass")


# ---------------------------------------------------------------------------
# 2. jieba tokenizer with the user dictionaries
# ---------------------------------------------------------------------------

_tokenizer_lock = threading.Lock()
_TOKENIZER = None
#: What segmentation reads word frequencies from: the tokenizer once get_tokenizer() has
#: built it, else a CompactLexicon (search/lexicon.py) loaded from its cache file.
_LEXICON = None
_CUT = None  # the DagCutter over _LEXICON (precise mode, HMM)

# "word [freq] [tag]" (jieba's own userdict syntax).
_USERDICT_LINE = re.compile(r"^(\S+)(?:\s+(\d+))?(?:\s+([A-Za-z]+))?$")


def dictionary_files() -> list[Path]:
    """The user dictionary files, in load order (``search/dictionary/*.txt``, by name)."""
    return sorted(DICTIONARY_DIR.glob("*.txt"))


def dictionary_fingerprint() -> str:
    """Hash of the analysis version and the dictionary files' names and contents.

    Store it with the index; if it differs at start-up, the index was built with
    another segmentation and must be rebuilt.
    """
    h = hashlib.sha256(f"analysis-v{ANALYSIS_VERSION}\n".encode())
    for path in dictionary_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _read_userdict(path: Path):
    """Yield (word, freq or None, tag or None) from one dictionary file."""
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
            m = _USERDICT_LINE.match(line)
            if not m:
                raise ValueError(f"{path}:{lineno}: expected 'word [freq] [tag]', got {raw!r}")
            word, freq, tag = m.groups()
            yield word, (int(freq) if freq is not None else None), tag


@functools.lru_cache(maxsize=1)
def user_words() -> frozenset[str]:
    """Every word of the project's user dictionary (companies, places, people, terms)."""
    return frozenset(normalize(word) for path in dictionary_files() for word, _, _ in _read_userdict(path))


def _normalise_dictionary(tok) -> None:
    """Make every dictionary word also known in its normalised spelling."""
    table = _get_table()
    freq = tok.FREQ
    added = {}
    for word, f in freq.items():
        if f:
            nw = word.translate(table)
            if nw != word and freq.get(nw, 0) < f and added.get(nw, 0) < f:
                added[nw] = f
    for word, f in added.items():
        old = freq.get(word, 0)
        freq[word] = f
        tok.total += f - old
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)


def _build_tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not for command output
    tok = jieba.Tokenizer()
    tok.initialize()
    _normalise_dictionary(tok)
    for path in dictionary_files():
        for word, freq, tag in _read_userdict(path):
            tok.add_word(normalize(word), freq, tag)
    return tok


def get_tokenizer():
    """The process-wide search ``jieba.Tokenizer`` (not jieba's global one).

    Built on first use (~1 s): jieba's default dictionary, normalised, plus every
    ``*.txt`` file in :data:`DICTIONARY_DIR`.  A dictionary change needs a
    process restart *and a reindex*.
    """
    global _TOKENIZER, _CUT, _LEXICON
    if _TOKENIZER is None:
        with _tokenizer_lock:
            if _TOKENIZER is None:
                tok = _build_tokenizer()
                # Precise mode, HMM on, as tok.cut(run) gives it, computed by
                # search/wordcut.py in about half the time.  Runs handed to it
                # contain only U+4E00-U+9FD5 ideographs.
                _CUT = DagCutter(tok)
                _LEXICON = _TOKENIZER = tok
                _save_compact_lexicon(tok)
    return _TOKENIZER


def use_full_dictionary() -> None:
    """Segment with jieba's own dict from now on: for bulk indexing, where lookups
    are most of the work (it costs ~60 MB and ~1 s once per process)."""
    get_tokenizer()


def _lexicon_version() -> str:
    """The dictionary fingerprint plus the versions of the packages the lexicon is built from."""
    from importlib.metadata import version

    return f"{dictionary_fingerprint()}-jieba{version('jieba')}-opencc{version('opencc-python-reimplemented')}"


def _save_compact_lexicon(tok) -> None:
    """Leave the compact form of `tok`'s dictionary for processes that segment little."""
    path = compact_lexicon_path()
    if path.exists():
        return
    try:
        CompactLexicon.from_frequencies(tok.FREQ, tok.total).save(path)
    except OSError:  # a read-only temporary folder only costs the others memory
        pass


def compact_lexicon_path() -> Path:
    """Where this dictionary version's :class:`~search.lexicon.CompactLexicon` is cached."""
    return cache_path(_lexicon_version())


def _get_cut():
    """The cutter in use; a process that has not built the tokenizer reads the compact
    lexicon (search/lexicon.py) if one is cached, else builds the tokenizer."""
    global _CUT, _LEXICON
    if _CUT is None:
        with _tokenizer_lock:
            if _CUT is None:
                lexicon = CompactLexicon.load(compact_lexicon_path())
                if lexicon is not None:
                    _LEXICON, _CUT = lexicon, DagCutter(lexicon)
        if _CUT is None:
            get_tokenizer()
    return _CUT


def word_frequency(word: str) -> int:
    """The (normalised) word's frequency in the segmentation dictionary; 0 if it is not a word."""
    if _LEXICON is None:
        _get_cut()
    return _LEXICON.FREQ.get(word, 0)


# ---------------------------------------------------------------------------
# 3. Token patterns
# ---------------------------------------------------------------------------

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
_IS_HAN = re.compile(rf"[{_HAN}]").match
_CHAR_RE = re.compile(rf"[{_HAN}]|{_NUMBER}|{_WORD}")


def _iter_words(norm: str):
    """Yield (term, start, end) for the normalised text."""
    return iter(_segment(norm))


_SEGMENT_CACHE: dict[str, tuple] = {}
_SEGMENT_CACHE_SIZE = 8


def _segment(norm: str) -> tuple:
    """(term, start, end) of every word of the normalised text, remembered for the
    last few texts: the word field and the sub-word field of one document are
    given the same text, and jieba is the largest cost of indexing."""
    words = _SEGMENT_CACHE.get(norm)
    if words is None:
        words = tuple(_cut_words(norm))
        if len(_SEGMENT_CACHE) >= _SEGMENT_CACHE_SIZE:
            _SEGMENT_CACHE.clear()
        _SEGMENT_CACHE[norm] = words
    return words


def _cut_words(norm: str):
    cut = _CUT if _CUT is not None else _get_cut()
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


# ---------------------------------------------------------------------------
# 4. Whoosh tokenizers and analyzers
# ---------------------------------------------------------------------------


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
        assert isinstance(value, str), "%r is not unicode" % (value,)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield self._whole(t, value, norm, positions, chars, start_pos, start_char)
            return
        pos = start_pos
        for w, s, e in _segment(norm):
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
        segment writer needs without a Token per word (search/segments.py)."""
        positions: dict[str, list[int]] = {}
        for pos, (w, _s, _e) in enumerate(_segment(normalize(value))):
            found = positions.get(w)
            if found is None:
                positions[w] = [pos]
            else:
                found.append(pos)
        return positions


class SubwordTokenizer(_BaseTokenizer):
    """Normalise and segment as :class:`WordTokenizer`, then, for every word of two
    or more ideographs, one token per character and, for words of three or more,
    one per pair of adjacent characters; every word of one ideograph is marked
    (``STANDALONE`` + the character).

    This is what the word field cannot find: a character or a two-character string
    that jieba only ever sees inside a longer word (港 in 香港, 长电 in 长电科技).
    Pairs across word boundaries are not indexed: they are most of the distinct
    terms of a corpus and made indexing four times slower; a query spanning words
    is matched through the word field instead (search/service.py).  Without
    positions or offsets asked for, each term is yielded once per text.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        assert isinstance(value, str), "%r is not unicode" % (value,)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield self._whole(t, value, norm, positions, chars, start_pos, start_char)
            return
        once = not (positions or chars or keeporiginal)
        seen: set[str] = set()
        pos = start_pos
        for w, s, _e in _segment(norm):
            pos += 1
            if not _IS_HAN(w):
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
        for w, _s, _e in _segment(normalize(value)):
            if not _IS_HAN(w):
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


# ---------------------------------------------------------------------------
# 5. Plain-Python helpers
# ---------------------------------------------------------------------------


def analyze(text: str) -> list[tuple[str, int, int, int]]:
    """``[(term, position, start, end), ...]`` exactly as the word field indexes
    ``text``; ``start``/``end`` are offsets into ``text`` itself."""
    return [(w, i, s, e) for i, (w, s, e) in enumerate(_iter_words(normalize(text)))]


def query_terms(text: str) -> list[str]:
    """Word-field terms of a query string, in order (duplicates kept, so they
    can build a phrase).  Segment the whole query at once, as indexing does."""
    return [w for w, _s, _e in _iter_words(normalize(text))]


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
    return bool(text) and all(_IS_HAN(ch) for ch in text)
