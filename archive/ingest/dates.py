"""Dates in news text: explicit timestamps, 2024年4月18日, 10月30日 and the
relative 昨天/今天/前天, resolved against the issue date when one is known."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"


@dataclass(frozen=True)
class FuzzyDate:
    """A date and how much of it is known; month/year dates sit on the 1st."""

    value: dt.date | None
    precision: str = UNKNOWN

    @classmethod
    def unknown(cls) -> FuzzyDate:
        return cls(None, UNKNOWN)

    @property
    def known(self) -> bool:
        return self.value is not None


_FULL_RE = re.compile(r"(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))")
_YEAR_MONTH_RE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_MONTH_DAY_RE = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*(?:[、,,至—-]\s*\d{1,2}\s*)?[日号]")  # 11月26、27日
# A day alone (16日下午, 6日召开的…): the month is the issue's. Not a span (为期3日, 每1日, 6日以来).
_DAY_ONLY_RE = re.compile(r"(?<![\d月第每近数前后余多个期])(\d{1,2})\s*日(?!\s*(?:以来|之内|内|前|后|起|至|电|讯))")
_RELATIVE_RE = re.compile(r"(前天|昨天|昨日|今天|今日|前日)")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "前日": -2}


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_iso_fuzzy(text: str) -> FuzzyDate:
    """Parse '2024-04-19', '2024-04' or '2024' (catalog values)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        year, month, day = (int(part) for part in text.split("-"))
        value = make_date(year, month, day)
        if value is None:
            raise ValueError(f"no such date: {text}")
        return FuzzyDate(value, DAY)
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        year, month = (int(part) for part in text.split("-"))
        value = make_date(year, month, 1)
        if value is None:
            raise ValueError(f"no such month: {text}")
        return FuzzyDate(value, MONTH)
    if re.fullmatch(r"\d{4}", text):
        return FuzzyDate(dt.date(int(text), 1, 1), YEAR)
    raise ValueError(f"not a date (expected YYYY-MM-DD, YYYY-MM or YYYY): {text!r}")


def find_explicit_date(text: str) -> FuzzyDate | None:
    """The first full calendar date written out in text, e.g. a web page's timestamp."""
    for match in _FULL_RE.finditer(text):
        year = int(match.group(1))
        month = int(match.group(2) or match.group(4))
        day = int(match.group(3) or match.group(5))
        value = make_date(year, month, day)
        if value and 1900 <= year <= 2100:
            return FuzzyDate(value, DAY)
    return None


def resolve_first_date(text: str, reference: FuzzyDate) -> FuzzyDate | None:
    """The date of the first date expression in text, resolved against the issue date.

    Returns None when text names no date; an unknown FuzzyDate when it names
    one that cannot be placed (昨天 with no issue date).
    """
    candidates: list[tuple[int, FuzzyDate]] = []
    full = _FULL_RE.search(text)
    if full:
        found = find_explicit_date(text[full.start():])
        if found:
            candidates.append((full.start(), found))
    year_month = _YEAR_MONTH_RE.search(text)
    if year_month:
        value = make_date(int(year_month.group(1)), int(year_month.group(2)), 1)
        if value:
            candidates.append((year_month.start(), FuzzyDate(value, MONTH)))
    month_day = _MONTH_DAY_RE.search(text)
    if month_day:
        candidates.append((month_day.start(), _resolve_month_day(month_day, reference)))
    day_only = _DAY_ONLY_RE.search(text)
    if day_only:
        candidates.append((day_only.start(), _resolve_day(int(day_only.group(1)), reference)))
    relative = _RELATIVE_RE.search(text)
    if relative:
        candidates.append((relative.start(), _resolve_relative(relative.group(1), reference)))
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[0])[1]


def _resolve_month_day(match: re.Match, reference: FuzzyDate) -> FuzzyDate:
    month, day = int(match.group(1)), int(match.group(2))
    if reference.value is None or reference.precision == UNKNOWN:
        return FuzzyDate.unknown()
    year = reference.value.year
    value = make_date(year, month, day)
    if value is None:
        return FuzzyDate.unknown()
    # A January issue reporting 12月30日 speaks of last year.
    if reference.precision == DAY and value > reference.value + dt.timedelta(days=31):
        value = make_date(year - 1, month, day)
    return FuzzyDate(value, DAY) if value else FuzzyDate.unknown()


def _resolve_day(day: int, reference: FuzzyDate) -> FuzzyDate:
    """A day of the issue's month, or of the month before when it lies after the issue's day."""
    if reference.value is None or reference.precision != DAY:
        return FuzzyDate.unknown()
    month_start = reference.value.replace(day=1)
    if day > reference.value.day:
        month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
    value = make_date(month_start.year, month_start.month, day)
    return FuzzyDate(value, DAY) if value else FuzzyDate.unknown()


def _resolve_relative(word: str, reference: FuzzyDate) -> FuzzyDate:
    if reference.value is None or reference.precision != DAY:
        return FuzzyDate.unknown()
    return FuzzyDate(reference.value + dt.timedelta(days=_RELATIVE_DAYS[word]), DAY)
