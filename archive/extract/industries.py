"""Industry tags from the taxonomy's keywords.

Keywords are counted longest first without overlap, so 新能源汽车 counts for
新能源汽车 and not also for 新能源; a headline hit weighs three body hits. An
article is tagged when an industry scores at least TAG_THRESHOLD — a passing
mention in a list of nine sectors does not make a story about that sector.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

HEADLINE_WEIGHT = 3
TAG_THRESHOLD = 4


def score_industries(
    headline: str, body: str, taxonomy: Iterable[tuple[str, list[str]]]
) -> dict[str, int]:
    """Industry name → score, for industries at or above the threshold."""
    keyword_owner: dict[str, str] = {}
    for industry, keywords in taxonomy:
        for keyword in keywords:
            keyword_owner.setdefault(keyword.lower(), industry)
    if not keyword_owner:
        return {}
    pattern = re.compile("|".join(map(re.escape, sorted(keyword_owner, key=len, reverse=True))))
    scores: Counter[str] = Counter()
    for text, weight in ((headline.lower(), HEADLINE_WEIGHT), (body.lower(), 1)):
        for match in pattern.finditer(text):
            scores[keyword_owner[match.group(0)]] += weight
    return {industry: score for industry, score in scores.items() if score >= TAG_THRESHOLD}
