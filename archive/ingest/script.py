"""Which script a page is written in, and its Simplified form for matching.

Parsing rules are written once, for Simplified text; a Traditional page is
matched through its character-by-character Simplified form, which has the
same length, so every offset found there is an offset in the original.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import opencc

SIMPLIFIED, TRADITIONAL = "hans", "hant"
_DICTIONARY_DIR = Path(opencc.__file__).resolve().parent / "dictionary"


def _single_char_pairs(filename: str) -> dict[str, str]:
    """source → first target, for one-character entries of an OpenCC dictionary."""
    pairs: dict[str, str] = {}
    with open(_DICTIONARY_DIR / filename, encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\n").partition("\t")
            target = targets.split(" ")[0] if targets else ""
            if len(source) == 1 and len(target) == 1 and source != target:
                pairs[source] = target
    return pairs


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], frozenset[str], frozenset[str]]:
    t2s = _single_char_pairs("TSCharacters.txt")
    s2t = _single_char_pairs("STCharacters.txt")
    traditional_only = frozenset(set(t2s) - set(s2t))
    simplified_only = frozenset(set(s2t) - set(t2s))
    return str.maketrans(t2s), traditional_only, simplified_only


def to_simplified_chars(text: str) -> str:
    """Traditional → Simplified one character at a time (same length as the input)."""
    return text.translate(_tables()[0])


@lru_cache(maxsize=1)
def _deletion_tables() -> tuple[dict[int, None], dict[int, None]]:
    _, traditional_only, simplified_only = _tables()
    return dict.fromkeys(map(ord, traditional_only)), dict.fromkeys(map(ord, simplified_only))


def detect_script(text: str) -> str:
    """'hant' when Traditional-only characters outnumber Simplified-only ones (each kind
    counted as what deleting it removes: one C-level pass instead of a Python loop per character)."""
    without_traditional, without_simplified = _deletion_tables()
    traditional = len(text) - len(text.translate(without_traditional))
    simplified = len(text) - len(text.translate(without_simplified))
    return TRADITIONAL if traditional > simplified else SIMPLIFIED
