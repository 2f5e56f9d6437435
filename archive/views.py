"""Public HTML pages: home, the filterable article list and the article page.

Views stay thin: validation lives in `archive.forms`, filtering, chips,
facets and paging in `archive.listing`.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from archive import browse_counts, charts, citation, entities, entity_index, filter_panel, listing, source
from archive.forms import LISTING_SORT_CHOICES, ArticleFilterForm
from archive.models import Article, Entity, Industry

HOME_LATEST = 10
# Headings of the entity index's sections and of an entity page's "reported with" lists (plural
# in English: Industries, Companies, People, Places).
KIND_HEADINGS = {
    entity_index.INDUSTRY: pgettext_lazy("entity index", "产业"),
    Entity.Kind.COMPANY.value: pgettext_lazy("entity index", "企业"),
    Entity.Kind.PERSON.value: pgettext_lazy("entity index", "人物"),
    Entity.Kind.PLACE.value: pgettext_lazy("entity index", "地点"),
}


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
    typed = request.GET.dict()
    context = {"form": form, "data": typed, "query": typed.get("q", ""), **filter_panel.panel_context(form, typed, [], [])}
    return render(request, "archive/bad_request.html", context, status=400)


def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    data = form.applied_data()
    queryset = listing.sorted_articles(listing.filter_articles(Article.objects.for_listing(), data),
                                       data.get("sort") or "")
    page, past_end = filter_panel.page_or_nearest(queryset, data["page"], settings.ARCHIVE_PAGE_SIZE)
    context = {
        "form": form,
        "data": data,
        "page_obj": page,
        "chips": form.active_filters(),
        "unknown_values": unknown_value_notes(form),
        "page_notes": [note for note in (form.page_notice, past_end) if note],
        "pager": filter_panel.page_navigation(data, page.number, page.paginator.num_pages),
        "feed_query": listing.query_with(data),
        **filter_panel.panel_context(
            form, data, filter_panel.panel_facets(data, filter_panel.listing_counts(data), page.paginator.count),
            filter_panel.sort_links(data, LISTING_SORT_CHOICES)),
    }
    return render(request, "archive/article_list.html", context)


def unknown_value_notes(form: ArticleFilterForm) -> list[str]:
    """One sentence per typed value the archive holds nothing for (the filter is left out)."""
    return [
        _("%(label)s“%(value)s”在档案中没有文章，已忽略此条件。")
        % {"label": form.fields[name].label, "value": value}
        for name, value in form.unknown_values.items()
    ]


def page_links(form: ArticleFilterForm, page: Page) -> dict[str, Any]:
    """Numbered page links that keep the current filters (see filter_panel.page_navigation)."""
    return filter_panel.page_navigation(form.applied_data(), page.number, page.paginator.num_pages)


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
    return _tag_page(request, industry.name, _("产业"), articles,
                     entities.reported_with(articles, exclude_industry=industry), industry=industry)


def _tag_page(request, title: str, kind_label: str, articles, related, **extra) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    page, past_end = filter_panel.page_or_nearest(
        Article.objects.for_listing().filter(pk__in=articles.values("pk")).newest_first(),
        form.cleaned_data["page"], settings.ARCHIVE_PAGE_SIZE,
    )
    context = {
        "title": title,
        "kind_label": kind_label,
        "page_obj": page,
        "pager": page_links(form, page),
        "page_notes": [note for note in (form.page_notice, past_end) if note],
        "timeline": entities.city_timeline(articles),
        "related": [(kind, KIND_HEADINGS[kind], rows) for kind, rows in related.items()],
        **extra,
    }
    return render(request, "archive/entity_detail.html", context)


def entity_index_page(request: HttpRequest) -> HttpResponse:
    """Companies, people, places and industries with their article counts; ?q= narrows them by
    name or alias (static/js/site.js reloads the list as the reader types), ?sort= orders them
    by mentions or by their latest article."""
    query = entity_index.clean_query(request.GET.get("q"))
    sort = entity_index.clean_sort(request.GET.get("sort"))
    groups = [(group, KIND_HEADINGS[group.kind]) for group in entity_index.entity_index(query, sort)]
    context = {
        "groups": groups,
        "query": query,
        "sort": sort,
        "matches": sum(group.total for group, _heading in groups),
        "sorts": [(entity_index.SORT_MENTIONS, _("按报道量")), (entity_index.SORT_RECENT, _("按最近报道"))],
    }
    return render(request, "archive/entity_index.html", context)
