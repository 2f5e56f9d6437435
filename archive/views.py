"""Public HTML pages: home, the filterable article list and the article page.

Views stay thin: validation lives in `archive.forms`, filtering, chips,
facets and paging in `archive.listing`.
"""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from archive import browse_counts, charts, citation, entities, listing, source
from archive.forms import ArticleFilterForm
from archive.models import Article, Entity, Industry

HOME_LATEST = 10


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "latest": Article.objects.for_listing().newest_first()[:HOME_LATEST],
        "total": Article.objects.count(),
        "city_counts": listing.counts_by_city(),
        "publication_counts": listing.counts_by_publication(),
        "timeline": charts.bar_chart(browse_counts.archive_timeline(), labels={"": _("文章")}),
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
        "feed_query": listing.query_with(form.cleaned_data),
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


def article_context(request: HttpRequest, article: Article) -> dict:
    """Everything the article page shows but its related articles (those come from the
    search index: search/views.py article_page)."""
    section = article.section
    page = list(section.articles.order_by("position"))
    index = next((i for i, other in enumerate(page) if other.pk == article.pk), 0)
    previous = page[index - 1] if index > 0 else None
    following = page[index + 1] if index + 1 < len(page) else None
    permalink = request.build_absolute_uri(article.get_absolute_url())
    span = source.locate(section.raw_text, article, following)
    return {
        "article": article,
        "section": section,
        "publication": section.publication,
        "siblings": [other for other in page if other.pk != article.pk],
        "previous": previous,
        "next": following,
        "source_html": source.marked(section.raw_text, span),
        "source_found": span is not None,
        "citation": citation.gbt7714(article, permalink),
        "permalink": permalink,
        "tags": entities.article_tags(article),
        "also_in": entities.other_copies(article),
    }


def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A company, person or place: its articles over time, by city, and what is reported with it."""
    entity = get_object_or_404(Entity, pk=pk)
    articles = entities.entity_articles(entity)
    return _tag_page(request, entity.name, entity.get_kind_display(), articles,
                     entities.reported_with(articles, exclude=entity), entity=entity)


def industry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    industry = get_object_or_404(Industry, pk=pk)
    articles = entities.industry_articles(industry)
    return _tag_page(request, industry.name, "产业", articles, entities.reported_with(articles), industry=industry)


def _tag_page(request, title: str, kind_label: str, articles, related, **extra) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    page = listing.paginate(
        Article.objects.for_listing().filter(pk__in=articles.values("pk")).newest_first(),
        form.cleaned_data["page"], settings.ARCHIVE_PAGE_SIZE,
    )
    context = {
        "title": title,
        "kind_label": kind_label,
        "page_obj": page,
        "page_links": page_links(form, page),
        "timeline": entities.city_timeline(articles),
        "related": related,
        **extra,
    }
    return render(request, "archive/entity_detail.html", context)


def entity_index(request: HttpRequest) -> HttpResponse:
    """Browse companies, people, places and industries by how often they are reported."""
    kinds = [(kind, label, entities.top_entities(kind, limit=60)) for kind, label in Entity.Kind.choices]
    industries = Industry.objects.annotate(
        n=Count("article_links", filter=Q(article_links__removed=False))
    ).order_by("order", "name")
    return render(request, "archive/entity_index.html", {"kinds": kinds, "industries": industries})
