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

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from archive.ingest import furniture
from archive.ingest.cleaning import ends_sentence, rejoin_paragraphs
from archive.ingest.dates import DAY, YEAR, FuzzyDate, find_explicit_date, resolve_first_date
from archive.ingest.script import CHINESE, NO_SCRIPT, detect_language, detect_script, to_simplified_chars
from archive.ingest.units import SHORT_UNIT, Unit, split_units
from archive.ingest.webpage import is_link_list_line, is_stray_number

MAX_HEADLINE_RUN = 3  # kicker, headline, subtitle
SITE_HEADER_LINES = 8  # how far down a web page's breadcrumb or nav bar is looked for
SITE_HEADER_CHARS = 30
MIN_REPEATED_TITLE = 8  # a line this long found inside another is a title shown twice
STORY_DATE_REACH = dt.timedelta(days=31)  # how long before its page's date a story's own date may lie
LONG_SINGLE_HEADLINE = 32  # a one-line headline longer than this may carry its subtitle after a space
DERIVED_HEADLINE_CHARS = 30
SLOGAN_PART_MAX = 12  # 积极抢占新质生产力新赛道: a slogan's halves are short
_SENTENCE_END_RE = re.compile(r"(?<=[。!\uff01\uff1f])|(?<=\?)(?=\s|$|[“”\"'「」])")
_LOST_CHARACTER_RE = re.compile(r"\?(?=[^\s“”\"'「」])|(?<=\?)\?+")
_YEAR_RE = re.compile(r"(?<!\d)((?:19[5-9]|20[0-4])\d)(?=\s*年|[\u4e00-\u9fff·])")
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
    context = _DateContext(reference, page_year(units))
    articles = [_finish(draft, context, columns) for draft in drafts]
    articles = [article for article in _join_cut_titles(articles) if article.headline or article.paragraphs]
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


def looks_printed(units: list[Unit], publication_names: frozenset[str] = frozenset()) -> bool:
    """A dump of a printed page: no web dateline, and a masthead, a page header (A3 经济,
    2024年4月19日 星期五) or a newspaper's lede (本报讯). Only such a dump has paragraphs cut at a
    column's edge; a web page's short lines are titles, captions and links, never halves of a
    sentence."""
    if any(unit.meta and unit.meta.get("time") for unit in units):
        return False
    return any(furniture.PAGE_HEADER_RE.match(u.simple) or furniture.is_masthead(u.simple, publication_names)
               or (u.lede is not None and u.simple.lstrip().startswith("本报")) for u in units)


def looks_web(units: list[Unit]) -> bool:
    """A web page's dump: it has a dateline, a breadcrumb or a nav bar."""
    return any((unit.meta and unit.meta.get("time")) or unit.navigation
               for unit in units)


def _repeated_short_lines(units: list[Unit]) -> set[str]:
    """Short lines a web page shows more than once, each time after a paragraph: the caption under
    each of several photos (云签约仪式现场), not a heading, which a story writes once (a title also
    listed among the page's links stands after a masthead or a breadcrumb, not a paragraph)."""
    counts = Counter(unit.text for unit in units if unit.short)
    repeated = {text for text, count in counts.items() if count > 1}
    return {unit.text for previous, unit in zip(units, units[1:])
            if unit.text in repeated and len(previous.text) > SHORT_UNIT}


def _titles_with_debris(units: list[Unit]) -> set[str]:
    """Short lines that hold another line of the page plus debris (新华报业网首页正文 + the title +
    its time; the title + 0通讯系统): a web page's breadcrumb or list entry run into the title,
    which the page also gives alone."""
    titles = {unit.text for unit in units if unit.short and len(unit.text) >= MIN_REPEATED_TITLE}
    return {unit.text for unit in units if len(unit.text) <= SHORT_UNIT + 20
            and any(title != unit.text and title in unit.text for title in titles)}


def _is_site_header_line(unit: Unit) -> bool:
    """A site's name, slogan or weather line: short, and no clause of prose (no comma or stop)."""
    return len(unit.text) <= SITE_HEADER_CHARS and not (unit.lede or unit.meta) and not re.search(
        "[,,。;;、]", unit.text)


@dataclass(frozen=True)
class _DateContext:
    """What an article's month-and-day date is read against: the issue or dateline date, and,
    when neither is known, a year the page states elsewhere."""

    reference: FuzzyDate
    page_year: int | None


def page_year(units: list[Unit]) -> int | None:
    """The year a page speaks of when it gives no full date: the first year written in its first
    lines (a title, a lead, an event name such as 2019中国·启东…), else the one it names most."""
    found = [int(match.group(1)) for unit in units for match in _YEAR_RE.finditer(unit.simple)]
    if not found:
        return None
    early = [int(match.group(1)) for unit in units[:4] for match in _YEAR_RE.finditer(unit.simple)]
    return early[0] if early else Counter(found).most_common(1)[0][0]


def _join_cut_titles(articles: list[ParsedArticle]) -> list[ParsedArticle]:
    """No title stands alone: a title followed by a body without one is one article, and a line
    taken for a title at the end of the page (a paragraph's half before 下转4版) goes back into
    the article before it."""
    joined: list[ParsedArticle] = []
    for article in articles:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.kind == article.kind == "text" and not previous.paragraphs
                and previous.headline and article.headline_derived):
            article.kicker, article.headline, article.subheadline = (
                previous.kicker, previous.headline, previous.subheadline)
            article.headline_derived = False
            article.bylines = list(dict.fromkeys(previous.bylines + article.bylines))
            joined[-1] = article
            continue
        joined.append(article)
    last = joined[-1] if joined else None
    if len(joined) > 1 and last.kind == "text" and not last.paragraphs and joined[-2].paragraphs:
        joined[-2].paragraphs.append(" ".join(part for part in (last.kicker, last.headline, last.subheadline) if part))
        joined.pop()
    return joined


class _PageWalker:
    def __init__(self, units: list[Unit], publication_names: frozenset[str]):
        self.units = units
        self.names = publication_names
        self.dropped: list[str] = []
        self.mastheads: list[str] = []
        self.date_hint: FuzzyDate | None = None
        web, printed = looks_web(units), looks_printed(units, publication_names)
        repeated = set() if printed else _repeated_short_lines(units) | _titles_with_debris(units)
        self.furniture = [(furniture.is_furniture_line(unit.simple, self.names)
                           or (web and is_stray_number(unit.simple))
                           or (not printed and (is_link_list_line(unit.simple) or unit.text in repeated)))
                          and not (unit.meta and unit.meta.get("time")) for unit in units]
        self._drop_site_header()
        self.photo_at: dict[int, tuple[int | None, int, int]] = {}
        self.photo_units: set[int] = set()
        self._find_photos()

    def _drop_site_header(self) -> None:
        """Short lines above a web page's breadcrumb or nav bar near its top are the site's
        header (its name, slogan, weather): furniture like the breadcrumb itself."""
        for index, unit in enumerate(self.units[:SITE_HEADER_LINES]):
            if unit.navigation:
                if all(_is_site_header_line(u) for u in self.units[:index]):
                    self.furniture[:index] = [True] * index
                return

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
        if unit.signoff is not None and current.paragraphs:
            current.names.extend(unit.signoff)
            current.closed = True
            return current
        current.paragraphs.append(unit.text)
        return current


def _finish(draft: _Draft, context: _DateContext, columns: bool) -> ParsedArticle:
    kicker, headline, subheadline = (_LOST_CHARACTER_RE.sub("", part) for part in split_headline_run(draft.heads))
    paragraphs = rejoin_paragraphs(draft.paragraphs) if columns else list(draft.paragraphs)
    derived = False
    if not headline and paragraphs:
        headline, derived = derive_headline(paragraphs[0]), True
    names = list(draft.names)
    author = draft.meta.get("author", "")
    if author and author not in names:
        names.append(author)
    own_reference = find_explicit_date(draft.meta.get("time", "")) or context.reference
    date, year_inferred = _article_date(paragraphs, own_reference, context.page_year, draft.kind)
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


def _article_date(
    paragraphs: list[str], reference: FuzzyDate, year: int | None, kind: str,
) -> tuple[FuzzyDate, bool]:
    """The first date the lede names, else the issue date, and whether its year was inferred.

    A lede's 月日 is read against the issue or dateline date; without one, against a year the
    page states elsewhere (marked inferred). A date after the page's own dateline is a plan the
    story announces (计划于5月28日开工), not its date. A photo caption's dates are about the
    project pictured (预计2025年5月竣工), not the news. A lede's date weeks before the page's
    date is background (去年5月26日签约落户), not the news either."""
    if not paragraphs or kind != "text":
        return reference, False
    lede = to_simplified_chars(paragraphs[0])
    found = resolve_first_date(lede, reference)
    if found is not None and found.known:
        if reference.precision == DAY and reference.value and not (
                reference.value - STORY_DATE_REACH <= found.value <= reference.value):
            return reference, False
        return found, False
    if not reference.known and year is not None:
        found = resolve_first_date(lede, FuzzyDate(dt.date(year, 1, 1), YEAR))
        if found is not None and found.precision == DAY:
            return found, True
    return reference, False


def is_slogan(text: str) -> bool:
    """Two or more balanced phrases set apart by spaces: 双向赋能 共创未来."""
    parts = text.split(" ")
    if len(parts) < 2 or any(not 4 <= len(part) <= SLOGAN_PART_MAX for part in parts):
        return False
    lengths = [len(part) for part in parts]
    return max(lengths) <= 2 * min(lengths)


def split_headline_run(heads: list[str]) -> tuple[str, str, str]:
    """(kicker, headline, subheadline) from one to three headline lines."""
    heads = [head.strip() for head in heads if head.strip()]
    if not heads:
        return "", "", ""
    if len(heads) == 1:
        return ("", *_split_single(heads[0]))
    if len(heads) == 2:
        first, second = heads
        if is_slogan(first) and not is_slogan(second):
            return first, second, ""
        if len(first) * 2 < len(second) and not is_slogan(second):
            return first, second, ""
        return "", first, second
    return heads[0], heads[1], " ".join(heads[2:])


def _split_single(head: str) -> tuple[str, str]:
    """A long one-line headline with a space may carry its subtitle: 主题 副题."""
    if len(head) > LONG_SINGLE_HEADLINE and " " in head:
        main, _, rest = head.partition(" ")
        if len(main) >= 10 and len(rest) >= 10:
            return main, rest
    return head, ""


def derive_headline(paragraph: str) -> str:
    """A headline for an article printed without one: its first sentence, shortened. A `?` run
    into the text around it (完成90%以上?!拔覀…) is a character a wrong decoding lost, not a
    question's end, and never stands in a headline."""
    sentence = _SENTENCE_END_RE.split(paragraph, maxsplit=1)[0]
    sentence = _LOST_CHARACTER_RE.sub("", sentence)
    if len(sentence) > DERIVED_HEADLINE_CHARS:
        sentence = sentence[:DERIVED_HEADLINE_CHARS].rstrip(",,、 ") + "…"
    return sentence
