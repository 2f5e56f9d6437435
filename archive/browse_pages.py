"""Browsing pages: by place (city → district), by date (year → month → day,
as calendars) and by publication (publication → issue → page). Thin views;
the counting lives in `archive.browse_counts`."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from archive import browse_counts, charts
from archive.models import Article, Publication, Section

WEEKDAYS = [pgettext_lazy("weekday", "一"), pgettext_lazy("weekday", "二"), pgettext_lazy("weekday", "三"),
            pgettext_lazy("weekday", "四"), pgettext_lazy("weekday", "五"), pgettext_lazy("weekday", "六"),
            pgettext_lazy("weekday", "日")]


def weekday_labels() -> list[str]:
    return [str(WEEKDAYS[number]) for number in browse_counts.weekday_names()]


def places(request: HttpRequest) -> HttpResponse:
    context = {"cities": browse_counts.place_tree(), "unplaced": browse_counts.unplaced_count()}
    return render(request, "browse/places.html", context)


def dates(request: HttpRequest) -> HttpResponse:
    years = browse_counts.year_counts()
    context = {
        "years": years,
        "undated": browse_counts.undated_count(),
        "timeline": charts.bar_chart(browse_counts.archive_timeline(), labels={"": _("文章")}),
        "months": range(1, 13),
    }
    return render(request, "browse/dates.html", context)


def _year_or_404(year: int) -> int:
    if not 1900 <= year <= 2100 or not Article.objects.filter(date__year=year).exists():
        raise Http404(_("%(year)s年没有文章。") % {"year": year})
    return year


def year(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    context = {
        "year": year,
        "total": browse_counts.year_total(year),
        "year_only": browse_counts.year_only_count(year),
        "calendars": browse_counts.year_calendar(year),
        "weekdays": weekday_labels(),
        "previous_year": year - 1 if Article.objects.filter(date__year=year - 1).exists() else None,
        "next_year": year + 1 if Article.objects.filter(date__year=year + 1).exists() else None,
    }
    return render(request, "browse/year.html", context)


def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    _year_or_404(year)
    if not 1 <= month <= 12:
        raise Http404(_("月份无效。"))
    totals = {row.month: row.count for row in browse_counts.month_counts(Article.objects.filter(date__year=year))}
    calendar = browse_counts.month_calendar(year, month, browse_counts.day_counts(year, month), totals.get(month, 0))
    context = {
        "year": year,
        "month": month,
        "calendar": calendar,
        "weekdays": weekday_labels(),
        "previous": _existing((year, month - 1) if month > 1 else (year - 1, 12)),
        "next": _existing((year, month + 1) if month < 12 else (year + 1, 1)),
    }
    return render(request, "browse/month.html", context)


def _existing(year_month: tuple[int, int]) -> tuple[int, int] | None:
    """The month, if its year has articles (so its page exists)."""
    return year_month if Article.objects.filter(date__year=year_month[0]).exists() else None


def publications(request: HttpRequest) -> HttpResponse:
    return render(request, "browse/publications.html", {"publications": browse_counts.publication_rows()})


def publication(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    context = {"publication": publication, "issues": browse_counts.issues(publication),
               "has_articles": Article.objects.filter(section__publication=publication).exists()}
    return render(request, "browse/publication.html", context)


def issue(request: HttpRequest, pk: int, issue: str) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    try:
        issue_date = browse_counts.parse_issue(issue)
    except ValueError as exc:
        raise Http404(_("出版日期无效。")) from exc
    pages = browse_counts.issue_pages(publication, issue_date)
    if not pages:
        raise Http404(_("这一期没有版面。"))
    context = {"publication": publication, "issue_date": issue_date, "pages": pages,
               "precision": pages[0].issue_date_precision}
    return render(request, "browse/issue.html", context)


def page(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("publication"), pk=pk)
    context = {
        "section": section,
        "publication": section.publication,
        "articles": section.articles.order_by("position"),
        "issue_slug": section.issue_date.isoformat() if section.issue_date else browse_counts.UNDATED,
    }
    return render(request, "browse/page.html", context)
