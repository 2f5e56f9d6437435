"""Which outlet a page names as the story's origin, and which site it was taken from.

Pages name outlets in a handful of ways: a lede marker (苏报讯, 徐州日报讯), a source line
(来源:新华日报, 转自…, 原载…), an attribution (据常州日报消息), a reporter credit ((扬子晚报/紫牛新闻记者
…)), an agency dateline (人民网南京4月1日电), a copyright line, a masthead. The directory of listed
outlets (Publication rows marked `listed`, editable in the admin) turns the name a cue gives into
one outlet, aliases included (苏报 → 苏州日报); a cue that names an outlet the directory does not
know still counts when it reads as an outlet's name.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from archive.ingest.furniture import COPYRIGHT_PROSE_RE
from archive.models import Publication
from archive.text.script import to_simplified_chars

# What an outlet's own name ends with: a name that a lede or a credit gives counts only so
# (徐州日报讯 names 徐州日报; 昨日讯 names nobody).
_OUTLET_SUFFIX_RE = re.compile(
    r"(?:日报|晚报|早报|时报|商报|快报|周报|导报|周刊|报|网|新闻|社|电视台|广播电台|融媒|融媒体中心|客户端|发布|在线|观察|频道)$"
)
# Words a source line gives that name no outlet.
_NOT_AN_OUTLET = frozenset({
    "本报", "本网", "本站", "网络", "互联网", "新闻", "综合", "网站", "官网", "网友", "原创", "未知", "转载", "整理",
    "本刊", "本台", "作者", "编辑", "记者", "投稿", "其他", "来源",
})
_NAME = r"[\u4e00-\u9fffA-Za-z·]{2,16}?"
_SOURCE_WORDS = r"[^\s,,。;;|/、》”#()()\[\]【】]{2,30}"
# Where a source's words stop: the next field of a dateline (来源:国际在线编辑:陈小雨).
_FIELD_TAIL_RE = re.compile(
    r"(?:编辑|责编|责任编辑|作者|记者|通讯员|发布时间|发布日期|时间|浏览|点击|字号|摄影|查看|原标题|供图|图片)\s*[::].*$"
)

# Cues in order of how surely they name the story's own outlet: the lede and an agency dateline
# name the outlet that wrote it; a source line the one the page took it from; a reporter credit
# its staff; 据X消息 only the outlet the facts came from.
_LEDE_CUES = (
    # 苏报讯 / 徐州日报讯 / 中国江苏网5月2日讯 / 中国台湾网9月19日泰州消息 (not 本报讯, which names the host)
    re.compile(rf"(?:^|[\s。:])(?P<name>{_NAME})(?:\d{{1,2}}月\d{{1,2}}日[\u4e00-\u9fff]{{0,3}})?(?:讯|消息)(?=\s|[((::]|$)"),
    # 人民网南京4月1日电 / 新华社南京电
    re.compile(r"(?:^|[\s。])(?P<name>[\u4e00-\u9fff]{2,6}(?:网|社))[\u4e00-\u9fff]{2,4}(?:\d{1,2}月\d{1,2}日)?电"),
)
_SOURCE_CUES = (
    # 来源:新华日报 / 内容来源:… / 转自… / 原载… / 摘自… (not a picture's source)
    re.compile(rf"(?<!图片)(?<!图)(?<!封面图片)(?:来源|稿源|信息来源|文章来源|新闻来源|内容来源|转自|转载自|原载于?|摘自|刊于)"
               rf"\s*[::]?\s*[《“]?(?P<name>{_SOURCE_WORDS})"),
    # 《 人民日报 》( 2023年12月25日 06 版)
    re.compile(r"《\s*(?P<name>[^《》]{2,16}?)\s*》\s*[((]\s*\d{4}\s*年"),
    # a programme or paper named alone on its own line: 《连云港新闻》
    re.compile(r"^\s*《\s*(?P<name>[^《》]{2,16}?)\s*》\s*$"),
)
_CREDIT_CUES = (
    # (扬子晚报/紫牛新闻记者 张三)
    re.compile(r"[((](?P<name>[\u4e00-\u9fff/|·]{2,20}?)\s*(?:全媒体|融媒)?记者"),
    # 新华日报 记者 陈越 摄 (a photo credit)
    re.compile(r"(?:^|\s)(?P<name>[\u4e00-\u9fff]{2,10}(?:日报|晚报|报|网))\s*记者\s*[\u4e00-\u9fff ]{2,5}\s*摄"),
    # 南京日报/紫金山新闻记者杨凡 at a line's start
    re.compile(r"^(?P<name>[\u4e00-\u9fff/|·]{2,20}?)(?:全媒体|融媒)?记者"),
    re.compile(rf"据(?P<name>{_NAME})(?:微信公众号|客户端|官方微博)?(?:消息|报道)"),
)
_HOST_CUES = (
    re.compile(r"(?:Copyright|©)\s*(?:\(C\)|©)?\s*(?:\d{4}(?:\s*-\s*\d{4})?\s*)?(?P<name>[\u4e00-\u9fff]{2,12})"),
    re.compile(rf"(?P<name>{_NAME})\s*版权所有"),
    re.compile(rf"版权所有\s*[::©]?\s*(?:\d{{4}}\s*)?(?P<name>{_NAME})(?:[\s,,。]|$)"),
)


@dataclass(frozen=True)
class Outlet:
    name: str
    medium: str = "print"
    city: str = ""
    district: str = ""


@dataclass(frozen=True)
class Attribution:
    """The story's original outlet and the site the page was taken from (either may be empty)."""

    origin: str = ""
    host: str = ""


class OutletDirectory:
    """Listed outlets by every name they go by (Simplified)."""

    def __init__(self, outlets: Iterable[Outlet], aliases: dict[str, str] | None = None):
        self.outlets = {to_simplified_chars(outlet.name): outlet for outlet in outlets}
        self.aliases = {to_simplified_chars(alias): to_simplified_chars(name)
                        for alias, name in (aliases or {}).items() if name}

    @classmethod
    def from_database(cls) -> OutletDirectory:
        rows = Publication.objects.filter(listed=True).values_list("name", "medium", "city", "district", "aliases")
        outlets = [Outlet(name, medium, city, district) for name, medium, city, district, _ in rows]
        aliases = {alias: name for name, *_, names in rows for alias in names or ()}
        return cls(outlets, aliases)

    def with_names(self, outlets: Iterable[Outlet]) -> OutletDirectory:
        """This directory and more outlets (e.g. the run's catalog), the given ones winning."""
        return OutletDirectory([*self.outlets.values(), *outlets],
                               {alias: self.outlets[name].name for alias, name in self.aliases.items()})

    @cached_property
    def _name_re(self) -> re.Pattern[str] | None:
        names = sorted({*self.outlets, *self.aliases}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, names))) if names else None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.outlets) | frozenset(self.aliases)

    def get(self, name: str) -> Outlet | None:
        simple = to_simplified_chars(name)
        return self.outlets.get(self.aliases.get(simple, simple))

    def canonical(self, name: str) -> str:
        """The listed name of an outlet known by this name or alias, else the name itself."""
        outlet = self.get(name)
        return outlet.name if outlet else name

    def resolve(self, words: str, *, named_as_source: bool = False) -> str:
        """The outlet a cue's words name: a listed outlet they contain (扬子晚报/紫牛新闻 → 扬子晚报),
        else the words themselves when they read as an outlet's name — any name, when a source
        line gives them (来源:江宁区人民政府) — else ''."""
        simple = _FIELD_TAIL_RE.sub("", to_simplified_chars(words).strip())
        if self._name_re is not None:
            found = self._name_re.search(simple)
            if found:
                return self.canonical(found.group(0))
        name = re.split(r"[·/|]", simple)[0].strip()
        name = name[:-1] if name.endswith("网站") else name
        if name in _NOT_AN_OUTLET or len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
            return ""
        if named_as_source or _OUTLET_SUFFIX_RE.search(name):
            return name
        return ""

    def attribute(self, simplified_lines: list[str]) -> Attribution:
        """The outlet the surest cue names, and the one a copyright line names."""
        origin = (self._first(_LEDE_CUES, simplified_lines)
                  or self._first(_SOURCE_CUES, simplified_lines, named_as_source=True)
                  or self._first(_CREDIT_CUES, simplified_lines))
        return Attribution(origin, self._first(_HOST_CUES, simplified_lines))

    def _first(self, cues: tuple[re.Pattern[str], ...], lines: list[str], named_as_source: bool = False) -> str:
        for line in lines:
            if cues is not _HOST_CUES and COPYRIGHT_PROSE_RE.search(line):
                continue  # a reprint notice (凡注明“来源:国际在线”的…) names the host's rules, not this story's origin
            for cue in cues:
                for match in cue.finditer(line):
                    name = self.resolve(match.group("name"), named_as_source=named_as_source)
                    if name:
                        return name
        return ""
