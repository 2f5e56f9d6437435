"""Counts behind the browsing pages: places, the date calendar, publications
and their issues, and the articles-per-month timeline.

Plain functions over the ORM, no requests. Date precision is respected
everywhere: an article dated only to the year counts for its year, one dated
to the month for its month, and only day (or unknown-precision) dates are
placed on a day of the calendar — the same rules as the listing's
`year`/`month`/`day` filters, so every count links to exactly that many
articles.
"""
from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from archive.listing import query_with
from archive.models import Article, DatePrecision, Publication, Section

MONTH_PRECISIONS = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.UNKNOWN)
DAY_PRECISIONS = (DatePrecision.DAY, DatePrecision.UNKNOWN)
FIRST_WEEKDAY = calendar.MONDAY  # as Chinese calendars are printed


# -- places -------------------------------------------------------------------------
@dataclass
class Place:
    name: str
    count: int
    query: str
    children: list[Place] = field(default_factory=list)


def place_tree() -> list[Place]:
    """Cities (most articles first), each with its districts; articles without a
    district are counted in the city only."""
    rows = (
        Article.objects.exclude(city="")
        .values("city", "district")
        .annotate(n=Count("id"))
        .order_by("city", "district")
    )
    cities: dict[str, Place] = {}
    for row in rows:
        city = cities.setdefault(row["city"], Place(row["city"], 0, query_with({}, city=row["city"])))
        city.count += row["n"]
        if row["district"]:
            city.children.append(Place(
                row["district"], row["n"], query_with({}, city=row["city"], district=row["district"])
            ))
    for city in cities.values():
        city.children.sort(key=lambda place: (-place.count, place.name))
    return sorted(cities.values(), key=lambda place: (-place.count, place.name))


def unplaced_count() -> int:
    return Article.objects.filter(city="").count()


# -- dates --------------------------------------------------------------------------
@dataclass
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def query(self) -> str:
        return query_with({}, year=self.year, month=self.month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


@dataclass
class YearCount:
    year: int
    count: int
    months: list[MonthCount]

    @property
    def query(self) -> str:
        return query_with({}, year=self.year)


def month_counts(queryset: QuerySet[Article] | None = None) -> list[MonthCount]:
    """Articles per month (oldest first) among dates that name a month."""
    queryset = Article.objects.all() if queryset is None else queryset
    rows = (
        queryset.filter(date__isnull=False, date_precision__in=MONTH_PRECISIONS)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(n=Count("id"))
        .order_by("y", "m")
    )
    return [MonthCount(row["y"], row["m"], row["n"]) for row in rows]


def year_counts() -> list[YearCount]:
    """Every year with articles (newest first), its total and its months."""
    totals = (
        Article.objects.filter(date__isnull=False)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("-y")
    )
    months: dict[int, list[MonthCount]] = {}
    for row in month_counts():
        months.setdefault(row.year, []).append(row)
    return [YearCount(row["y"], row["n"], months.get(row["y"], [])) for row in totals]


def undated_count() -> int:
    return Article.objects.filter(date__isnull=True).count()


def day_counts(year: int, month: int | None = None) -> dict[datetime.date, int]:
    """Articles per day (day-precision dates only) in a year or one month of it."""
    queryset = Article.objects.filter(date__year=year, date_precision__in=DAY_PRECISIONS)
    if month:
        queryset = queryset.filter(date__month=month)
    rows = queryset.values("date").annotate(n=Count("id"))
    return {row["date"]: row["n"] for row in rows}


@dataclass
class CalendarDay:
    date: datetime.date
    count: int

    @property
    def query(self) -> str:
        return query_with({}, year=self.date.year, month=self.date.month, day=self.date.day)


@dataclass
class CalendarMonth:
    year: int
    month: int
    count: int  # every article of the month, including those dated only to it
    weeks: list[list[CalendarDay | None]]

    @property
    def month_only(self) -> int:
        """Articles dated only to the month: counted here, on no day."""
        return self.count - sum(day.count for week in self.weeks for day in week if day)

    @property
    def query(self) -> str:
        return query_with({}, year=self.year, month=self.month)


def weekday_names() -> list[int]:
    """Weekday numbers (0 = Monday) in calendar column order."""
    return [(FIRST_WEEKDAY + offset) % 7 for offset in range(7)]


def month_calendar(year: int, month: int, days: dict[datetime.date, int], total: int) -> CalendarMonth:
    """A month as weeks of days (None outside the month), each day with its count."""
    grid = calendar.Calendar(FIRST_WEEKDAY).monthdatescalendar(year, month)
    weeks = [
        [CalendarDay(day, days.get(day, 0)) if day.month == month else None for day in week]
        for week in grid
    ]
    return CalendarMonth(year, month, total, weeks)


def year_calendar(year: int) -> list[CalendarMonth]:
    """The twelve months of a year, each a calendar with day counts."""
    days = day_counts(year)
    totals = {row.month: row.count for row in month_counts(Article.objects.filter(date__year=year))}
    return [month_calendar(year, month, days, totals.get(month, 0)) for month in range(1, 13)]


def year_only_count(year: int) -> int:
    return Article.objects.filter(date__year=year, date_precision=DatePrecision.YEAR).count()


def year_total(year: int) -> int:
    return Article.objects.filter(date__year=year).count()


# -- timeline -------------------------------------------------------------------------
MAX_MONTH_BARS = 120  # beyond ten years a timeline is drawn per year


@dataclass
class Period:
    label: str
    start: datetime.date
    counts: dict[str, int]
    query: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _month_seq(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    current = first
    while current <= last:
        yield current
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)


def timeline(counts: Iterable[tuple[datetime.date, str, int]], base: dict | None = None) -> list[Period]:
    """Per-month periods (empty months included) from (month start, series, count) rows,
    or per-year periods when the span is too long for monthly bars.

    `base` holds filters the period links keep (the search query, other filters)."""
    base = dict(base or {})
    for key in ("year", "month", "day", "page"):
        base.pop(key, None)
    rows = [(datetime.date(day.year, day.month, 1), series, count) for day, series, count in counts if count]
    if not rows:
        return []
    first, last = min(row[0] for row in rows), max(row[0] for row in rows)
    months = list(_month_seq(first, last))
    if len(months) <= MAX_MONTH_BARS:
        periods = {
            month: Period(f"{month.year}-{month.month:02d}", month, {},
                          query_with(base, year=month.year, month=month.month))
            for month in months
        }
        for month, series, count in rows:
            periods[month].counts[series] = periods[month].counts.get(series, 0) + count
        return list(periods.values())
    years = {
        year: Period(str(year), datetime.date(year, 1, 1), {}, query_with(base, year=year))
        for year in range(first.year, last.year + 1)
    }
    for month, series, count in rows:
        years[month.year].counts[series] = years[month.year].counts.get(series, 0) + count
    return list(years.values())


def archive_timeline() -> list[Period]:
    """Articles per month across the whole archive (one series)."""
    return timeline((row.first_day, "", row.count) for row in month_counts())


# -- publications -----------------------------------------------------------------------
@dataclass
class Issue:
    date: datetime.date | None
    precision: str
    pages: int
    articles: int

    @property
    def slug(self) -> str:
        return self.date.isoformat() if self.date else UNDATED


UNDATED = "undated"


def publication_rows() -> QuerySet[Publication]:
    """Publications with their numbers of articles and pages and their first and last issue."""
    return Publication.objects.annotate(
        n_articles=Count("sections__articles", distinct=True),
        n_pages=Count("sections", distinct=True),
        first_issue=Min("sections__issue_date"),
        last_issue=Max("sections__issue_date"),
    ).order_by("-n_articles", "name")


def issues(publication: Publication) -> list[Issue]:
    """A publication's issues, newest first, with their numbers of pages and articles."""
    rows = (
        publication.sections.values("issue_date")
        .annotate(
            pages=Count("id", distinct=True),
            articles=Count("articles", distinct=True),
            precise=Count("id", filter=Q(issue_date_precision=DatePrecision.DAY)),
            some_precision=Max("issue_date_precision"),
        )
        .order_by(F("issue_date").desc(nulls_last=True))
    )
    return [
        Issue(row["issue_date"], DatePrecision.DAY if row["precise"] else row["some_precision"],
              row["pages"], row["articles"])
        for row in rows
    ]


def parse_issue(slug: str) -> datetime.date | None:
    """The issue date in an issue URL ("undated" is None); ValueError when malformed."""
    if slug == UNDATED:
        return None
    return datetime.date.fromisoformat(slug)


def issue_pages(publication: Publication, issue_date: datetime.date | None) -> list[Section]:
    """The pages (sections) of one issue in page order, each with its articles in page order."""
    from django.db.models import Prefetch

    articles = Prefetch("articles", queryset=Article.objects.order_by("position"))
    sections = publication.sections.filter(issue_date=issue_date).prefetch_related(articles)
    return sorted(sections, key=lambda section: (_page_sort_key(section.page_label), section.source_name))


def _page_sort_key(label: str) -> tuple:
    """A1 < A2 < A10 < B1; unlabelled pages last."""
    import re

    if not label:
        return (1, "", 0, "")
    match = re.match(r"([^\d]*)(\d+)(.*)", label)
    if not match:
        return (0, label, 0, "")
    return (0, match.group(1), int(match.group(2)), match.group(3))
