"""Page furniture: text on a page or web dump that belongs to no article.

Patterns are matched on the Simplified form of a line, so Traditional pages
need no second list. Two kinds: single lines that are furniture wherever they
stand (a hotline, a price), and lines that open a zone of furniture (a
``更多>>`` list, a colophon, a masthead repeated at the foot of the page)
that lasts until the next clear article start.
"""
from __future__ import annotations

import re

from archive.ingest.webpage import is_web_furniture

SHORT_LINE = 60

# Lines that open a run of furniture: navigation lists, video lists,
# colophons and copyright blocks.
ZONE_START_RE = re.compile(
    r"^(?:"
    r"更多\s*(?:>>|»|>|》)?|"
    r"(?:视频|图片|热点|精彩|相关|推荐|热门|往期|最新)(?:推荐|新闻|阅读|文章|排行|视频|回顾)|"
    r"(?:版权声明|版权合作|版权所有|联系我们|关于我们|值班编委|友情链接|网站地图|新媒体矩阵)|"
    r"国内统一连续出版物号.*|邮发代号.*"
    r")\s*$"
)

# Single lines that are furniture wherever they stand.
LINE_RE = re.compile(
    r"(?:"
    r"^更多\s*(?:>>|»)|>>\s*$|"
    r"出版物号|邮发代号|^主办(?:单位)?[::]|^承办(?:单位)?[::]|^协办(?:单位)?[::]|^主管(?:单位)?[::]|"
    r"网站支持IPV6|技术支持|网站标识码|网站地图|站内(?:高级)?搜索|^高级搜索$|"
    r"^《[^《》]{2,16}》$|-?\d{1,2}\s*℃\s*[~～-]\s*-?\d{1,2}\s*℃|^(?:星期|周)[一二三四五六日天]$|"
    r"^(?:第\s*[A-Z]?\d+\s*版\s*)?(?:(?:上一|下一)[期版篇页]\s*){2,}$|"
    r"^出版[::]|^印刷[::]|^发行[::]|^地址[::]|^邮编[::]|"
    r"热线[::]|投稿|^(?:联系)?电话[::]|零售价|^定价[::]|^(?:封面|本版)?(?:责编|美编|校对|编辑)\s*$|"
    r"^责任编辑|^值班编委|^版权(?:声明|合作|所有)|Copyright|©|ICP备|公网安备|"
    r"[\w.+-]+@[\w-]+\.[\w.]+|"
    r"^(?:返回顶部|上一[篇条页版期]|下一[篇条页版期])(?:\s*[::].*)?$|"
    r"^(?:分享到|打印本页|关闭窗口|字号[::]?.*|扫一扫.*)$|"
    r"^[\d\s()()、,,+-]{7,}$"
    r")"
)

# A masthead line: a paper or site name standing alone (武进日报, 江南晚报,
# 武进新闻). Catalogued publication names are checked exactly as well.
MASTHEAD_RE = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:日报|晚报|早报|时报|商报|周报|导报|快报|周刊|新闻|新闻网|网|在线)$")

# A printed page header: date with weekday, or a page label such as A2 / 第3版.
PAGE_HEADER_RE = re.compile(
    r"^(?:\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天].*|"
    r"(?:第\s*[A-Z]?\d+\s*版|[A-Z]\d{1,2}\s*版?)(?:\s*[::]?\s*[\u4e00-\u9fff]{0,6}(?:\s[\u4e00-\u9fff]{1,6})?)?)$"
)

# Copyright prose that reads like a sentence but is still furniture.
COPYRIGHT_PROSE_RE = re.compile(
    r"未经.{0,12}(?:授权|许可).{0,30}(?:转载|使用|摘编)|依法追究|^Copyright|版权所有|ICP备|公网安备|"
    r"著作权归.{0,12}所有"
)


def is_furniture_line(simplified: str, publication_names: frozenset[str] = frozenset()) -> bool:
    line = simplified.strip()
    if COPYRIGHT_PROSE_RE.search(line) or is_web_furniture(line):
        return True
    if len(line) > SHORT_LINE:
        return False  # a long line is prose: a hotline number inside it is not furniture
    return bool(
        LINE_RE.search(line)
        or ZONE_START_RE.match(line)
        or PAGE_HEADER_RE.match(line)
        or is_masthead(line, publication_names)
    )


def starts_furniture_zone(simplified: str, publication_names: frozenset[str] = frozenset()) -> bool:
    line = simplified.strip()
    return bool(ZONE_START_RE.match(line) or is_masthead(line, publication_names))


def is_masthead(simplified: str, publication_names: frozenset[str] = frozenset()) -> bool:
    line = simplified.strip()
    return line in publication_names or bool(MASTHEAD_RE.match(line))
