"""Cut a page dump into articles.

A page holds several articles, photo items and furniture. The segmenter
works on units (see units.py) in three passes: it marks furniture (single
lines and whole zones such as ``更多>>`` lists and colophons), finds photo
items (a caption with an ``XXX 摄`` credit and a short title beside it), and
walks the rest, starting an article at every headline run — ``## `` lines,
or short lines followed by a lede (本报讯…) or a metadata line (时间:…).
Whatever is not a headline is body text of the current article, so text is
never dropped for want of a rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.ingest import furniture
from archive.ingest.article_dates import DateContext, article_date, page_year
from archive.ingest.cleaning import ends_sentence, rejoin_paragraphs
from archive.ingest.dates import FuzzyDate, find_explicit_date
from archive.ingest.headlines import derive_headline, split_headline_run, without_lost_characters
from archive.ingest.page_kind import (
    looks_printed,
    looks_web,
    repeated_short_lines,
    site_header_end,
    titles_with_debris,
)
from archive.ingest.units import SHORT_UNIT, Unit, split_units
from archive.ingest.webpage import is_link_list_line, is_stray_number, opening_date
from archive.text.script import CHINESE, NO_SCRIPT, detect_language, detect_script

MAX_HEADLINE_RUN = 3  # kicker, headline, subtitle
_OPENER_RE = re.compile(r"^(?:\d{1,2}月\d{1,2}日|\d{4}年|昨天|今天|前天|昨日|今日|日前|近日|近期|记者|据悉)")


@dataclass
class ParsedArticle:
    kicker: str = ""
    headline: str = ""
    subheadline: str = ""
    bylines: list[str] = field(default_factory=list)
    origin: str = ""
    paragraphs: list[str] = field(default_factory=list)
    kind: str = "text"
    date: FuzzyDate = field(default_factory=FuzzyDate.unknown)
    script: str = "hans"
    headline_derived: bool = False
    year_inferred: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedPage:
    articles: list[ParsedArticle]
    script: str
    mastheads: list[str]
    date_hint: FuzzyDate | None
    dropped: list[str]
    lines: list[str] = field(default_factory=list)  # every line's Simplified form, furniture included
    language: str = CHINESE


@dataclass
class _Draft:
    heads: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    kind: str = "text"
    closed: bool = False  # a sign-off ended it; a short line after it is a new headline


def parse_page(
    text: str,
    *,
    issue_date: FuzzyDate | None = None,
    publication_names: frozenset[str] = frozenset(),
    columns: bool | None = None,
) -> ParsedPage:
    """Parse one decoded page dump into articles in page order.

    `columns`: whether the dump comes from a printed page, whose paragraphs a column edge may
    cut in two (they are rejoined); None decides from the page (`looks_printed`)."""
    units = split_units(text)
    page = _PageWalker(units, publication_names)
    drafts = page.walk()
    if columns is None:
        columns = looks_printed(units, publication_names)
    reference = issue_date if issue_date and issue_date.known else (page.date_hint or FuzzyDate.unknown())
    context = DateContext(reference, page_year(units))
    articles = [_finish(draft, context, columns) for draft in drafts]
    articles = [article for article in _return_lone_end_title(articles) if article.headline or article.paragraphs]
    language = detect_language(text)
    if language != CHINESE:
        for article in articles:
            article.script = NO_SCRIPT
    return ParsedPage(
        articles=articles,
        script=detect_script(text) if language == CHINESE else NO_SCRIPT,
        mastheads=page.mastheads,
        date_hint=page.date_hint,
        dropped=page.dropped,
        lines=[unit.simple for unit in units],
        language=language,
    )


def _return_lone_end_title(articles: list[ParsedArticle]) -> list[ParsedArticle]:
    """A line taken for a title at the end of the page (a paragraph's half before 下转4版) goes
    back into the article before it: no title stands alone. (A title followed by its body is
    one article already: the walker gives the body to the title's draft.)"""
    if len(articles) > 1 and articles[-1].kind == "text" and not articles[-1].paragraphs and articles[-2].paragraphs:
        last = articles.pop()
        articles[-1].paragraphs.append(" ".join(part for part in (last.kicker, last.headline, last.subheadline) if part))
    return articles


class _PageWalker:
    def __init__(self, units: list[Unit], publication_names: frozenset[str]):
        self.units = units
        self.names = publication_names
        self.dropped: list[str] = []
        self.mastheads: list[str] = []
        self.date_hint: FuzzyDate | None = None
        web, printed = looks_web(units), looks_printed(units, publication_names)
        repeated = set() if printed else repeated_short_lines(units) | titles_with_debris(units)
        self.furniture = [(furniture.is_furniture_line(unit.simple, self.names)
                           or (web and is_stray_number(unit.simple))
                           or (not printed and (is_link_list_line(unit.simple) or unit.text in repeated)))
                          and not (unit.meta and unit.meta.get("time")) for unit in units]
        header = site_header_end(units)
        self.furniture[:header] = [True] * header
        self.photo_at: dict[int, tuple[int | None, int, int]] = {}
        self.photo_units: set[int] = set()
        self._find_photos()

    # -- pass 1: what starts an article -------------------------------------------------
    def headline_run(self, index: int) -> int:
        """Length of the headline run starting at index (0 when none starts here)."""
        unit = self.units[index]
        if unit.lede or unit.meta or not (unit.marked or self._could_head(index)) or self._is_special(index):
            return 0
        end = index
        while (
            end < len(self.units)
            and end - index < MAX_HEADLINE_RUN
            and (self.units[end].marked or self._could_head(end))
            and not self._is_special(end)
            and not self.units[end].lede
            and not self.units[end].meta
        ):
            end += 1
        follower = self._next_content(end)
        if follower is not None and (follower.lede or follower.meta):
            return end - index
        if unit.marked:
            marked_end = index
            while marked_end < end and self.units[marked_end].marked:
                marked_end += 1
            return marked_end - index
        return 0

    def _could_head(self, index: int) -> bool:
        """A short line, or a title ending in ! or ? right above a dateline."""
        unit = self.units[index]
        if unit.short:
            return True
        follower = self._next_content(index + 1)
        return unit.title_like and follower is not None and bool(follower.meta and follower.meta.get("time"))

    def _next_content(self, index: int, skip_photos: bool = False) -> Unit | None:
        """The first unit from index on that is not furniture (a share button between a title
        and its dateline does not part them), nor, when asked, part of a photo item (a picture
        between a title and its text)."""
        while index < len(self.units) and (self.furniture[index] or (skip_photos and index in self.photo_units)):
            index += 1
        return self.units[index] if index < len(self.units) else None

    def _first_content(self) -> int:
        """Where the page's own text starts: a short line there is the page's title, not a
        picture's (a photo item's title stands between stories)."""
        return next((index for index, flag in enumerate(self.furniture) if not flag), len(self.units))

    def _is_special(self, index: int) -> bool:
        unit = self.units[index]
        return bool(self.furniture[index] or unit.signoff or unit.credit or unit.byline
                    or index in self.photo_units)

    def weak_headline(self, index: int, draft: _Draft | None) -> bool:
        """A short line with no lede after it still heads an article when nothing else can:
        at the top of the page, after a sign-off, or set apart and followed by an opener."""
        unit = self.units[index]
        follower = self._next_content(index + 1, skip_photos=True)
        at_top = draft is None
        if not (unit.title_like if at_top else unit.short) or self._is_special(index) or follower is None:
            return False
        if self._is_special(self.units.index(follower)) or not (
                len(follower.text) > SHORT_UNIT or ends_sentence(follower.text)):
            return False
        if draft is None or draft.closed:
            return True
        previous_complete = not draft.paragraphs or ends_sentence(draft.paragraphs[-1])
        return previous_complete and (unit.gap_before >= 2 or bool(_OPENER_RE.match(follower.simple)))

    # -- pass 2: photo items ----------------------------------------------------------
    def _find_photos(self) -> None:
        for index, unit in enumerate(self.units):
            if not unit.credit or self.furniture[index]:
                continue
            _, caption_text = unit.credit
            caption = index if caption_text else index - 1
            if caption < 0 or caption in self.photo_units or self.units[caption].lede:
                continue
            title = self._photo_title(caption, index)
            members = {caption, index} | ({title} if title is not None else set())
            self.photo_units |= members
            self.photo_at[min(members)] = (title, caption, index)

    def _photo_title(self, caption: int, credit: int) -> int | None:
        before = caption - 1
        if (before > self._first_content() and self.units[before].short and not self.furniture[before]
                and not self.units[before].meta and before not in self.photo_units):
            if not self.units[before].signoff and self.units[before].gap_before >= 1:
                return before
        after = credit + 1
        if after < len(self.units) and self.units[after].short and not self.furniture[after]:
            is_last = after + 1 >= len(self.units) or self.units[after + 1].gap_before >= 2
            if is_last:
                return after
        return None

    def _photo_draft(self, title: int | None, caption: int, credit: int) -> _Draft:
        names, credit_caption = self.units[credit].credit
        text = credit_caption if caption == credit else self.units[caption].text
        return _Draft(
            heads=[self.units[title].text] if title is not None else [],
            paragraphs=[text] if text else [],
            names=list(names),
            kind="photo",
            closed=True,
        )

    # -- pass 3: the walk ----------------------------------------------------------
    def walk(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        current: _Draft | None = None
        in_zone = False
        index = 0
        while index < len(self.units):
            unit = self.units[index]
            if index in self.photo_at:
                drafts.append(self._photo_draft(*self.photo_at[index]))
                index += 1
                continue
            if index in self.photo_units:
                index += 1
                continue
            run = self.headline_run(index)
            if in_zone and not run and not self._leaves_zone(index):
                self._drop(unit)
                index += 1
                continue
            in_zone = False
            if self._opens_zone(index, current):
                in_zone = True
                self._drop(unit)
                index += 1
                continue
            if self.furniture[index]:
                self._drop(unit)
                index += 1
                continue
            if run or (not unit.lede and not unit.meta and self.weak_headline(index, current)):
                current = _Draft(heads=[u.text for u in self.units[index:index + max(run, 1)]])
                drafts.append(current)
                index += max(run, 1)
                continue
            current = self._take_body_unit(unit, current, drafts)
            index += 1
        return drafts

    def _opens_zone(self, index: int, current: _Draft | None) -> bool:
        simple = self.units[index].simple.strip()
        if furniture.is_masthead(simple, self.names):
            self.mastheads.append(simple)
            # a masthead after a story's text opens the colophon; one under a title is the site's name
            return current is not None and bool(current.paragraphs)
        return furniture.starts_furniture_zone(simple, self.names)

    def _leaves_zone(self, index: int) -> bool:
        """Long prose, or a lede (本报讯…: an article without a headline), ends a furniture zone."""
        unit = self.units[index]
        if self.furniture[index]:
            return False
        return bool(unit.lede) or (len(unit.text) > 60 and ends_sentence(unit.text))

    def _drop(self, unit: Unit) -> None:
        self.dropped.append(unit.text)
        hint = find_explicit_date(unit.simple)
        if hint and self.date_hint is None and furniture.PAGE_HEADER_RE.match(unit.simple):
            self.date_hint = hint

    def _take_body_unit(self, unit: Unit, current: _Draft | None, drafts: list[_Draft]) -> _Draft:
        if current is None or (unit.lede and current.paragraphs) or (unit.meta and current.paragraphs):
            current = _Draft()
            drafts.append(current)
        if unit.meta:
            current.meta.update(unit.meta)
            if unit.meta.get("time") and self.date_hint is None:
                self.date_hint = find_explicit_date(unit.meta["time"])
            return current
        if unit.lede:
            current.names.extend(unit.lede.names)
            if unit.lede.rest:
                current.paragraphs.append(unit.lede.rest)
            return current
        if unit.byline:
            current.names.extend(unit.byline)
            return current
        if self.date_hint is None and not current.paragraphs and (opening := opening_date(unit.simple)):
            self.date_hint = find_explicit_date(opening)
        if unit.signoff is not None and current.paragraphs:
            current.names.extend(unit.signoff)
            current.closed = True
            return current
        current.paragraphs.append(unit.text)
        return current


def _finish(draft: _Draft, context: DateContext, columns: bool) -> ParsedArticle:
    kicker, headline, subheadline = (without_lost_characters(part) for part in split_headline_run(draft.heads))
    paragraphs = rejoin_paragraphs(draft.paragraphs) if columns else list(draft.paragraphs)
    derived = False
    if not headline and paragraphs:
        headline, derived = derive_headline(paragraphs[0]), True
    names = list(draft.names)
    author = draft.meta.get("author", "")
    if author and author not in names:
        names.append(author)
    own_reference = find_explicit_date(draft.meta.get("time", "")) or context.reference
    date, year_inferred = article_date(paragraphs, own_reference, context.page_year, draft.kind)
    text = " ".join([kicker, headline, subheadline, *paragraphs])
    return ParsedArticle(
        kicker=kicker,
        headline=headline,
        subheadline=subheadline,
        bylines=list(dict.fromkeys(names)),
        origin=draft.meta.get("origin", ""),
        paragraphs=paragraphs,
        kind=draft.kind,
        date=date,
        script=detect_script(text),
        headline_derived=derived,
        year_inferred=year_inferred,
    )


