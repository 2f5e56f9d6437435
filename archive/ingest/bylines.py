"""Who wrote it and where it came from: ledes (本报讯 (记者 …)), sign-offs
((惠晓婧)), photo credits (徐晶玮 摄) and web metadata lines (时间:/来源:/作者:).

All patterns run on the Simplified form of the text; the names returned are
cut from the original at the same offsets, so a Traditional page keeps its
Traditional names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME = r"[\u4e00-\u9fff·]{2,4}"
ROLE = r"(?:本报|本刊|本台|本网|特约|见习|实习|首席|驻[\u4e00-\u9fff]{2,3})?(?:记者|通讯员|实习生|摄影记者|摄影|编辑|撰稿|文|图|摄)"
# A role word glued to a name: 记者朱梦琪 / 通讯员韩晖 / 文/张三.
_ROLE_PREFIX_RE = re.compile(rf"^{ROLE}\s*[/::]?\s*")

# Opening marker of a news report: 本报讯, 本报X月X日讯, 新华社北京10月30日电, 常州讯.
LEDE_MARKER_RE = re.compile(
    r"^\s*(?:本报|本刊|本网)(?:[\u4e00-\u9fff]{0,4}\d{0,2}月?\d{0,2}日?)?讯|"
    r"^\s*(?:新华社|中新社|中新网|人民网|央视网|新华网)[\u4e00-\u9fff]{0,6}(?:\d{1,2}月\d{1,2}日)?电|"
    r"^\s*[\u4e00-\u9fff]{2,8}(?:\d{1,2}月\d{1,2}日)?讯(?=\s*[((])|"
    r"^\s*[\u4e00-\u9fff]{2,8}(?:网|社|报)(?:[\u4e00-\u9fff]{0,4})\d{1,2}月\d{1,2}日(?:[\u4e00-\u9fff]{0,3})(?:讯|电|消息)"
)
_BRACKETED_RE = re.compile(r"\s*[((]([^()()]{2,60})[))]\s*")
SIGNOFF_RE = re.compile(rf"^\s*[((]\s*((?:{ROLE}\s*[/::]?\s*)?{NAME}(?:[\s、,,/]+(?:{ROLE}\s*[/::]?\s*)?{NAME})*)\s*[))]\s*$")
CREDIT_RE = re.compile(
    rf"(?:^|(?<=[\s。!?;]))\s*((?:{ROLE}\s*)?{NAME}(?:[\s、,,]+(?:{ROLE}\s*)?{NAME})*)\s*(?:/\s*)?摄\s*[))]?\s*$"
)
META_KEY_RE = re.compile(
    r"(发布时间|发表时间|更新时间|发布日期|时间|日期|信息来源|来源|稿源|作者|责任编辑|编辑|责编|记者|点击数|浏览次数)"
    r"\s*[::]\s*"
)


@dataclass
class Lede:
    """What a lede paragraph says besides its text."""

    names: list[str] = field(default_factory=list)
    rest: str = ""


def split_names(simplified: str, original: str) -> list[str]:
    """Split '见习记者 黄鑫 记者 史莲寅' into ['黄鑫', '史莲寅'], keeping the original script."""
    names: list[str] = []
    for match in re.finditer(rf"(?:{ROLE}\s*[/::]?\s*)?({NAME})", simplified):
        token = match.group(1)
        if re.fullmatch(ROLE, token):
            continue
        start = match.start(1)
        names.append(original[start:start + len(token)])
    return names


def parse_lede(simplified: str, original: str) -> Lede | None:
    """Recognise '本报讯 (记者 朱梦琪) 昨天,…' and return the names and the remaining text."""
    marker = LEDE_MARKER_RE.match(simplified)
    if not marker:
        return None
    pos = marker.end()
    names: list[str] = []
    bracket = _BRACKETED_RE.match(simplified, pos)
    if bracket and _looks_like_names(bracket.group(1)):
        names = split_names(bracket.group(1), original[bracket.start(1):bracket.end(1)])
        pos = bracket.end()
    rest = original[pos:].lstrip(" \u3000")
    return Lede(names=names, rest=rest)


def _looks_like_names(inner: str) -> bool:
    """A lede's bracket holds reporters, not an aside: only names and role words.
    Without a role word, every name must be of the usual two or three characters."""
    leftover = re.sub(rf"{ROLE}|{NAME}|[\s、,,/::]", "", inner)
    if leftover or not re.search(r"[\u4e00-\u9fff]{2}", inner):
        return False
    if re.search(ROLE, inner):
        return True
    return all(2 <= len(part) <= 3 for part in re.split(r"[\s、,,/]+", inner.strip()) if part)


def parse_signoff(simplified: str, original: str) -> list[str] | None:
    """A closing '(惠晓婧)' or '(记者 王平 通讯员 李明)' line: the names, else None."""
    match = SIGNOFF_RE.match(simplified)
    if not match:
        return None
    return split_names(match.group(1), original[match.start(1):match.end(1)])


def parse_credit(simplified: str, original: str) -> tuple[list[str], str] | None:
    """A photo credit at the end of a line ('… 徐晶玮 摄'): names and the caption before it."""
    match = CREDIT_RE.search(simplified)
    if not match:
        return None
    names = split_names(match.group(1), original[match.start(1):match.end(1)])
    if not names:
        return None
    return names, original[:match.start()].rstrip()


def parse_meta_line(simplified: str, original: str) -> dict[str, str] | None:
    """Split '时间:2025-03-06 20:22:49  来源:武进新闻  作者:阳湖网' into a dict."""
    keys = list(META_KEY_RE.finditer(simplified))
    if not keys or keys[0].start() != len(simplified) - len(simplified.lstrip()):
        return None
    meta: dict[str, str] = {}
    for index, key in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(simplified)
        value = original[key.end():end].strip()
        meta[_META_NAMES.get(key.group(1), key.group(1))] = value
    return meta


_META_NAMES = {
    "时间": "time", "发布时间": "time", "发表时间": "time", "更新时间": "time", "发布日期": "time", "日期": "time",
    "来源": "origin", "信息来源": "origin", "稿源": "origin", "作者": "author", "记者": "author",
    "编辑": "editor", "责任编辑": "editor", "责编": "editor", "点击数": "hits", "浏览次数": "hits",
}


# A line of credits alone: 本刊记者/仲其庄 特约记者/杨开林, 记者 杜勇清, 徐州日报记者 张三.
_BYLINE_LINE_RE = re.compile(
    rf"^\s*(?:[\u4e00-\u9fff/·]{{2,12}}?(?=记者))?(?:{ROLE}\s*[/::]?\s*{NAME}[\s、,,]*)+$"
)


def parse_byline_line(simplified: str, original: str) -> list[str] | None:
    """The names of a line that holds nothing but role words and names, else None."""
    if not _BYLINE_LINE_RE.match(simplified) or not re.search(ROLE, simplified):
        return None
    start = simplified.find("记者") if re.match(r"^[\u4e00-\u9fff/·]{2,12}?记者", simplified) else 0
    names = split_names(simplified[start:], original[start:])
    return names or None
