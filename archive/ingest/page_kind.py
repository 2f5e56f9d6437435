"""What kind of page a dump is, and the lines that only a page's kind makes furniture.

A printed page's dump has paragraphs cut at column edges, which are rejoined; a web page's short
lines are titles, captions and links. Some lines are furniture only on a web page: a counter alone
on a line, a caption repeated under several photos, a title shown again with breadcrumb debris, the
site's header above its breadcrumb.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from archive.ingest import furniture
from archive.ingest.units import SHORT_UNIT, Unit

SITE_HEADER_LINES = 8  # how far down a web page's breadcrumb or nav bar is looked for
SITE_HEADER_CHARS = 30
MIN_REPEATED_TITLE = 8  # a line this long found inside another is a title shown twice
_CLAUSE_MARK_RE = re.compile("[。,,;;]")  # a sentence that quotes a title is prose, not debris


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


def repeated_short_lines(units: list[Unit]) -> set[str]:
    """Short lines a web page shows more than once, each time after a paragraph: the caption under
    each of several photos (云签约仪式现场), not a heading, which a story writes once (a title also
    listed among the page's links stands after a masthead or a breadcrumb, not a paragraph)."""
    counts = Counter(unit.text for unit in units if unit.short)
    repeated = {text for text, count in counts.items() if count > 1}
    return {unit.text for previous, unit in pairwise(units)
            if unit.text in repeated and len(previous.text) > SHORT_UNIT}


def titles_with_debris(units: list[Unit]) -> set[str]:
    """Short lines that hold another line of the page plus debris (新华报业网首页正文 + the title +
    its time; the title + 0通讯系统): a web page's breadcrumb or list entry run into the title,
    which the page also gives alone."""
    titles = {unit.text for unit in units if unit.short and len(unit.text) >= MIN_REPEATED_TITLE}
    return {unit.text for unit in units if len(unit.text) <= SHORT_UNIT + 20 and not _CLAUSE_MARK_RE.search(unit.text)
            and any(title != unit.text and title in unit.text for title in titles)}


def is_site_header_line(unit: Unit) -> bool:
    """A site's name, slogan or weather line: short, and no clause of prose (no comma or stop)."""
    return len(unit.text) <= SITE_HEADER_CHARS and not (unit.lede or unit.meta) and not re.search(
        "[,,。;;、]", unit.text)


def site_header_end(units: list[Unit]) -> int:
    """How many lines at a web page's top are its site's header: the short lines above a
    breadcrumb or nav bar in its first lines (its name, slogan, weather), else none."""
    for index, unit in enumerate(units[:SITE_HEADER_LINES]):
        if unit.navigation:
            return index if all(is_site_header_line(u) for u in units[:index]) else 0
    return 0
