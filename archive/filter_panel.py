"""The filter panel the article listing and the search page share: its choices with live
counts, its sort links and its numbered page links.

Every option is a link that switches (or, when chosen, removes) one filter, with the number
of articles that link leads to: the counts of a facet are taken with every *other* filter
applied, so no option offered leads to an empty page. The listing counts in the database
(one GROUP BY per facet, `listing_counts`); the search page passes the engine's facet
counts (`search.views`). Both are turned into the same option rows here.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext

from archive import listing
from archive.models import Article, ArticleIndustry, Industry, Publication
from archive.signals import bulk_load_finished

#: The facets both pages count, in the panel's order.
PANEL_FACETS = ("city", "district", "publication", "year", "industry", "kind")
#: At most this many options per facet (the largest counts; a chosen one is always kept).
OPTION_LIMIT = 30
#: The filters the listing's counts depend on (not the page, the sort or the query).
FILTER_KEYS = (*listing.FILTER_LOOKUPS, *listing.TAG_FILTERS)
COUNTS_CACHE_PREFIX = "archive:listing-counts:"
GENERATION_KEY = "archive:listing-counts-generation"
#: Page links either side of the current page before the rest are elided.
PAGE_NEIGHBOURS = 2

def _others(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """`data` without the filter `name` and those that mean nothing without it (a month without
    its year): what an option of that facet switches to."""
    dropped = {name, *listing.DEPENDENT_FILTERS.get(name, ())}
    return {key: value for key, value in data.items() if key not in dropped}


def _grouped(queryset: QuerySet[Article], name: str, filtered: bool = True) -> list[tuple[Any, int]]:
    """(value, articles) for one facet of `queryset`: a single GROUP BY on a column an index
    holds (years from the dates, publications and industries from their ids), largest first. Grouping by
    the year of each date or by the publication's name read every article row: 140–190 ms
    each at 100,000 articles (docs/performance.md)."""
    if name == "industry":
        links = ArticleIndustry.objects.filter(removed=False)  # one row per article and industry
        if filtered:
            links = links.filter(article__in=queryset.values("pk"))
        rows = _named(dict(links.values_list("industry_id").annotate(n=Count("article_id")).order_by()), Industry)
    elif name == "year":
        years: Counter = Counter()
        for date, count in queryset.exclude(date=None).values_list("date").annotate(n=Count("id")).order_by():
            years[date.year] += count
        rows = sorted(years.items(), reverse=True)
    elif name == "publication":
        rows = _named(dict(queryset.values_list("section__publication_id").annotate(n=Count("id")).order_by()),
                      Publication)
    else:
        rows = queryset.exclude(**{name: ""}).values_list(name).annotate(n=Count("id")).order_by("-n", name)
    return [(value, count) for value, count in list(rows)[:OPTION_LIMIT] if value not in (None, "")]


def _named(counts: dict[int, int], model) -> list[tuple[str, int]]:
    """(name, count) from counts by id, largest first: grouping by the id skips a join per article."""
    names = dict(model.objects.filter(pk__in=counts).values_list("pk", "name"))
    return sorted(((names[pk], count) for pk, count in counts.items() if names.get(pk)), key=lambda row: (-row[1], row[0]))


def listing_counts(data: Mapping[str, Any]) -> dict[str, list[tuple[Any, int]]]:
    """Each panel facet's values and article counts, every other filter of `data` applied; kept
    ARCHIVE_LISTING_COUNTS_SECONDS per set of filters, since six GROUP BYs over 100,000 articles
    take 100–200 ms where the page itself takes 25 (docs/performance.md)."""
    filters = {key: data.get(key) for key in FILTER_KEYS if data.get(key) not in (None, "")}
    chosen = hashlib.sha1(repr(sorted(filters.items())).encode()).hexdigest()
    key = f"{COUNTS_CACHE_PREFIX}{cache.get_or_set(GENERATION_KEY, 0)}:{chosen}"
    counts = cache.get(key)
    if counts is None:
        counts = {name: _counted(filters, name) for name in PANEL_FACETS}
        cache.set(key, counts, settings.ARCHIVE_LISTING_COUNTS_SECONDS)
    return counts


def _counted(filters: Mapping[str, Any], name: str) -> list[tuple[Any, int]]:
    others = _others(filters, name)
    return _grouped(listing.filter_articles(Article.objects.order_by(), others), name, filtered=bool(others))


@receiver(bulk_load_finished)
@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
@receiver(post_save, sender=ArticleIndustry)
@receiver(post_delete, sender=ArticleIndustry)
def forget_counts(sender, **kwargs) -> None:
    """An edit or a load in this process shows at once; other processes count again within
    ARCHIVE_LISTING_COUNTS_SECONDS."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or expired
        cache.set(GENERATION_KEY, 1, None)


def option_label(name: str, value: Any) -> str:
    if name == "kind":
        return str(Article.Kind(value).label) if value in Article.Kind.values else str(value)
    if name == "year":
        return gettext("%(year)s年") % {"year": value}
    return str(value)


def panel_facets(data: Mapping[str, Any], counts: Mapping[str, Iterable[tuple[Any, int]]],
                 chosen_total: int) -> list[dict[str, Any]]:
    """The panel's facets: options (label, count, the link that switches to it or removes it,
    whether chosen) for every value with articles. A chosen value missing from `counts` (past
    the option limit, or counted by an engine with every filter applied) is listed with
    `chosen_total`, the number of results shown."""
    facets = []
    for name, rows in counts.items():
        current = data.get(name)
        options, seen_chosen = [], False
        for value, count in rows:
            chosen = current not in (None, "") and str(current) == str(value)
            seen_chosen = seen_chosen or chosen
            if count > 0:
                options.append(_option(data, name, value, count, chosen))
        if current not in (None, "") and not seen_chosen:
            options.insert(0, _option(data, name, current, chosen_total, True))
        if options:
            facets.append({"name": name, "title": str(listing.FILTER_LABELS[name]), "options": options})
    return facets


def _option(data: Mapping[str, Any], name: str, value: Any, count: int, chosen: bool) -> dict[str, Any]:
    """One option's link: choosing it switches the facet (and drops the filters that depended on
    the old value: another year's month 10 is not this one's), choosing it again removes it."""
    dependents = {key: None for key in listing.DEPENDENT_FILTERS.get(name, ())}
    query = listing.query_with(data, **{name: None if chosen else value}, **dependents)
    return {"value": str(value), "label": option_label(name, value), "count": count, "query": query,
            "chosen": chosen}


def sort_links(data: Mapping[str, Any], choices: Iterable[tuple[str, Any]]) -> list[tuple[str, str, str, bool]]:
    """(value, label, link, current) per sort order; the first choice is the default (left out)."""
    choices = list(choices)
    default = choices[0][0]
    current = data.get("sort") or default
    return [(value, str(label), listing.query_with(data, sort=None if value == default else value), value == current)
            for value, label in choices]


def page_or_nearest(queryset: QuerySet[Any], number: int, per_page: int) -> tuple[Page, str]:
    """The requested page, or the last one (with a note saying so) when it is past the end."""
    paginator = Paginator(queryset, per_page, orphans=min(listing.PAGE_ORPHANS, max(per_page - 1, 0)))
    try:
        return paginator.page(number), ""
    except EmptyPage:
        return paginator.page(paginator.num_pages), page_past_end(number, paginator.num_pages)


def page_past_end(number: int, num_pages: int) -> str:
    return gettext("第 %(page)s 页不存在（共 %(pages)s 页），已显示最后一页。") % {"page": number, "pages": num_pages}


def page_navigation(data: Mapping[str, Any], number: int, num_pages: int) -> dict[str, Any]:
    """Numbered page links (first, last, the current page's neighbours; None marks an elided
    range), previous/next, and the current filters as hidden fields for the jump form."""
    shown = sorted({1, num_pages, *range(max(1, number - PAGE_NEIGHBOURS), min(num_pages, number + PAGE_NEIGHBOURS) + 1)})
    items: list[dict[str, Any] | None] = []
    for page in shown:
        if items and items[-1] is not None and page - items[-1]["number"] > 1:
            items.append(None)
        items.append({"number": page, "query": listing.query_with(data, page=page if page > 1 else None),
                      "current": page == number})
    return {
        "number": number,
        "num_pages": num_pages,
        "items": items,
        "previous": listing.query_with(data, page=number - 1 if number > 2 else None) if number > 1 else None,
        "next": listing.query_with(data, page=number + 1) if number < num_pages else None,
        "hidden": list(listing.query_params(data).items()),
    }


#: Filters typed into the panel's boxes (with the facet's values offered as they are typed).
TYPED_FILTERS = ("city", "district", "publication", "industry", "company", "person")
#: Filters the panel's form carries unchanged when they are set (chosen by links elsewhere).
CARRIED_FILTERS = ("year", "month", "day", "place", "collapse")


def panel_context(form: Any, data: Mapping[str, Any], facets: list[dict[str, Any]],
                  sorts: list[tuple[str, str, str, bool]]) -> dict[str, Any]:
    """Everything templates/_filter_panel.html shows besides the form's labels.

    A typed value the archive holds nothing for stays in its box, marked (the page says why)."""
    offered = {facet["name"]: [option["value"] for option in facet["options"]] for facet in facets}
    unknown = getattr(form, "unknown_values", {})
    fields = [
        {"name": name, "label": form.fields[name].label, "value": unknown.get(name, data.get(name) or ""),
         "unknown": name in unknown, "choices": offered.get(name, []), "max_length": form.fields[name].max_length}
        for name in TYPED_FILTERS
    ]
    hidden = [(name, listing.query_params(data)[name]) for name in CARRIED_FILTERS if data.get(name) not in (None, "")]
    return {"panel_facets": facets, "panel_text_fields": fields, "panel_hidden": hidden, "sorts": sorts,
            "kind_choices": Article.Kind.choices}
