"""The synthetic corpus's pages: print and web pages of articles, as the ingest reads real ones.

``CorpusGenerator(seed).page(index, wanted)`` builds one page's text and its record;
search/tooling/corpus.py writes the pages, the catalog and the manifest. Lines are checked
against the ingest's own rules (furniture, ledes, sign-offs, headline shape) as they are
built, so the ingest reads back exactly the articles that were written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import re
from dataclasses import dataclass

import opencc

from archive.gazetteer import JIANGSU
from archive.ingest.bylines import LEDE_MARKER_RE, META_KEY_RE, SIGNOFF_RE, parse_byline_line
from archive.ingest.cleaning import ends_sentence
from archive.ingest.furniture import is_furniture_line
from search.tooling.corpus_words import (
    DATE_PHRASES,
    HEADLINE_ACTIONS,
    INDUSTRY_TERMS,
    PAGE_SECTIONS,
    PUBLICATIONS,
    SLOGAN_HALVES,
    TIME_OF_DAY,
    TITLES,
    Publication,
    vocabulary,
)

FIRST_ISSUE = dt.date(2015, 1, 10)  # a lede's 前天 / 6 days earlier stays inside 2015
LAST_ISSUE = dt.date(2025, 12, 31)
BODY_MIN, BODY_MAX = 820, 1450  # characters of body text per article
TRADITIONAL_SHARE = 0.10
WEB_SHARE = 0.12  # of pages


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
        and parse_byline_line(text, text) is None  # 新闻记者领跑全省 reads as a line of credits
    )


