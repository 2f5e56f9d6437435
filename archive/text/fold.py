"""Folding text for search: one code point to one code point, so the folded text has
exactly the length of the original and every offset in it is an offset in the original
(highlighting can point into the Traditional original).

:func:`normalize` applies, in this order:

* Traditional -> Simplified, character by character, from OpenCC's t2s character table
  (``TSCharacters.txt``; first candidate; chains resolved). OpenCC's phrase table is
  deliberately *not* used: it changes lengths.
* a short search-only fold table (:data:`SEARCH_FOLDS`) for characters t2s leaves alone but
  that Traditional text uses where Simplified text uses another character (看著/看着, 瞭解/了解);
* CJK compatibility ideographs and Kangxi radicals (as produced by PDF text extraction) ->
  the unified ideograph (their single-character NFKC form);
* full-width ASCII U+FF01-U+FF5E -> ASCII, U+3000 -> space;
* lowercase (only where the lowercase form is a single character).

The same folding is applied to documents and queries, so a fold can never make a document
unfindable; it can only merge characters. No Django, no Whoosh: the ingest, the extractors
and the index all use it.
"""
from __future__ import annotations

import threading
import unicodedata

import numpy as np

from archive.text.script import opencc_character_pairs

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
# The same mapping as an array indexed by code point, for long texts: one NumPy pass instead of
# a dict lookup per character (docs/performance.md has the crossover).
_LOOKUP: np.ndarray | None = None
_LOOKUP_END = 0x30000  # every code point the table changes is below this (checked when built)
LONG_TEXT = 128  # characters from which the array lookup is used


def _load_t2s_characters() -> dict[str, str]:
    """Single-character Traditional -> Simplified map (first candidate), chains resolved."""
    mapping = dict(opencc_character_pairs("TSCharacters.txt"))
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


def fold_table() -> dict[int, str]:
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
    table = _TABLE if _TABLE is not None else fold_table()
    if len(text) < LONG_TEXT:
        return text.translate(table)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = np.where(codes < _LOOKUP_END, _LOOKUP[np.minimum(codes, _LOOKUP_END - 1)], codes)
    return folded.tobytes().decode("utf-32-le", "surrogatepass")
