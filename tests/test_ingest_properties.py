"""Property-based tests of the ingest: pages rebuilt from the seeds' articles,
then mangled the way real dumps are — articles shuffled, paragraphs dropped or
reordered, headlines missing, navigation junk injected, paragraphs cut by
column breaks, other encodings and line ends. Whatever the variant, the ingest
never crashes and never drops body text of a well-formed article: every
paragraph that went into the page comes out of it, in some article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest.catalog import Catalog
from archive.ingest.cleaning import ends_sentence
from archive.ingest.decoding import decode_bytes
from archive.ingest.loader import ingest_file
from archive.ingest.parsing import parse_page
from archive.models import Section

PARSE_EXAMPLES = 300
INGEST_EXAMPLES = 60

COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=True,
              suppress_health_check=list(HealthCheck))


@dataclass(frozen=True)
class SeedArticle:
    headline: str
    bylines: tuple[str, ...]
    paragraphs: tuple[str, ...]


def _seed_articles() -> list[SeedArticle]:
    """The seeds' well-formed text articles: a headline and paragraphs that end like sentences."""
    found = []
    for path in sorted(Path(django_settings.ARCHIVE_SEEDS_DIR).glob("*.txt")):
        for article in parse_page(path.read_text(encoding="utf-8")).articles:
            well_formed = article.kind == "text" and article.headline and not article.headline_derived
            if well_formed and article.paragraphs and all(ends_sentence(p) for p in article.paragraphs):
                found.append(SeedArticle(article.headline, tuple(article.bylines), tuple(article.paragraphs)))
    return found


ARTICLES = _seed_articles()

# Lines that are furniture wherever they stand (dropped one by one).
JUNK_LINES = [
    "返回顶部", "分享到", "打印本页", "关闭窗口", "上一篇", "下一篇", "字号:大 中 小", "扫一扫 分享到朋友圈",
    "新闻热线:0519-86661234", "投稿邮箱:wjrb@example.com", "Copyright © 2024 武进日报社 版权所有",
    "苏ICP备05004290号", "责任编辑:吴佳", "本版编辑", "0519-86661234 86661235",
]
# Blocks that open a zone of furniture (navigation and video lists, colophons).
JUNK_ZONES = [
    "更多>>\n\n武进新闻20250306\n\n武进新闻20250305\n\n武进新闻20250304",
    "视频推荐\n\n更多>>\n\n区领导调研智能微电网建设\n\n信心从何而来晨光涂料:“全能选手”",
    "相关新闻\n\n区领导调研芯片产业相关企业\n\n市领导走访我区重点文化企业",
    "版权声明\n\n未经本报授权,任何单位和个人不得转载、摘编或以其他任何形式使用。",
    "热门排行\n\n1 今创新能源项目\n\n2 武进青创港",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def output_text(articles) -> str:
    """Everything the parse kept, in page order, whitespace removed."""
    parts = []
    for article in articles:
        parts += [article.kicker, article.headline, article.subheadline, *article.paragraphs]
    return squash("".join(parts))


@st.composite
def cut(draw, paragraph: str) -> list[str]:
    """A paragraph, or its two halves where a column break cut it."""
    if len(paragraph) < 4 or not draw(st.booleans()):
        return [paragraph]
    at = draw(st.integers(1, len(paragraph) - 1))
    if paragraph[at - 1] == "-":  # a cut after a hyphen rejoins without it, as a hyphenated word would
        return [paragraph]
    return [paragraph[:at], paragraph[at:]]


@st.composite
def article_block(draw, article: SeedArticle) -> tuple[str, list[str], bool]:
    """(page text, paragraphs it holds, whether it starts unmistakably: a ## headline or a lede)."""
    kept = [p for p in article.paragraphs if draw(st.integers(0, 4))]  # drop about one in five
    kept = draw(st.permutations(kept or list(article.paragraphs[:1])))
    headline = draw(st.sampled_from(["marked", "bare", "missing"]))
    lede = draw(st.sampled_from(["names", "plain", "none"]))
    lines: list[str] = []
    if headline == "marked":
        lines.append(f"## {article.headline}")
    elif headline == "bare":
        lines.append(article.headline)
    for index, paragraph in enumerate(kept):
        pieces = draw(cut(paragraph))
        if index == 0 and lede != "none":
            names = " ".join(article.bylines)
            prefix = f"本报讯 (记者 {names}) " if lede == "names" and names else "本报讯 "
            pieces[0] = prefix + pieces[0]
        lines.append(draw(st.sampled_from(["\n", "\n\n"])).join(pieces))
        if index + 1 < len(kept) and not draw(st.integers(0, 5)):
            lines.append(draw(st.sampled_from(JUNK_LINES)))
    separator = draw(st.sampled_from(["\n\n", "\n", "\n\n\n"]))
    clear_start = headline == "marked" or lede != "none"
    return separator.join(lines), list(kept), clear_start


@st.composite
def page_variant(draw) -> tuple[str, list[str]]:
    """A page of one to four seed articles in any order, with junk, and the paragraphs it must keep."""
    chosen = draw(st.lists(st.sampled_from(ARTICLES), min_size=1, max_size=4, unique_by=lambda a: a.headline))
    blocks, expected = [], []
    for article in chosen:
        text, paragraphs, clear_start = draw(article_block(article))
        # A navigation zone lasts until the next clear article start, so only such a start may follow one.
        if clear_start and not draw(st.integers(0, 3)):
            blocks.append(draw(st.sampled_from(JUNK_ZONES)))
        blocks.append(text)
        expected += paragraphs
    if draw(st.booleans()):
        blocks.append(draw(st.sampled_from(JUNK_ZONES)))
    return "\n\n".join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"])), expected


def encode(text: str, encoding: str, line_end: str) -> bytes:
    return text.replace("\n", line_end).encode(encoding)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


def test_enough_seed_articles():
    assert len(ARTICLES) >= 12


@settings(max_examples=PARSE_EXAMPLES, **COMMON)
@given(variant=page_variant(), encoding=ENCODINGS, line_end=LINE_ENDS)
def test_parse_never_crashes_and_keeps_every_paragraph(variant, encoding, line_end):
    page_text, expected = variant
    decoded = decode_bytes(encode(page_text, encoding, line_end))
    assert decoded.text.rstrip("\n") == page_text.rstrip("\n")
    page = parse_page(decoded.text)
    kept = output_text(page.articles)
    lost = [paragraph for paragraph in expected if squash(paragraph) not in kept]
    assert not lost, f"{len(lost)} paragraph(s) dropped, first: {lost[0][:60]}"


@pytest.mark.django_db
@pytest.mark.database
@settings(max_examples=INGEST_EXAMPLES, **COMMON)
@given(variant=page_variant(), encoding=ENCODINGS, number=st.integers(0, 10**9))
def test_ingest_stores_every_paragraph(tmp_path, variant, encoding, number):
    page_text, expected = variant
    path = tmp_path / f"variant_{number}.txt"
    path.write_bytes(encode(page_text, encoding, "\n"))
    outcome = ingest_file(path, Catalog.empty())
    assert not outcome.failed, outcome.message
    articles = Section.objects.get(source_name=path.name).articles.order_by("position")
    stored = squash("".join(f"{a.kicker}{a.headline}{a.subheadline}{a.body}" for a in articles))
    lost = [paragraph for paragraph in expected if squash(paragraph) not in stored]
    assert not lost, f"{len(lost)} paragraph(s) not stored, first: {lost[0][:60]}"
