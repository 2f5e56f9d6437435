"""An article's date from its lede, read against its page's date or, on a page that gives none,
against a year the page states elsewhere."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from archive.ingest.dates import DAY, YEAR, FuzzyDate, resolve_first_date
from archive.ingest.units import Unit
from archive.text.script import to_simplified_chars

STORY_DATE_REACH = dt.timedelta(days=31)  # how long before its page's date a story's own date may lie
_YEAR_RE = re.compile(r"(?<!\d)((?:19[5-9]|20[0-4])\d)(?=\s*年|[\u4e00-\u9fff·])")


@dataclass(frozen=True)
class DateContext:
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


def article_date(
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
