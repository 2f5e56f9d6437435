"""The word-cutting dictionary: jieba's default dictionary plus every ``*.txt`` file in
``archive/text/userdict/`` (jieba's ``word [freq] [tag]`` format, ``#`` comments allowed),
every word passed through :func:`~archive.text.fold.normalize` so that it lives in the same
character space as folded text (显著 is also known as 显着, 乾隆 as 干隆).

**Changing a dictionary file changes how words are cut: rebuild the index afterwards.**
:func:`dictionary_fingerprint` gives a value the index stores to detect that.

A process that only cuts queries reads a compact copy of the dictionary
(archive/text/lexicon.py) instead of building jieba's, which takes memory and time.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import jieba

from archive.text.fold import fold_table, normalize
from archive.text.lexicon import CompactLexicon, cache_path
from archive.text.variants import TABLE_PATH, to_mainland_table
from archive.text.wordcut import DagCutter

#: Bump when the analysis changes in a way that needs a reindex (part of the
#: fingerprint returned by :func:`dictionary_fingerprint`).
ANALYSIS_VERSION = 5

#: Folder whose ``*.txt`` files are loaded as jieba user dictionaries.
DICTIONARY_DIR = Path(__file__).resolve().parent / "userdict"


_tokenizer_lock = threading.Lock()
_TOKENIZER = None
#: What word cutting reads word frequencies from: the tokenizer once get_tokenizer() has
#: built it, else a CompactLexicon (archive/text/lexicon.py) loaded from its cache file.
_LEXICON = None
_CUT = None  # the DagCutter over _LEXICON (precise mode, HMM)

# "word [freq] [tag]" (jieba's own userdict syntax).
_USERDICT_LINE = re.compile(r"^(\S+)(?:\s+(\d+))?(?:\s+([A-Za-z]+))?$")


def dictionary_files() -> list[Path]:
    """The user dictionary files, in load order (``archive/text/userdict/*.txt``, by name)."""
    return sorted(DICTIONARY_DIR.glob("*.txt"))


def _fingerprinted_files() -> list[Path]:
    """Every file whose content changes the word cut: the user dictionaries and the table
    of regional words (archive/text/variants.py)."""
    return [*dictionary_files(), TABLE_PATH]


def dictionary_fingerprint() -> str:
    """Hash of the analysis version and the dictionary files' names and contents.

    Store it with the index; if it differs at start-up, the index was built with
    another word cut and must be rebuilt.
    """
    h = hashlib.sha256(f"analysis-v{ANALYSIS_VERSION}\n".encode())
    for path in _fingerprinted_files():
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
    table = fold_table()
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
    jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not for command output
    tok = jieba.Tokenizer()
    tok.initialize()
    _normalise_dictionary(tok)
    for path in dictionary_files():
        for word, freq, tag in _read_userdict(path):
            tok.add_word(normalize(word), freq, tag)
    _add_regional_words(tok)
    return tok


#: The least frequency a regional word is given, so that it is cut whole (积体电路, not 积体 | 电路).
REGIONAL_WORD_FREQUENCY = 100


def _add_regional_words(tok) -> None:
    """Make every Taiwan/Hong Kong word of the variant table one word, as common as its mainland word."""
    for regional, mainland in to_mainland_table().items():
        wanted = max(tok.FREQ.get(mainland, 0), REGIONAL_WORD_FREQUENCY)
        if tok.FREQ.get(regional, 0) < wanted:
            tok.add_word(regional, wanted)


def get_tokenizer():
    """The process-wide search ``jieba.Tokenizer`` (not jieba's global one).

    Built on first use (it takes a while: see docs/performance.md): jieba's default dictionary, normalised, plus every
    ``*.txt`` file in :data:`DICTIONARY_DIR`.  A dictionary change needs a
    process restart *and a reindex*.
    """
    global _TOKENIZER, _CUT, _LEXICON
    if _TOKENIZER is None:
        with _tokenizer_lock:
            if _TOKENIZER is None:
                tok = _build_tokenizer()
                # Precise mode, HMM on, as tok.cut(run) gives it, computed by
                # archive/text/wordcut.py (faster than jieba's own).  Runs handed to it
                # contain only U+4E00-U+9FD5 ideographs.
                _CUT = DagCutter(tok)
                _LEXICON = _TOKENIZER = tok
                _save_compact_lexicon(tok)
    return _TOKENIZER


def use_full_dictionary() -> None:
    """Cut words with jieba's own dict from now on: for bulk indexing, where lookups are
    most of the work (it costs memory and start-up time once per process)."""
    get_tokenizer()


def _lexicon_version() -> str:
    """The dictionary fingerprint plus the versions of the packages the lexicon is built from."""
    return f"{dictionary_fingerprint()}-jieba{version('jieba')}-opencc{version('opencc-python-reimplemented')}"


def _save_compact_lexicon(tok) -> None:
    """Leave the compact form of `tok`'s dictionary for processes that cut few words."""
    path = compact_lexicon_path()
    if path.exists():
        return
    try:
        CompactLexicon.from_frequencies(tok.FREQ, tok.total).save(path)
    except OSError:  # a read-only temporary folder only costs the others memory
        pass


def compact_lexicon_path() -> Path:
    """Where this dictionary version's :class:`~archive.text.lexicon.CompactLexicon` is cached."""
    return cache_path(_lexicon_version())


def cutter() -> DagCutter:
    """The word cutter of this process (built on first use)."""
    return _CUT if _CUT is not None else _get_cut()


def _get_cut():
    """The cutter in use; a process that has not built the tokenizer reads the compact
    lexicon (archive/text/lexicon.py) if one is cached, else builds the tokenizer."""
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


def known_words(min_frequency: int) -> Iterator[tuple[str, int]]:
    """(word, frequency) for every word of the word-cutting dictionary at least this frequent."""
    if _LEXICON is None:
        _get_cut()
    return ((word, freq) for word, freq in _LEXICON.FREQ.items() if freq >= min_frequency)


@functools.lru_cache(maxsize=2)
def offered_words(min_frequency: int, longest: int) -> dict[str, int]:
    """The words a suggestion may offer, with their dictionary frequency: the dictionary's
    words at least this frequent and the project's own (counted as `min_frequency` when the
    dictionary does not know them), two to `longest` ideographs long. Read once per process
    (the pinyin lexicon and the one-edit words both start from it); callers do not change it."""
    common = dict(known_words(min_frequency))
    return {word: common.get(word, min_frequency) for word in set(common) | user_words()
            if 2 <= len(word) <= longest and all("\u4e00" <= ch <= "\u9fff" for ch in word)}


def dictionary_total() -> int:
    """The sum of the dictionary's word frequencies (a word's share of Chinese at large is its
    frequency over this)."""
    if _LEXICON is None:
        _get_cut()
    return _LEXICON.total


def word_frequency(word: str) -> int:
    """The (normalised) word's frequency in the word-cutting dictionary; 0 if it is not a word."""
    if _LEXICON is None:
        _get_cut()
    return _LEXICON.FREQ.get(word, 0)
