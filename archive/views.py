"""Public HTML pages: home, the filterable article list and the article page.

Views stay thin: validation lives in `archive.forms`, filtering, chips,
facets and paging in `archive.listing`.
"""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive import listing
from archive.forms import ArticleFilterForm
from archive.models import Article

HOME_LATEST = 10


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "latest": Article.objects.for_listing().newest_first()[:HOME_LATEST],
        "total": Article.objects.count(),
        "city_counts": listing.counts_by_city(),
        "publication_counts": listing.counts_by_publication(),
    }
    return render(request, "archive/home.html", context)


def bad_request(request: HttpRequest, form: ArticleFilterForm) -> HttpResponse:
    """400 page listing what was wrong with the query parameters."""
    return render(request, "archive/bad_request.html", {"form": form}, status=400)


def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    queryset = form.filter_queryset(Article.objects.for_listing().newest_first())
    page = listing.paginate(queryset, form.cleaned_data["page"], settings.ARCHIVE_PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page,
        "chips": form.active_filters(),
        "facets": listing.facets(form.cleaned_data),
        "page_links": page_links(form, page),
    }
    return render(request, "archive/article_list.html", context)


def page_links(form: ArticleFilterForm, page: Page) -> dict[str, str | None]:
    """Query strings for the previous/next page that keep the current filters."""
    data = form.cleaned_data
    previous = page.previous_page_number() if page.has_previous() else None
    following = page.next_page_number() if page.has_next() else None
    return {
        "previous": listing.query_with(data, page=previous) if previous else None,
        "next": listing.query_with(data, page=following) if following else None,
    }


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.for_listing(), pk=pk)
    section = article.section
    context = {
        "article": article,
        "section": section,
        "publication": section.publication,
        "siblings": section.articles.exclude(pk=article.pk).order_by("position"),
    }
    return render(request, "archive/article_detail.html", context)
