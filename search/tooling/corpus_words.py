"""The synthetic corpus's vocabulary: publications, word pools and weighted tokens.

The text of every generated page is drawn from here (search/tooling/corpus_pages.py builds
the pages): words of jieba's dictionary weighted by their frequency, real sentences from
``seeds/``, Jiangsu places, industries, and fixed pools of companies and people, so that
names recur as they do in the news. Nothing here depends on the corpus seed.
"""
from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

from archive.gazetteer import JIANGSU
from archive.ingest.bylines import LEDE_MARKER_RE, META_KEY_RE
from archive.ingest.decoding import decode_bytes
from archive.ingest.parsing import parse_page

SEED_TOKEN_WEIGHT = 0.004  # share of token draws that are a whole sentence from seeds/
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"



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

    def add(items: Iterable[str], share: float) -> None:
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


