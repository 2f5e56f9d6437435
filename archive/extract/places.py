"""Places an article mentions: Jiangsu's cities and districts, other
provinces and major Chinese cities, under one canonical name each."""
from __future__ import annotations

import re
from functools import lru_cache

from archive.gazetteer import JIANGSU, MAJOR_PLACES

_CANONICAL_EXTRA = {"上海市": "上海", "深圳市": "深圳", "粤港澳大湾区": "大湾区"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every spelling → canonical name (武进 → 武进区, 常州市 → 常州)."""
    names: dict[str, str] = {}
    for city, districts in JIANGSU.items():
        names[city] = city
        names[f"{city}市"] = city
        for district in districts:
            names[district] = district
            short = district[:-1]
            if len(short) >= 2 and short not in JIANGSU:
                names.setdefault(short, district)
    for place in MAJOR_PLACES:
        names.setdefault(place, _CANONICAL_EXTRA.get(place, place))
    names["江苏"] = names["江苏省"] = "江苏"
    return names


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_names(), key=len, reverse=True))))


def extract_places(simplified: str) -> list[str]:
    """Canonical places in order of first mention."""
    names = _names()
    return list(dict.fromkeys(names[match.group(0)] for match in _pattern().finditer(simplified)))
