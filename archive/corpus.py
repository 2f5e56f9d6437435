"""A synthetic corpus of page dumps, for benchmarks and scale tests.

``generate_corpus(n, out_dir, seed)`` writes ``n`` articles as page files the
ingest reads like real ones, plus ``catalog.csv`` and a hidden manifest
(``.corpus.json``: what each file holds; the ingest skips hidden files):

- print pages carry two to six articles: ``## `` or bare headline lines (some with a
  kicker), ``本报讯 (记者 X) 昨天,…`` ledes, paragraphs, some cut by a column break,
  some closing ``(name)`` sign-offs; a masthead and a page header on top, a colophon at
  the foot of some pages;
- web pages carry one article: headline, ``时间:… 来源:… 作者:…`` line, paragraphs and a
  ``更多>>`` navigation list;
- the text mixes real sentences from ``seeds/`` with words drawn from jieba's dictionary by
  their frequency (so term statistics look like Chinese text), the article's one or two industries
  (each article has its topics, some industries more often than others), Jiangsu places,
  companies and officials (fixed pools, so names recur as they do in the news);
- about 10 % of pages are in Traditional script (OpenCC ``s2t``, word by word);
- issue dates fall in 2015-2025, places in Jiangsu's 13 cities, article bodies are 820-1,450
  characters.

Everything comes from one ``random.Random(seed)``: the same seed gives the same bytes, and
the corpus of ``m`` articles is a prefix of the corpus of ``n > m`` articles (only its
last page differs). About 1 MB/s of text is generated: 100,000 articles take a minute or two.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.gazetteer import JIANGSU
from archive.ingest.bylines import LEDE_MARKER_RE, META_KEY_RE, SIGNOFF_RE
from archive.ingest.cleaning import ends_sentence
from archive.ingest.decoding import decode_bytes
from archive.ingest.furniture import is_furniture_line
from archive.ingest.segmenter import parse_page

MANIFEST_NAME = ".corpus.json"
CATALOG_NAME = "catalog.csv"
FIRST_ISSUE = dt.date(2015, 1, 10)  # a lede's 前天 / 6 days earlier stays inside 2015
LAST_ISSUE = dt.date(2025, 12, 31)
BODY_MIN, BODY_MAX = 820, 1450  # characters of body text per article
TRADITIONAL_SHARE = 0.10
WEB_SHARE = 0.12  # of pages
SEED_TOKEN_WEIGHT = 0.004  # share of token draws that are a whole sentence from seeds/
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Publication:
    name: str
    medium: str
    city: str
    district: str
    weight: int


PUBLICATIONS: tuple[Publication, ...] = (
    Publication("武进日报", "print", "常州", "武进区", 6),
    Publication("常州日报", "print", "常州", "", 4),
    Publication("江南晚报", "print", "无锡", "", 4),
    Publication("无锡日报", "print", "无锡", "", 4),
    Publication("新华日报", "print", "南京", "", 3),
    Publication("扬子晚报", "print", "南京", "", 2),
    Publication("南京日报", "print", "南京", "", 2),
    Publication("苏州日报", "print", "苏州", "", 3),
    Publication("姑苏晚报", "print", "苏州", "", 1),
    Publication("南通日报", "print", "南通", "", 2),
    Publication("徐州日报", "print", "徐州", "", 2),
    Publication("扬州日报", "print", "扬州", "", 2),
    Publication("镇江日报", "print", "镇江", "", 2),
    Publication("泰州日报", "print", "泰州", "", 2),
    Publication("盐城晚报", "print", "盐城", "", 2),
    Publication("淮安日报", "print", "淮安", "", 2),
    Publication("连云港日报", "print", "连云港", "", 1),
    Publication("宿迁日报", "print", "宿迁", "", 1),
    Publication("武进新闻", "web", "常州", "武进区", 3),
    Publication("中国江苏网", "web", "南京", "", 2),
)

INDUSTRY_TERMS = (
    "半导体", "集成电路", "芯片", "化合物半导体", "晶圆", "封装测试", "新能源", "光伏", "储能", "动力电池",
    "锂电池", "氢能", "新能源汽车", "智能网联汽车", "整车", "零部件", "合成生物", "生物医药", "医疗器械",
    "创新药", "低空经济", "无人机", "通用航空", "人工智能", "大模型", "算力", "数据中心", "机器人",
    "工业机器人", "新材料", "石墨烯", "碳纤维", "智能制造", "工业互联网", "数字经济", "软件", "文化产业",
    "跨境电商", "先进制造业", "产业链", "供应链", "高新技术企业", "专精特新", "独角兽", "孵化器", "产业园",
    "招商引资", "新质生产力", "科技创新", "高质量发展", "营商环境", "产学研", "研发中心", "重大项目",
)
HEADLINE_ACTIONS = (
    "项目集中签约", "产业发展大会举行", "加快建设", "再创新高", "取得新突破", "签约落地", "正式投产", "开工建设",
    "推进会召开", "发展论坛举办", "项目建设提速", "产业集群壮大", "领跑全省", "跑出加速度", "按下快进键",
    "打造新高地", "培育新动能", "赋能转型升级", "调研重点企业", "迈上新台阶", "亮出成绩单", "蓄势待发",
)
SLOGAN_HALVES = (
    "聚力新赛道", "打造新高地", "双向赋能", "共创未来", "抢抓新机遇", "跑出加速度", "勇挑大梁", "走在前列",
    "创新驱动", "项目为王", "链式发展", "集群成势", "向新而行", "以质取胜", "逐梦蓝天", "智造未来",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴莫孔汤惠乔恽"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉玲建国峰宇浩凯琳晨雪梦琪鑫莲寅晓婧慧蕾斐虎皓承亦哲健宁远航佳怡欣然子涵思源嘉"
TITLES = (
    "市长", "副市长", "市委书记", "区委书记", "区长", "副区长", "县长", "市委常委", "董事长", "总经理", "院士",
    "党工委书记", "管委会主任", "局长", "首席执行官",
)
COMPANY_STEMS = "亦泓承芯纵慧澎领先楠菲圣创天合中车星源恒瑞华达博远金诚新锐汇川博世凯德晶科卓胜常润锡华苏蓝"
COMPANY_TRADES = (
    "科技", "半导体", "新能源", "智能装备", "生物科技", "新材料", "微电子", "光电", "机器人", "汽车零部件",
    "医疗器械", "信息技术", "精密机械", "储能科技",
)
DATE_PHRASES = (("昨天", 1), ("今天", 0), ("前天", 2))
TIME_OF_DAY = ("上午", "下午", "", "", "")
PAGE_SECTIONS = ("要闻", "经济", "综合", "城建", "科技", "产业", "民生", "区域")


# -- vocabulary ---------------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    tokens: tuple[str, ...]
    cum_weights: tuple[float, ...]
    ranked_words: tuple[str, ...]  # dictionary words, most frequent first (for query mixes)
    seed_sentences: tuple[str, ...]
    companies: tuple[str, ...]
    officials: tuple[str, ...]
    reporters: tuple[str, ...]


def jieba_dictionary_path() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def _common_characters(word: str) -> bool:
    """Only characters of GB 2312 (the dictionary also holds rare and garbled ones)."""
    try:
        word.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=1)
def dictionary_words() -> tuple[tuple[str, int], ...]:
    """(word, frequency) from jieba's dictionary: words of common Chinese characters, most frequent first."""
    words: list[tuple[str, int]] = []
    cjk = re.compile(r"^[\u4e00-\u9fa5]+$")
    with open(jieba_dictionary_path(), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and cjk.match(parts[0]) and parts[1].isdigit() and int(parts[1]) > 0:
                if _common_characters(parts[0]):
                    words.append((parts[0], int(parts[1])))
    words.sort(key=lambda item: (-item[1], item[0]))
    return tuple(words)


@lru_cache(maxsize=1)
def seed_sentences() -> tuple[str, ...]:
    """Distinct Simplified sentences of the seed pages' articles (12-120 characters)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    found: dict[str, None] = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        page = parse_page(decode_bytes(path.read_bytes()).text)
        for article in page.articles:
            for paragraph in article.paragraphs:
                for sentence in re.findall(r"[^。!?!?]+[。!?!?]", t2s.convert(paragraph)):
                    sentence = re.sub(r"\s+", "", sentence)
                    if not 12 <= len(sentence) <= 120 or "摄" in sentence or "更多" in sentence:
                        continue
                    if LEDE_MARKER_RE.match(sentence) or META_KEY_RE.match(sentence):
                        continue
                    found[sentence] = None
    return tuple(found)


def _names(count: int, seed: int) -> tuple[str, ...]:
    """A fixed pool of personal names (people recur in the news: officials, reporters)."""
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < count:
        names[rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))] = None
    return tuple(names)


def _companies(count: int = 240) -> tuple[str, ...]:
    rng = random.Random(20240419)
    cities = list(JIANGSU)
    names: dict[str, None] = {}
    while len(names) < count:
        stem = "".join(rng.sample(COMPANY_STEMS, 2))
        names[f"{rng.choice(cities)}{stem}{rng.choice(COMPANY_TRADES)}有限公司"] = None
    return tuple(names)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Tokens to draw text from and their cumulative weights (fixed: independent of the seed)."""
    words = dictionary_words()
    total = float(sum(freq for _, freq in words))
    tokens: list[str] = [word for word, _ in words]
    weights: list[float] = [float(freq) for _, freq in words]

    def add(items, share: float) -> None:
        # `share` of all draws, spread over the items (earlier items a little more likely).
        items = list(items)
        raw = [1.0 / (rank + 2) for rank in range(len(items))]
        scale = total * share / sum(raw)
        tokens.extend(items)
        weights.extend(weight * scale for weight in raw)

    add(["、"], 0.015)
    add([","], 0.09)
    add(["。"], 0.045)
    add(INDUSTRY_TERMS, 0.002)  # background mentions; each article also has its own topics
    places = list(JIANGSU) + [d for districts in JIANGSU.values() for d in districts] + ["江苏", "长三角"]
    add(places, 0.02)
    companies = _companies()
    add(["," + name for name in companies], 0.004)  # a clause boundary before a company's name
    sentences = seed_sentences()
    # A seed sentence is one token: "。" before it ends whatever sentence was running.
    add(["。" + sentence for sentence in sentences], SEED_TOKEN_WEIGHT)
    return Vocabulary(
        tokens=tuple(tokens),
        cum_weights=tuple(itertools.accumulate(weights)),
        ranked_words=tuple(word for word, _ in words),
        seed_sentences=sentences,
        companies=companies,
        officials=_names(300, 1),
        reporters=_names(150, 2),
    )


# -- pages ---------------------------------------------------------------------------
@dataclass
class PageRecord:
    file: str
    publication: Publication
    issue_date: dt.date
    page_label: str
    script: str
    articles: int
    bytes: int


class _Traditional:
    """OpenCC s2t, one token at a time, cached (phrases inside a token are converted whole)."""

    def __init__(self) -> None:
        import opencc

        self._converter = opencc.OpenCC("s2t")
        self._cache: dict[str, str] = {}

    def __call__(self, token: str) -> str:
        converted = self._cache.get(token)
        if converted is None:
            converted = self._cache[token] = self._converter.convert(token)
        return converted


SEP = "\x01"  # between tokens while a page is built: a Traditional page is converted token by token
_PUNCT = ",。、"
_PUNCT_RUN_RE = re.compile(r"[,。、](?:\x01?[,。、])+")
_LEADING_PUNCT_RE = re.compile(r"^(?:[,。、]\x01?)+")


def _visible_length(text: str) -> int:
    return len(text) - text.count(SEP)


def _visible_prefix(text: str, length: int) -> str:
    """The start of a token string holding `length` visible characters."""
    end = length
    while True:
        seen = end - text.count(SEP, 0, end)
        if seen >= length or end >= len(text):
            return text[:end]
        end += length - seen


def _join(*tokens: str) -> str:
    return SEP.join(token for token in tokens if token)


class CorpusGenerator:
    """Pages of synthetic articles, deterministic from the seed.

    A page is built as lines of tokens separated by SEP; at the end the separators are
    dropped, or, on a Traditional page, every token is converted with OpenCC s2t (cached)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary()
        self._to_traditional: _Traditional | None = None
        self._publications = list(PUBLICATIONS)
        self._publication_weights = list(itertools.accumulate(p.weight for p in PUBLICATIONS))
        self._days = (LAST_ISSUE - FIRST_ISSUE).days
        self._topic_weights = list(itertools.accumulate(1 / (rank + 3) for rank in range(len(INDUSTRY_TERMS))))
        self.topics: list[str] = [INDUSTRY_TERMS[0]]

    def pick_topics(self) -> None:
        """The one or two industries an article is about (some industries are in the news more)."""
        rng = self.rng
        self.topics = list(dict.fromkeys(
            rng.choices(INDUSTRY_TERMS, cum_weights=self._topic_weights, k=rng.choice((1, 2, 2)))
        ))

    def topic(self) -> str:
        return self.rng.choice(self.topics)

    def traditional(self, token: str) -> str:
        if self._to_traditional is None:
            self._to_traditional = _Traditional()
        return self._to_traditional(token)

    def name(self) -> str:
        """A reporter's name."""
        return self.rng.choice(self.vocab.reporters)

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocab.tokens, cum_weights=self.vocab.cum_weights, k=count)

    def paragraph(self, budget: int) -> str:
        """One paragraph of at most `budget` characters, ending a sentence, that the parser
        keeps as body text (random words can spell 依法追究, a copyright notice's words)."""
        rng = self.rng
        for _ in range(10):
            words = self.words(rng.randint(40, 150))
            for _ in range(rng.randint(0, 2)):
                words.insert(rng.randrange(len(words)), self.topic())
            text = SEP.join(words)
            text = self._fit(_LEADING_PUNCT_RE.sub("", _PUNCT_RUN_RE.sub(lambda m: m.group()[-1], text)), budget)
            if _valid_paragraph(text.replace(SEP, "")):
                return text
        return self._fit(_join(*INDUSTRY_TERMS[:20]), budget)

    @staticmethod
    def _fit(text: str, budget: int) -> str:
        """Cut to at most `budget` characters, ending with 。."""
        if _visible_length(text) > budget - 1:
            text = _visible_prefix(text, budget - 1)
        return text.rstrip(_PUNCT + SEP) + "。"

    def extra_mentions(self, city: str) -> str:
        """A sentence naming the page's city, a district, an official or a company."""
        rng = self.rng
        district = rng.choice(JIANGSU[city])
        choice = rng.random()
        if choice < 0.4:
            official = rng.choice(self.vocab.officials)
            return _join(rng.choice(TITLES), official, "在", district, "调研", self.topic(), "。")
        if choice < 0.7:
            return _join(rng.choice(self.vocab.companies), "落户", city, district, "。")
        return _join(city, self.topic(), "产业", "加快", "发展", "。")

    def headline(self, city: str) -> str:
        rng = self.rng
        for _ in range(20):
            style = rng.random()
            if style < 0.45:
                parts = [rng.choice([city, *JIANGSU[city]]), self.topic(), rng.choice(HEADLINE_ACTIONS)]
            elif style < 0.7:
                parts = [self.topic(), rng.choice(HEADLINE_ACTIONS)]
            else:
                parts = [word for word in self.words(12) if len(word) >= 2 and word[0] not in _PUNCT][:4]
                parts.append(rng.choice(HEADLINE_ACTIONS))
            if _valid_headline("".join(parts)):
                return _join(*parts)
        return _join(city, "产业", "发展", "观察")

    def kicker(self) -> str:
        first, second = self.rng.sample(SLOGAN_HALVES, 2)
        return _join(first, " ", second)

    def lede_date(self, issue: dt.date) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            word, _ = rng.choice(DATE_PHRASES)
            return _join(word, rng.choice(TIME_OF_DAY))
        day = issue - dt.timedelta(days=rng.randint(0, 6))
        return f"{day.month}月{day.day}日"

    def body(self, city: str, marker: str, opening: str) -> list[str]:
        """Paragraphs of 820-1,450 characters in all (newlines included); the first one is
        `marker` (a lede's 本报讯…, not body text) + `opening` (its date) + text."""
        rng = self.rng
        target = rng.randint(BODY_MIN + 20, BODY_MAX - 20)
        paragraphs: list[str] = []
        total = -1  # paragraphs are joined by newlines
        while total < target:
            budget = BODY_MAX - 10 - total - 1
            if budget < 20:
                break
            text = self.paragraph(min(budget, rng.randint(120, 420)))
            if not paragraphs:
                text = self._fit(_join(opening, ",", text), budget)
                length = _visible_length(text)
                text = _join(marker, text)
            else:
                if rng.random() < 0.3:
                    text = self._fit(_join(self.extra_mentions(city), text), budget)
                length = _visible_length(text)
            paragraphs.append(text)
            total += length + 1
        return paragraphs

    def print_article(self, city: str, issue: dt.date) -> list[str]:
        """Lines ("" is a blank line) of one newspaper article."""
        rng = self.rng
        self.pick_topics()
        lines: list[str] = []
        head = self.headline(city)
        marked = rng.random() < 0.6
        lede = rng.random() < 0.85 or not marked  # a bare headline needs a lede after it
        if marked:
            if rng.random() < 0.2:
                lines.append(_join("## ", self.kicker()))
            lines.append(_join("## ", head))
        else:
            lines.append(head)
        lines.append("")
        marker, names = "", []
        if lede:
            style = rng.random()
            if style < 0.55:
                names = [self.name()]
                marker = _join("本报讯 (记者 ", names[0], ") ")
            elif style < 0.8:
                names = [self.name(), self.name()]
                marker = _join("本报讯 (记者 ", names[0], " 通讯员 ", names[1], ") ")
            else:
                marker = "本报讯 "
        for text in self.body(city, marker, self.lede_date(issue)):
            if _visible_length(text) > 140 and rng.random() < 0.15:
                lines.extend(self._column_break(text))
            else:
                lines.append(text)
            lines.append("")
        if not names and rng.random() < 0.15:
            lines += [_join("(", self.name(), ")"), ""]
        return lines

    def _column_break(self, text: str) -> list[str]:
        """A paragraph cut in two by a column break, between two Chinese characters, after 60+ characters."""
        visible = text.replace(SEP, "")
        for _ in range(8):
            cut = self.rng.randint(60, len(visible) - 20)
            if _is_han(visible[cut - 1]) and _is_han(visible[cut]):
                head = _visible_prefix(text, cut)
                return [head, "", text[len(head):].lstrip(SEP)]
        return [text]

    def web_article(self, publication: Publication, issue: dt.date) -> list[str]:
        rng = self.rng
        self.pick_topics()
        lines = [publication.name, "", "", self.headline(publication.city), ""]
        stamp = f"{issue.isoformat()} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        lines.append(_join("时间:", stamp, "  来源:", publication.name, "  作者:", self.name()))
        word, _ = rng.choice(DATE_PHRASES[:2])
        lines += self.body(publication.city, "", _join(word, rng.choice(TIME_OF_DAY)))
        lines += ["", publication.name, "", "更多>>", ""]
        for offset in range(rng.randint(4, 10)):
            day = issue - dt.timedelta(days=offset)
            lines += [f"{publication.name}{day:%Y%m%d}", ""]
        return lines

    def print_furniture_top(self, publication: Publication, issue: dt.date, label: str) -> list[str]:
        weekday = "一二三四五六日"[issue.weekday()]
        lines = [publication.name, "", f"{issue.year}年{issue.month}月{issue.day}日 星期{weekday}", ""]
        if label:
            lines += [f"{label} {self.rng.choice(PAGE_SECTIONS)}", ""]
        return lines

    def colophon(self, publication: Publication) -> list[str]:
        rng = self.rng
        return [
            publication.name, "",
            f"国内统一连续出版物号 CN32-{rng.randint(1, 99):04d}",
            f"地址:{publication.city}市新闻大厦{rng.randint(1, 300)}号",
            f"新闻热线:0519-{rng.randint(10000000, 99999999)}",
            f"零售价:{rng.choice(('1.00', '1.50', '2.00'))}元", "",
        ]

    def page(self, index: int, remaining: int) -> tuple[str, PageRecord]:
        rng = self.rng
        publication = rng.choices(self._publications, cum_weights=self._publication_weights)[0]
        issue = FIRST_ISSUE + dt.timedelta(days=rng.randint(0, self._days))
        traditional = rng.random() < TRADITIONAL_SHARE
        lines: list[str] = []
        if publication.medium == "web":
            count, label = 1, ""
            lines += self.web_article(publication, issue)
        else:
            count = min(rng.randint(2, 6), remaining)
            label = f"A{rng.randint(1, 12)}" if rng.random() < 0.8 else ""
            if rng.random() < 0.7:
                lines += self.print_furniture_top(publication, issue, label)
            for _ in range(count):
                lines += self.print_article(publication.city, issue)
            if rng.random() < 0.2:
                lines += self.colophon(publication)
        text = "\n".join(lines).rstrip("\n") + "\n"
        if traditional:
            text = "".join(map(self.traditional, text.split(SEP)))
        else:
            text = text.replace(SEP, "")
        data = text.encode("utf-8")
        digest = hashlib.sha1(data).hexdigest()[:16]
        name = f"{index:06d}_{digest}.txt"
        record = PageRecord(name, publication, issue, label, "hant" if traditional else "hans", count, len(data))
        return text, record


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _valid_paragraph(text: str) -> bool:
    """Body text the parser keeps: not furniture, not a lede, metadata line or sign-off."""
    return not (is_furniture_line(text) or LEDE_MARKER_RE.match(text) or META_KEY_RE.match(text)
                or SIGNOFF_RE.match(text))


def _valid_headline(text: str) -> bool:
    """A headline the parser reads as one: short, not a sentence, not furniture, lede or metadata."""
    return (
        10 <= len(text) <= 40
        and not ends_sentence(text)
        and not text.endswith("摄")
        and not is_furniture_line(text)
        and not LEDE_MARKER_RE.match(text)
        and not META_KEY_RE.match(text)
    )


# -- writing -------------------------------------------------------------------------
@dataclass
class CorpusSummary:
    out_dir: Path
    seed: int
    articles: int
    pages: int
    bytes: int
    traditional_pages: int


def generate_corpus(articles: int, out_dir: Path, seed: int = 0, progress=None) -> CorpusSummary:
    """Write `articles` articles as page files, catalog.csv and .corpus.json into `out_dir`
    (created; must be empty)."""
    if articles < 1:
        raise ValueError("the corpus needs at least one article")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    generator = CorpusGenerator(seed)
    records: list[PageRecord] = []
    written = 0
    while written < articles:
        text, record = generator.page(len(records), articles - written)
        (out_dir / record.file).write_text(text, encoding="utf-8")
        records.append(record)
        written += record.articles
        if progress is not None:
            progress(written)
    with open(out_dir / CATALOG_NAME, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "publication", "medium", "city", "district", "issue_date", "page"])
        for r in records:
            p = r.publication
            writer.writerow([r.file, p.name, p.medium, p.city, p.district, r.issue_date.isoformat(), r.page_label])
    summary = CorpusSummary(out_dir, seed, written, len(records), sum(r.bytes for r in records),
                            sum(1 for r in records if r.script == "hant"))
    manifest = {
        "seed": seed,
        "articles": written,
        "pages": len(records),
        "bytes": summary.bytes,
        "traditional_pages": summary.traditional_pages,
        "files": [
            {"file": r.file, "articles": r.articles, "bytes": r.bytes, "script": r.script,
             "publication": r.publication.name, "medium": r.publication.medium, "city": r.publication.city,
             "issue_date": r.issue_date.isoformat(), "page": r.page_label}
            for r in records
        ],
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    return summary


def read_manifest(out_dir: Path) -> dict:
    return json.loads((Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
