"""Company names in news text.

Three sources, in order of trust: registered names (…有限公司 and other legal
forms), the curated dictionary (data/companies.txt), and short names — but a
short name (…科技, …半导体) counts only where the text itself vouches for it:
in an enumeration of firms (承芯半导体、纵慧芯光…等一批企业) or as the short
form of a full name the same text gives (亦泓科技 → 常州亦泓科技有限公司). Free
“X科技” matches are too often phrases (持续推进科技…) to be trusted.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from archive.gazetteer import JIANGSU, MAJOR_PLACES

DICTIONARY = Path(__file__).resolve().parent / "data" / "companies.txt"

FULL_SUFFIX = r"(?:股份有限公司|有限责任公司|有限公司|集团公司|总公司)"
SHORT_SUFFIX = r"(?:科技|半导体|微电子|集团|光电|电气|传媒|股份|计算机|机器人|智能装备)"
_CJK = r"\u4e00-\u9fff"
_FULL_RE = re.compile(rf"[{_CJK}A-Za-z0-9()·]{{2,30}}?{FULL_SUFFIX}")
_SHORT_RE = re.compile(rf"[{_CJK}]{{2,4}}{SHORT_SUFFIX}(?!有限|股份|公司|[(\uff08])")
_SHORT_SUFFIX_RE = re.compile(SHORT_SUFFIX)  # a clause without one holds no short name: skipped in one scan
_CLAUSE_SPLIT = re.compile(r"[,。;:!?“”‘’《》\s]")
# The last of these words ends the text before a company name.
_LEFT_STOPS = re.compile(
    r".*(?:了|前往|走访|调研|察看|考察|会见|参观|拜访|来到|与|同|对|向|在|由|是|为|将|赴|到|从|和|及|"
    r"、|暨|即|位于|其中|的|有|参会|包括|如)"
)
# An enumeration of firms: 承芯半导体、纵慧芯光、…、圣创半导体等一批行业知名企业
_ENUMERATION_RE = re.compile(r"((?:[^,。;:、]{2,16}、)+[^,。;:、]{2,16})等[^,。;]{0,10}?(?:企业|公司)")
_INDUSTRY_WORDS = re.compile(r"(?:科技|技术|生物|电子|微电子|半导体|智能|数字|产业|发展|信息|文化|传媒|新材料|投资)+$")
_PLACES = tuple(sorted(set(JIANGSU) | set(MAJOR_PLACES) | {"江苏", "中国", "国家", "苏州工业园区"}, key=len, reverse=True))


@lru_cache(maxsize=1)
def curated_names() -> dict[str, str]:
    """alias → canonical name, from lines like '深圳市创新投资集团 = 深创投, 深创投集团'."""
    names: dict[str, str] = {}
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        canonical, _, aliases = line.partition("=")
        canonical = canonical.strip()
        names[canonical] = canonical
        for alias in aliases.split(","):
            if alias.strip():
                names[alias.strip()] = canonical
    return names


def brand_of(name: str) -> str:
    """The distinctive part of a name: 江苏昂宝力德宝微电子有限公司 → 昂宝力德宝."""
    core = re.sub(rf"{FULL_SUFFIX}$", "", name)
    core = re.sub(r"[((][^()()]*[))]", "", core)
    for place in _PLACES:
        if core.startswith(place) and len(core) - len(place) >= 2:
            core = core[len(place):]
            break
    core = re.sub(r"^[市省区县]", "", core)
    return _INDUSTRY_WORDS.sub("", core)


def _trim_left(candidate: str, suffix: str = "") -> str:
    """Cut the words before a name (还现场调研了常州天地人和…公司 → 常州天地人和…公司),
    stepping back to an earlier stop when the last one falls inside the name (天地人|和).
    `suffix` (the legal form or trade word) is never searched for stops."""
    ending = re.search(rf"{suffix}$", candidate) if suffix else None
    tail = ending.group(0) if ending else ""
    body = candidate[: len(candidate) - len(tail)]
    first_cut = None
    head = body
    while match := _LEFT_STOPS.match(head):
        name = body[match.end():] + tail
        first_cut = first_cut if first_cut is not None else name
        if len(brand_of(name)) >= 2:
            return name
        head = head[:match.end() - 1]
    return first_cut if first_cut is not None else candidate


def full_names(text: str) -> list[str]:
    names = []
    for clause in _CLAUSE_SPLIT.split(text):
        if "公司" not in clause:  # every legal form ends so (the lazy pattern tries 29 lengths a character)
            continue
        for match in _FULL_RE.finditer(clause):
            name = _trim_left(match.group(0), FULL_SUFFIX).lstrip("()")
            if len(brand_of(name)) >= 2 or len(name) >= 8:
                names.append(name)
    return names


def enumerated_names(text: str) -> list[str]:
    """Items of '甲、乙、丙等…企业' lists."""
    names = []
    for clause in _CLAUSE_SPLIT.split(text.replace("、", "、")):
        if "等" not in clause:
            continue
        for match in _ENUMERATION_RE.finditer(clause):
            items = match.group(1).split("、")
            items[0] = _trim_left(items[0])
            names.extend(item for item in items if 2 <= len(item) <= 16 and not re.search(FULL_SUFFIX, item))
    return names


def short_names(text: str) -> list[str]:
    names = []
    for clause in _CLAUSE_SPLIT.split(text):
        if not _SHORT_SUFFIX_RE.search(clause):
            continue
        for part in clause.split("、"):
            for match in _SHORT_RE.finditer(part):
                names.append(_trim_left(match.group(0), SHORT_SUFFIX))
    return [name for name in names if len(brand_of(name)) >= 2]


def extract_companies(simplified: str) -> dict[str, list[str]]:
    """Canonical company name → other names it goes by in this text."""
    companies: dict[str, list[str]] = {}
    fulls = list(dict.fromkeys(full_names(simplified)))
    for name in fulls:
        companies.setdefault(name, [])
    curated = curated_names()
    for alias, canonical in curated.items():
        if alias in simplified and not any(alias in full for full in fulls):
            companies.setdefault(canonical, [])
            if alias != canonical and alias not in companies[canonical]:
                companies[canonical].append(alias)
    for name in dict.fromkeys(enumerated_names(simplified)):
        owner = _full_name_for(name, fulls)
        if owner:
            _add_alias(companies, owner, name)
        elif not any(name in known or name in aliases for known, aliases in companies.items()):
            companies.setdefault(curated.get(name, name), [])
    for short in dict.fromkeys(short_names(simplified)):
        owner = _full_name_for(short, fulls)
        if owner:
            _add_alias(companies, owner, short)
    return companies


def _add_alias(companies: dict[str, list[str]], owner: str, alias: str) -> None:
    if alias != owner and alias not in companies[owner]:
        companies[owner].append(alias)


def _full_name_for(short: str, fulls: list[str]) -> str | None:
    """The full name a short name stands for: 亦泓科技 → 常州亦泓科技有限公司."""
    brand = brand_of(short)
    if len(brand) < 2:
        return None
    for full in fulls:
        if brand in full and brand_of(full).startswith(brand[:2]):
            return full
    return None
