"""A page dump cut into units: one heading or paragraph each, with what the
segmenter needs to know about it (Simplified form, blank lines before it,
whether it was marked as a heading, what kind of line it is)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.ingest import bylines as by
from archive.ingest.cleaning import ends_sentence, join_broken, strip_invisible, strip_pinyin, tidy_spaces
from archive.ingest.furniture import PAGE_HEADER_RE
from archive.ingest.webpage import (
    dateline_time,
    is_breadcrumb,
    is_nav_bar,
    parse_dateline,
    strip_credit_tail,
    strip_debris,
)
from archive.text.script import to_simplified_chars

_CLOSING_MARKS = "”’」』)》\"')"
SHORT_UNIT = 50  # headlines run to ~45 characters; paragraphs are longer or end a sentence
_HARD_BREAK_RE = re.compile(r"[ \t]{2,}$")
_HEADING_MARK_RE = re.compile(r"^\s*#{1,6}\s+")
_NAV_ITEM_RE = re.compile(r"^\s*[^\s|]{1,10}\s*[|│]\s*$|^\s*【[^】]{1,10}】\s*$")


@dataclass
class Unit:
    text: str
    simple: str
    gap_before: int = 0
    marked: bool = False
    lede: by.Lede | None = None
    meta: dict[str, str] | None = None
    signoff: list[str] | None = None
    credit: tuple[list[str], str] | None = None
    byline: list[str] | None = None  # a line of credits alone (记者 杜勇清)
    navigation: bool = False  # a breadcrumb or a nav bar
    tags: set[str] = field(default_factory=set)

    @property
    def short(self) -> bool:
        """Could be a headline: short, and not ending like a sentence."""
        return len(self.text) <= SHORT_UNIT and not ends_sentence(self.text)

    @property
    def title_like(self) -> bool:
        """Short enough for a title, which on the web may end in ! or ? (102.5亿元!…集中开工!)."""
        return self.short or (len(self.text) <= SHORT_UNIT and self.text.rstrip(_CLOSING_MARKS)[-1:] in "!?!?")


def join_heading_lines(first: str, second: str) -> str:
    """A headline set over two lines: two full phrases keep a space between them
    (积极抢占新质生产力新赛道 壮大高质量发展核心竞争力), a phrase cut short does not
    (区委常委会 + (扩大)会议召开)."""
    if len(first) > SHORT_UNIT or len(second) > SHORT_UNIT:
        return join_broken(first, second)
    if len(first) >= 7 and len(second) >= 7:
        return f"{first} {second}"
    return first + second


def split_units(text: str) -> list[Unit]:
    """Cut cleaned page text into units, merging lines joined by a Markdown hard break."""
    units: list[Unit] = []
    blanks = 0
    continues = False
    for raw_line in strip_pinyin(strip_invisible(text)).split("\n"):
        if not raw_line.strip():
            blanks += 1
            continues = False
            continue
        if _NAV_ITEM_RE.match(raw_line):
            blanks += 1
            continue  # one entry of a nav bar or footer link row per line (新浪简介 |)
        marked = bool(_HEADING_MARK_RE.match(raw_line))
        line = tidy_spaces(strip_credit_tail(strip_debris(_HEADING_MARK_RE.sub("", raw_line))))
        if not line:
            blanks += 1
            continue
        if units and line == units[-1].text and len(line) <= SHORT_UNIT:
            continue  # a title shown twice (at the breadcrumb's end, then as the heading)
        if continues and units and not (is_navigation(units[-1].text) or dateline_time(line)):
            previous = units[-1]
            previous.text = join_heading_lines(previous.text, line)
        else:
            units.append(Unit(text=line, simple="", gap_before=blanks, marked=marked))
        continues = bool(_HARD_BREAK_RE.search(raw_line))
        blanks = 0
    for unit in units:
        classify(unit)
    return units


def is_navigation(line: str) -> bool:
    return is_breadcrumb(line) or is_nav_bar(line)


def classify(unit: Unit) -> None:
    """Fill in the Simplified form and what kind of line the unit is."""
    unit.simple = to_simplified_chars(unit.text)
    unit.navigation = is_navigation(unit.simple)
    unit.lede = by.parse_lede(unit.simple, unit.text)
    unit.meta = None if unit.lede else by.parse_meta_line(unit.simple, unit.text)
    if not unit.lede and not (unit.meta and unit.meta.get("time")) and not PAGE_HEADER_RE.match(unit.simple):
        dateline = parse_dateline(unit.simple, unit.text)
        if dateline:
            unit.meta = {**(unit.meta or {}), **dateline}
    unit.signoff = by.parse_signoff(unit.simple, unit.text)
    unit.credit = by.parse_credit(unit.simple, unit.text) if not unit.signoff else None
    if not (unit.lede or unit.meta or unit.signoff or unit.credit):
        unit.byline = by.parse_byline_line(unit.simple, unit.text)
