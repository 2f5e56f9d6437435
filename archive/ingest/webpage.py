"""The anatomy of a web page dump: what stands around a story on a news site, a portal, a
government site or a mirror, and is not the story.

A web page's text starts with a header block — a breadcrumb (首页 > 要闻 > 正文), a nav bar of
short items (要闻 | 城市 | 视频), the title, a dateline (2024-04-09 17:46 来源:… 作者:… 浏览次数:…
字号:大 中 小) — and ends with a footer block: credits (责编:…), share and app prompts, disclaimers,
related links, copyright. Extraction tools also leave debris: markup, template placeholders,
image file names, bullets and stray `|`. Rules here describe those kinds of line; they run on the
Simplified form of a line (see script.py), so Traditional pages need no second list.
"""
from __future__ import annotations

import re
from functools import lru_cache

from archive.ingest.bylines import parse_meta_line

# -- debris: removed from a line wherever it stands -------------------------------------------
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_MARKUP_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*\s*/?>")
_SCRIPT_ELEMENT_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE)  # code, not text
_PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}|\$\{.*?\}|#[^#\s]{1,12}#")  # template slots, topic tags
_URL_RE = re.compile(r"(?:https?://|www\.)[\w./?%&=#:~+-]+", re.IGNORECASE)
_IMAGE_FILE_RE = re.compile(r"[\w\u4e00-\u9fff.-]*\.(?:jpe?g|png|gif|webp|bmp)\b", re.IGNORECASE)
# A character every kind of debris above needs; most lines have none and skip the six rules.
_DEBRIS_HINT_RE = re.compile("[<{$#./\ue000-\uf8ff\U000f0000-\U0010ffff版]")
_EDGE_DEBRIS_RE = re.compile(r"^[\s|丨•·▪●■□◇>》/\\-]+(?=\S)|(?<=\S)[\s|丨•▪●■/]+$")

# -- whole lines that are furniture -------------------------------------------------------------
_BREADCRUMB_RE = re.compile(
    r"(?:^|\s)(?:首页|主页|网站首页|当前位置|您的位置|您现在的位置|你的位置|现在位置|所在位置)\s*[::]?"
    r"|\S\s*(?:>>?|»|›|→)\s*\S.*(?:>>?|»|›|→)"  # two or more separators: a > b > c
    r"|(?:>>?|»)\s*正文\s*$|^\S{2,14}正文$"
    r"|^[^,,。;;!?!?]{0,12}\S\s*(?:>>?|»|›)\s*[^,,。;;!?!?]{1,12}$"  # 新闻> 连云港新闻
)
# Debris of digits, bars and marks that says nothing (0, |, 9?, //); a lone 。 ends a cut paragraph.
_SYMBOLS_ONLY_RE = re.compile(r"^(?=.*[^\d\s])[\d\s|/\\•·\-_=+*#~^<>()\[\]【】?.,:%]+$")
_BRACKET_LINK_RE = re.compile(r"^【[^】]{1,6}】[^。]{2,34}$")  # 【地评线】… a column's other titles
_DATED_LINK_RE = re.compile(r"^.{4,60}\D(?:19|20)\d{2}-\d{1,2}-\d{1,2}$")
_PUNCTUATION_RE = re.compile(r"[,,。.、;;::!!??“”\"'《》()()]")
_NUMBER_ONLY_RE = re.compile(r"^\d{1,6}$")
_CRUMB_HINT_RE = re.compile("[>»›→]|首页|主页|位置|正文")
_NAV_SEPARATOR_RE = re.compile(r"\s*[|丨┃│]\s*|\s{2,}")
_NAV_BAR_RE = re.compile(r"\s*[|┃│]\s*|\s+")  # a line with two or more bars: every space parts items too
_NAV_ITEM_MAX = 8
_NAV_MARK_RE = re.compile("[|丨┃│\t\u3000]")
_NAV_ITEMS_MIN = 3
_MENU_WORDS_MIN, _MENU_WORD_MAX = 5, 6
# Widgets, prompts and credits, as whole short lines.
_WIDGET_RE = re.compile(
    r"^(?:"
    r"返回|顶部|返回顶部|回到顶部|分享|分享(?:至|到)[::]?.*|打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏(?:本页)?|"
    r"【?\s*(?:打印此页|关闭窗口|打印本页)\s*】?.*|.*【\s*(?:关闭窗口|打印本页|打印此页)\s*】?|"
    r"听新闻|语音播报|播放|暂停|加载|加载中.*|PDF\s*加载中.*|点击(?:查看|阅读|进入).*|阅读全文|展开全文|查看原文|"
    r"(?:相关|推荐|热门|延伸)(?:阅读|新闻|文章|链接|推荐)[::]?|[((]?(?:相关资料图|资料图)[))]?|文章图片|图片|视频|"
    r"[A-Za-z]{1,15}|下载|本网首发|本站原创|.{0,6}切换|.{0,12}(?:扫描|扫)\S{0,4}二维码.{0,12}|"
    r"(?:打印|放大|缩小|默认|关闭|收藏|分享|返回)(?:\s*(?:打印|放大|缩小|默认|关闭|收藏|分享|返回)){1,5}|"
    r"logo|LOGO|THE\s*END|END|放大图片|点击放大|查看大图|显示全部楼层|只看该作者|语音播报(?:[::].*)?|"
    r"(?:最新|网友|热门|新闻)?评论\s*\d*|.{0,12}(?:意见反馈|留言板|网站简介|帮助中心|欢迎批评指正).{0,40}|"
    r".{0,12}\b[\w-]+\.(?:com|cn|net|org)\b.{0,8}|(?:[^【】]{0,8}[【】]\s*){3,}[^。]{0,8}|联系我们|与我们联系|关于我们|"
    r"广告|.{0,6}(?:头部|底部|顶部|侧边|横幅|列表)广告.{0,4}|广告位.{0,6}|.*(?:用户名|验证码)[::].*|匿名发表|我要评论|发表评论|"
    r"(?:图片|封面图片|题图)来源[::].*|"
    r"(?:视频)?(?:制作|监制|出品|策划|统筹|摄像|剪辑|文案)\s+[\u4e00-\u9fff ]{2,20}|\S{2,20}出品|"
    r"标签[::].*|关键词[::].*|热门关键词.*|热词[::].*|推荐\s*More|More|更多|申请入驻|举报|投诉|纠错|"
    r"(?:下载|打开)\S{0,8}(?:APP|App|app|客户端).*|扫码(?:关注|下载|阅读|收听|观看).*|扫一扫.*|长按.*二维码.*|.*关注(?:我们|公众号).*|"
    r"字号[::]?.*|字体[::]?.*|【?\s*字体[::].*|[大中小](?:\s+[大中小]){1,2}|浏览(?:次数|量)?[::]?\s*\d*\s*次?|"
    r"阅读(?:次数|量)?[::]?\s*\d+\s*次?|点击(?:数|量|次数)?[::]?\s*\d+\s*次?|"
    r"[((\[【]?\s*(?:文章)?(?:总值班|值班编辑|值班主任|主编|责编|责任编辑|编辑|校对|审核|审校|终审|初审|复审|监制|制作|出品|美编|统筹)(?:\s*[::│|/]\s*|\s+)[^。!?]{0,30}[))\]】]?|"
    r"(?:记者|作者|通讯员|摄影|来源)\s*[│|]\s*\S{0,20}|"
    r"新闻热线.*|爆料热线.*|原标题[::].*|本文来源[::].*|文章来源[::].*|"
    r"\d+(?:\.\d+)?\s*[wWkK万]|\d{0,2}\?"
    r")$"
)
# Footer prose: disclaimers and reprint notices, furniture at any length.
_DISCLAIMER_RE = re.compile(
    r"仅代表作者(?:本人)?(?:的)?观点|不代表本(?:站|网|平台|号)(?:的)?(?:观点|立场)|来源于网络|"
    r"(?:联系|通知)(?:本站|我们|本网|小编)(?:予以)?删除|如有(?:侵权|不妥|版权问题)|转载请注明|版权归原作者|"
    r"本站所有转载文章|如需转载|系出于传递更多信息|免责声明|声明[::]本文|"
    r"^\d、.{0,40}(?:主办|授权|版权|转载|本网|本站)"
)
# A line of the site's own mission or slogan set above the page (打造…平台 致力于…事业) is furniture
# when it carries no sentence; left to the nav-bar rule.

# -- the dateline -------------------------------------------------------------------------------
_TIMESTAMP_RE = re.compile(
    r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|[A-Z][a-z]{2} \d{1,2}, \d{4})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_DATELINE_KEY_RE = re.compile(
    r"(?:发布|发表|更新|上传|录入)?(?:时间|日期)|来源|作者|编辑|责编|责任编辑|记者|浏览(?:次数)?|阅读|点击(?:数)?|字号|"
    r"发布开发区|信息来源|稿源|资讯类型|供稿|发表于"
)
_DATELINE_RE = re.compile(
    rf"^(?:(?:{_DATELINE_KEY_RE.pattern})\s*[::]?\s*)?{_TIMESTAMP_RE.pattern}(?:\s|$|[^\d])"
)
_KEYED_TIME_RE = re.compile(rf"(?:发布|发表|更新)?(?:时间|日期)\s*[::]\s*{_TIMESTAMP_RE.pattern}")
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def strip_debris(line: str) -> str:
    """A line without markup, template placeholders, image file names, private-use characters
    (undisplayable glyphs of a mis-decoded page) and the bullets and bars at its edges."""
    if _DEBRIS_HINT_RE.search(line):
        line = _PRIVATE_USE_RE.sub("", line)
        line = _MARKUP_RE.sub("", _SCRIPT_ELEMENT_RE.sub("", line))
        line = _PLACEHOLDER_RE.sub("", line)
        line = _URL_RE.sub("", line)
        line = _JUMP_RE.sub("", line)
        line = _IMAGE_FILE_RE.sub("", line)
    return _EDGE_DEBRIS_RE.sub("", line).strip()


_JUMP_RE = re.compile(r"[((]\s*(?:下转|上接|转|接)\s*第?\s*[A-Z]?\d{1,2}\s*版\s*[))]")
_LABEL_RE = re.compile(r"^(?:核心提示|内容提要|摘要|导读|提要)\s*[::]\s*")
_LABEL_STARTS = frozenset({"核心", "内容", "摘要", "导读", "提要"})
_CREDIT_TAIL_RE = re.compile(
    r"\s*[((\[【]\s*(?:责编|责任编辑|编辑|校对|审核|审校|来源)\s*[::/\s][^()()\[\]【】]{1,30}[))\]】]\s*$"
    r"|(?<=[。!?!?])\s*(?:作\s*者|编辑|责编)\s*[::]\s*[\u4e00-\u9fff]{2,4}\s*$"
)


def strip_credit_tail(line: str) -> str:
    """A paragraph without the editor's credit glued to its end (…开工。(校对/小如) → …开工。) or
    the label of a web page's summary box in front (核心提示:…)."""
    if line[-1:] in "))]】" or "者" in line or "编" in line:
        line = _CREDIT_TAIL_RE.sub("", line)
    return _LABEL_RE.sub("", line) if line[:2] in _LABEL_STARTS else line


def is_link_list_line(simplified: str) -> bool:
    """On a web page, a line of other stories' titles: one ending in its date (…小问题2025-02-20), or
    titles run together without a single mark of punctuation (a sentence always has some)."""
    line = simplified.strip()
    if _DATED_LINK_RE.search(line) and dateline_time(line) is None:
        return True
    if _BRACKET_LINK_RE.match(line):
        return True
    return len(line) > 50 and not _PUNCTUATION_RE.search(line)


def is_stray_number(simplified: str) -> bool:
    """A number alone on a line: a web page's counter (shares, views, comments). In a printed
    page's dump it may be the first half of a sentence a column cut (2 / 月18日), so callers ask
    only of web pages."""
    return bool(_NUMBER_ONLY_RE.match(simplified.strip()))


@lru_cache(maxsize=4096)
def is_breadcrumb(simplified: str) -> bool:
    if len(simplified) > 80 or not _CRUMB_HINT_RE.search(simplified):
        return False
    return bool(_BREADCRUMB_RE.search(simplified))


@lru_cache(maxsize=4096)
def is_nav_bar(simplified: str) -> bool:
    """Three or more short items set apart by bars or wide spaces, none of them a sentence."""
    line = simplified.strip()
    if not (_NAV_MARK_RE.search(line) or "  " in line or line.count(" ") >= _MENU_WORDS_MIN - 1):
        return False  # no bar, no wide space, fewer than five words: nothing to split into items
    separator = _NAV_BAR_RE if len(re.findall("[|┃│]", line)) >= 2 else _NAV_SEPARATOR_RE
    items = [item for item in separator.split(line) if item]
    words = line.split()
    if len(words) >= _MENU_WORDS_MIN and all(len(word) <= _MENU_WORD_MAX for word in words) and not re.search(
            r"[,,。;;::!!??“”()()]", line):
        return True  # a menu run together with single spaces: 首 页 区县招商 产业园区 企业选址 新闻中心
    if len(items) < _NAV_ITEMS_MIN:
        return False
    return all(len(item) <= _NAV_ITEM_MAX and not re.search("[。\uff01\uff1f]", item) for item in items)


def is_web_furniture(simplified: str) -> bool:
    """A whole line that belongs to a web page's header or footer, not to a story."""
    line = simplified.strip()
    if not line:
        return True
    if _DISCLAIMER_RE.search(line):
        return True
    if is_nav_bar(line):
        return True
    if len(line) > 80:
        return False
    return bool(
        _WIDGET_RE.match(line) or is_breadcrumb(line)
        or (_SYMBOLS_ONLY_RE.match(line) is not None and dateline_time(line) is None)
    )


def dateline_time(simplified: str) -> str | None:
    """The timestamp of a dateline (2024-04-09 17:46 来源:…, 发布时间:2021-05-27, Nov 12, 2025), as
    YYYY-MM-DD[ HH:MM], else None."""
    line = simplified.strip()
    stamp_match = _TIMESTAMP_RE.search(line)
    if stamp_match is None:
        return None
    if _DATELINE_RE.match(line):
        if _lede_after(line[stamp_match.end():]):
            return None  # 2024年5月5日,……签约仪式举行。: a lede that opens with its date
    else:
        # a dateline after a site name or other fields (中国电力网发布时间:…, 资讯类型:… / 发布时间:…,
        # 来源: 编辑:… 2025-03-03 18:32:20, 煤炭资讯网 2020/7/6 10:38:59 矿业新闻): short, no clause of
        # prose, and a field name or a time of day
        keyed = _KEYED_TIME_RE.search(line) or (re.search(r"\d:\d\d", line) and (
            _DATELINE_KEY_RE.search(line) or not re.search("[,,;;]", line)))
        if len(line) > 100 or "。" in line or not keyed:
            return None
    stamp = stamp_match.group(0)
    english = re.match(r"([A-Z][a-z]{2}) (\d{1,2}), (\d{4})", stamp)
    if english and english.group(1) in _MONTHS:
        return f"{english.group(3)}-{_MONTHS[english.group(1)]:02d}-{int(english.group(2)):02d}"
    return stamp


def opening_date(simplified: str) -> str | None:
    """The full date a lede opens with (2024年5月5日,……), which dates the page when nothing else does."""
    line = simplified.strip()
    stamp = _TIMESTAMP_RE.match(line)
    return stamp.group(0) if stamp and _DATELINE_RE.match(line) and _lede_after(line[stamp.end():]) else None


def _lede_after(rest: str) -> bool:
    """Whether what follows a line's opening date is the story's first sentence, not dateline fields."""
    rest = rest.strip()
    return bool(rest) and (rest[0] in ",,、" or ("。" in rest and not _DATELINE_KEY_RE.search(rest)))


def parse_dateline(simplified: str, original: str) -> dict[str, str] | None:
    """A dateline's fields: its time, and the source, author and editor it names."""
    time = dateline_time(simplified)
    if time is None:
        return None
    meta: dict[str, str] = {}
    first_key = re.search(r"(?:来源|作者|编辑|责编|记者|稿源)\s*[::]", simplified)
    if first_key:
        meta = parse_meta_line(simplified[first_key.start():], original[first_key.start():]) or {}
    meta["time"] = time
    return meta
