"""The search's Atom feed: a saved search, its newest matches (or the chosen `sort`)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from archive import listing
from archive.feeds import FEED_ITEMS, ArticleFeed, Entry, FeedQuery, clean, filter_title
from archive.models import Article
from search import unsupported
from search.forms import SearchForm
from search.service import highlight
from search.service.results import search_articles


class SearchFeed(ArticleFeed):
    """A saved search: its newest matches (or the chosen `sort`)."""

    form_class = SearchForm

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Exception as exc:
            error = unsupported.engine_error(exc)
            if error is None:
                raise
            return unsupported.text_answer(error, request)

    def title(self, obj: FeedQuery) -> str:
        parts = [_("江苏区域产业新闻档案"), f"“{obj.data['q']}”" if obj.data.get("q") else _("搜索")]
        if filters := filter_title(obj.data):
            parts.append(filters)
        return clean(" · ".join(parts))

    def link(self, obj: FeedQuery) -> str:
        query = listing.query_with(obj.data)
        return reverse("search:search") + (f"?{query}" if query else "")

    def feed_url(self, obj: FeedQuery) -> str:
        return obj.request.get_full_path()

    def items(self, obj: FeedQuery) -> list[Entry]:
        data = listing.with_day_range(obj.data)
        if not data.get("q"):
            queryset = listing.filter_articles(Article.objects.for_listing().newest_first(), obj.data)
            return self.entries(obj, queryset[:FEED_ITEMS])
        data["sort"] = data.get("sort") or "newest"
        data["page"] = 1
        results = search_articles(data, per_page=FEED_ITEMS)
        hits = highlight.converted_hits(results.hits, results.highlight_words, obj.script)
        entries = self.entries(obj, [hit.article for hit in hits])
        for entry, hit in zip(entries, hits, strict=False):
            entry.summary = clean(str(hit.snippet_html))
        return entries

