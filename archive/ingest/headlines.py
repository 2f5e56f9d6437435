"""Headlines: a run of title lines split into kicker, headline and subtitle, and a headline
derived from the text of an article printed without one."""
from __future__ import annotations

import re

LONG_SINGLE_HEADLINE = 32  # a one-line headline longer than this may carry its subtitle after a space
DERIVED_HEADLINE_CHARS = 30
_CLAUSE_ENDS = ",,、 "  # what a shortened headline must not end in
SLOGAN_PART_MAX = 12  # 积极抢占新质生产力新赛道: a slogan's halves are short
_SENTENCE_END_RE = re.compile(r"(?<=[。!\uff01\uff1f])|(?<=\?)(?=\s|$|[“”\"'「」])")
LOST_CHARACTER_RE = re.compile(r"\?(?=[^\s“”\"'「」])|(?<=\?)\?+")


def is_slogan(text: str) -> bool:
    """Two or more balanced phrases set apart by spaces: 双向赋能 共创未来."""
    parts = text.split(" ")
    if len(parts) < 2 or any(not 4 <= len(part) <= SLOGAN_PART_MAX for part in parts):
        return False
    lengths = [len(part) for part in parts]
    return max(lengths) <= 2 * min(lengths)


def split_headline_run(heads: list[str]) -> tuple[str, str, str]:
    """(kicker, headline, subheadline) from one to three headline lines."""
    heads = [head.strip() for head in heads if head.strip()]
    if not heads:
        return "", "", ""
    if len(heads) == 1:
        return ("", *_split_single(heads[0]))
    if len(heads) == 2:
        first, second = heads
        if is_slogan(first) and not is_slogan(second):
            return first, second, ""
        if len(first) * 2 < len(second) and not is_slogan(second):
            return first, second, ""
        return "", first, second
    return heads[0], heads[1], " ".join(heads[2:])


def _split_single(head: str) -> tuple[str, str]:
    """A long one-line headline with a space may carry its subtitle: 主题 副题."""
    if len(head) > LONG_SINGLE_HEADLINE and " " in head:
        main, _, rest = head.partition(" ")
        if len(main) >= 10 and len(rest) >= 10:
            return main, rest
    return head, ""


def derive_headline(paragraph: str) -> str:
    """A headline for an article printed without one: its first sentence, shortened. A `?` run
    into the text around it (完成90%以上?!拔覀…) is a character a wrong decoding lost, not a
    question's end, and never stands in a headline."""
    sentence = _SENTENCE_END_RE.split(paragraph, maxsplit=1)[0]
    sentence = LOST_CHARACTER_RE.sub("", sentence)
    if len(sentence) > DERIVED_HEADLINE_CHARS:
        sentence = sentence[:DERIVED_HEADLINE_CHARS].rstrip(_CLAUSE_ENDS) + "…"
    return sentence


def without_lost_characters(text: str) -> str:
    """A title without the `?` a wrong decoding put in place of a character."""
    return LOST_CHARACTER_RE.sub("", text)
