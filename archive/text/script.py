"""Which script a page is written in, and its Simplified form for matching.

Parsing rules are written once, for Simplified text; a Traditional page is
matched through its character-by-character Simplified form, which has the
same length, so every offset found there is an offset in the original.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import opencc

SIMPLIFIED, TRADITIONAL, NO_SCRIPT = "hans", "hant", "none"
CHINESE, JAPANESE, KOREAN, LATIN = "zh", "ja", "ko", "latn"
_KANA_RE = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Texts from this length on are looked up per code point in arrays (one NumPy pass instead of
# str.translate's dict lookup per character; shorter texts do not repay the conversion).
LONG_TEXT = 128
_ARRAY_END = 0x40000  # the end of the tertiary ideographic plane, past every character OpenCC lists
_NEITHER, _TRADITIONAL_ONLY, _SIMPLIFIED_ONLY = 0, 1, 2
_DICTIONARY_DIR = Path(opencc.__file__).resolve().parent / "dictionary"


def opencc_dictionary_path(filename: str) -> Path:
    """One of OpenCC's dictionary files (its data, not its converter, is what the archive uses)."""
    path = _DICTIONARY_DIR / filename
    if not path.is_file():  # e.g. the C++ 'opencc' package installed under the same module name
        raise RuntimeError(f"OpenCC dictionary {path} not found; the archive expects opencc-python-reimplemented")
    return path


def opencc_character_pairs(filename: str) -> dict[str, str]:
    """source → first target, for the one-character entries of an OpenCC dictionary."""
    pairs: dict[str, str] = {}
    with open(opencc_dictionary_path(filename), encoding="utf-8") as handle:
        for line in handle:
            source, _, targets = line.rstrip("\r\n").partition("\t")
            target = targets.split(" ")[0] if targets else ""
            if len(source) == 1 and len(target) == 1 and source != target:
                pairs[source] = target
    return pairs


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], frozenset[str], frozenset[str]]:
    t2s = opencc_character_pairs("TSCharacters.txt")
    s2t = opencc_character_pairs("STCharacters.txt")
    traditional_only = frozenset(set(t2s) - set(s2t))
    simplified_only = frozenset(set(s2t) - set(t2s))
    return str.maketrans(t2s), traditional_only, simplified_only


@lru_cache(maxsize=1)
def _arrays() -> tuple[np.ndarray, np.ndarray]:
    """For every code point below _ARRAY_END: its Simplified character, and its kind."""
    table, traditional_only, simplified_only = _tables()
    highest = max(max(table), *map(ord, traditional_only | simplified_only))
    if highest >= _ARRAY_END:
        raise ValueError(f"OpenCC lists U+{highest:04X}, past the lookup arrays' end")
    simplified = np.arange(_ARRAY_END, dtype=np.uint32)
    simplified[np.fromiter(table, dtype=np.int64)] = [ord(target) for target in table.values()]
    kinds = np.zeros(_ARRAY_END, dtype=np.int8)
    kinds[[ord(ch) for ch in traditional_only]] = _TRADITIONAL_ONLY
    kinds[[ord(ch) for ch in simplified_only]] = _SIMPLIFIED_ONLY
    return simplified, kinds


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def to_simplified_chars(text: str) -> str:
    """Traditional → Simplified one character at a time (same length as the input)."""
    if len(text) < LONG_TEXT:
        return text.translate(_tables()[0])
    codes = _code_points(text)
    simplified = _arrays()[0]
    mapped = np.where(codes < _ARRAY_END, simplified[np.minimum(codes, _ARRAY_END - 1)], codes)
    return mapped.tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def _deletion_tables() -> tuple[dict[int, None], dict[int, None]]:
    _, traditional_only, simplified_only = _tables()
    return dict.fromkeys(map(ord, traditional_only)), dict.fromkeys(map(ord, simplified_only))


def detect_script(text: str) -> str:
    """'hant' when Traditional-only characters outnumber Simplified-only ones."""
    if len(text) < LONG_TEXT:  # each kind counted as what deleting it removes
        without_traditional, without_simplified = _deletion_tables()
        traditional = len(text) - len(text.translate(without_traditional))
        simplified = len(text) - len(text.translate(without_simplified))
    else:
        codes = _code_points(text)
        kinds = _arrays()[1][np.minimum(codes, _ARRAY_END - 1)]
        counts = np.bincount(kinds[codes < _ARRAY_END], minlength=3)
        traditional, simplified = int(counts[_TRADITIONAL_ONLY]), int(counts[_SIMPLIFIED_ONLY])
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


def detect_language(text: str) -> str:
    """'zh' for Chinese; 'ja' when kana run through the text (Japanese writes its particles in
    kana, Chinese never does), 'ko' for hangul, 'latn' when Latin words outweigh Chinese characters."""
    kana_found, hangul_found = _KANA_RE.search(text), _HANGUL_RE.search(text)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not (kana_found or hangul_found) and non_ascii * 5 >= len(text):
        return CHINESE  # no kana or hangul, and too few Latin letters to outweigh the rest
    han = len(_HAN_RE.findall(text))
    kana = len(_KANA_RE.findall(text)) if kana_found else 0
    hangul = len(_HANGUL_RE.findall(text)) if hangul_found else 0
    if kana >= 10 and kana * 10 >= han:
        return JAPANESE
    if hangul >= 10 and hangul * 2 >= han:
        return KOREAN
    latin = sum(len(word) for word in _LATIN_WORD_RE.findall(text))
    if latin > 4 * han:
        return LATIN
    return CHINESE


def language_tag(text: str) -> str:
    """The BCP 47 tag of a piece of content, for its ``lang`` attribute: 'zh-Hans' or 'zh-Hant'
    by its script, 'ja' or 'ko'; '' for text without Chinese characters (it keeps the page's)."""
    if not text or not _HAN_RE.search(text) and not _KANA_RE.search(text) and not _HANGUL_RE.search(text):
        return ""
    language = detect_language(text)
    if language in (JAPANESE, KOREAN):
        return language
    if language == LATIN:
        return ""
    return "zh-Hant" if detect_script(text) == TRADITIONAL else "zh-Hans"
