"""Character-level cleaning of page text: pinyin annotations, spacing, and
the rejoining of paragraphs that a column break cut in two."""
from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TONED_VOWEL = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_NEUTRAL_SYLLABLES = "de|le|me|ma|ne|ba|men|zi|tou|zhe|li|ge|er"

# A pinyin annotation is a single syllable in brackets right after a Chinese
# character: 武進(jìn). Real brackets hold Chinese text, names or words
# without tone marks, so they never match.
# A page saved in an encoding without tone-marked vowels (Big5, GBK) has `?`
# where the vowel was: 武進(j?n). Only a syllable shape is taken for that —
# optional initial, optional medial, `?`, optional final — never a bare (?).
_MANGLED_SYLLABLE = (
    r"(?=[a-zü]{0,3}\?)(?![?][)\uff09])"  # letters before the `?`, and not a bare (?)
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[iuü]?\?[aeiouü]?(?:ng|n|r)?"
)
PINYIN_RE = re.compile(
    rf"(?<=[{CJK}])[(\uff08]\s*"
    rf"(?:[a-zü]{{0,6}}[{_TONED_VOWEL}][a-zü]{{0,6}}|[a-zü]{{1,6}}[1-5]|(?:{_NEUTRAL_SYLLABLES})"
    rf"|{_MANGLED_SYLLABLE})"
    rf"\s*[)\uff09]"
)
# A character the page's encoding could not hold was saved as `?` (or decoded as U+FFFD), and its
# pinyin gloss survived after it: 準(zhǔn) → ?zhǔn) or ?(zhǔn). The lost character cannot be
# told from one syllable, so the `?` and its gloss go together. Taken only after a Chinese
# character, and a gloss without brackets only when tone-marked and followed by no letter: a real
# question mark is not followed by a tone-marked syllable.
_TONED_SYLLABLE = rf"[a-zü]{{0,6}}[{_TONED_VOWEL}][a-zü]{{0,6}}"
LOST_CHARACTER_GLOSS_RE = re.compile(
    rf"(?<=[{CJK}])[?\ufffd](?:"
    rf"[(\uff08]\s*(?:{_TONED_SYLLABLE}|[a-zü]{{1,6}}[1-5]|{_MANGLED_SYLLABLE})\s*[)\uff09]"  # ?(zhǔn)
    rf"|{_TONED_SYLLABLE}(?:[)\uff09]|(?![a-zA-Z0-9ü{_TONED_VOWEL}]))"  # ?zhǔn) or ?zhǔn
    rf")"
)

# Characters that may end a paragraph. A paragraph ending in anything else
# was cut at a column break and continues in the next one.
SENTENCE_END = set("。!?!?;;::…")
CLOSERS = set("”’」』)》\"')")

# Characters that take no room on screen: controls (but tab and line end), zero-width spaces and
# joiners, byte-order marks, the soft hyphen, direction marks, variation selectors, Hangul fillers,
# the blank braille cell and private-use code points (undisplayable glyphs of a mis-decoded page).
INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\ue000-\uf8ff\U000e0000-\U000e007f\U000f0000-\U0010ffff]"
)


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations (武進(jìn)新聞 → 武進新聞), keep real brackets; a character
    lost to the encoding goes with its gloss (鏈?zhǔn)式 → 鏈式), since nothing says which it was."""
    return PINYIN_RE.sub("", LOST_CHARACTER_GLOSS_RE.sub("", text))


def strip_invisible(text: str) -> str:
    """Text without invisible characters: a line made only of them is an empty line, never a
    headline, and a word split by a zero-width space is found again."""
    return INVISIBLE_RE.sub("", text)


def tidy_spaces(text: str) -> str:
    """Collapse runs of blanks (incl. ideographic space) and trim the ends."""
    return re.sub(r"[ \t\u3000\xa0]+", " ", text).strip()


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends where a paragraph may end."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
        if stripped and stripped[-1] in SENTENCE_END:
            return True
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_broken(left: str, right: str) -> str:
    """Rejoin a paragraph cut at a column break: 发展新质 + 生产力 → 发展新质生产力."""
    left, right = left.rstrip(), right.lstrip()
    if left.endswith("-") and len(left) > 1 and _is_word_char(left[-2]):
        return left[:-1] + right
    if left and right and _is_word_char(left[-1]) and _is_word_char(right[0]):
        return f"{left} {right}"
    return left + right


def rejoin_paragraphs(paragraphs: list[str]) -> list[str]:
    """Merge every paragraph that does not end a sentence into the next one."""
    merged: list[str] = []
    for paragraph in paragraphs:
        if merged and not ends_sentence(merged[-1]):
            merged[-1] = join_broken(merged[-1], paragraph)
        else:
            merged.append(paragraph)
    return merged
