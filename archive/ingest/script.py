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


def detect_script(text: str) -> str:
    """'hant' when Traditional-only characters outnumber Simplified-only ones."""
    _, traditional_only, simplified_only = _tables()
    traditional = sum(1 for ch in text if ch in traditional_only)
    simplified = sum(1 for ch in text if ch in simplified_only)
    return TRADITIONAL if traditional > simplified else SIMPLIFIED
