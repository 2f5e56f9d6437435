"""Atom feeds of any listing (/articles/feed/?city=…) and any search
(/search/feed/?q=…), newest first, with the same parameters as the pages.

Feed instances are shared between requests, so nothing request-specific is
kept on `self`: `get_object` returns a `FeedQuery` and the entries are
prepared in `items` (text converted to the requested 简/繁 script, summaries
HTML-escaped, control characters that XML 1.0 forbids dropped).

Each feed names an XSLT stylesheet (static/feeds/atom.xsl) in an `<?xml-stylesheet?>` line, so
a browser opening it shows a readable page; feed readers ignore the line.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from archive import listing, script_switch
from archive.forms import ArticleFilterForm
from archive.models import Article
from archive.text.controls import without_controls

FEED_ITEMS = 50
SUMMARY_CHARS = 300


def clean(text: str) -> str:
    """Text an Atom feed can hold (the forms already turned a query's control characters into spaces)."""
    return without_controls(text or "")


@dataclass
class FeedQuery:
    request: HttpRequest
    data: dict[str, Any]
    script: str


@dataclass
class Entry:
    article: Article
    title: str
    summary: str  # HTML, escaped
    link: str


def _aware(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _summary(article: Article, script: str) -> str:
    text = " ".join(article.paragraphs)
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS] + "…"
    return escape(clean(script_switch.convert(text, script)))


def filter_title(data: dict[str, Any]) -> str:
    return " · ".join(f"{chip.label}:{chip.value}" for chip in listing.active_filters(data))


def feed_content_type(request: HttpRequest) -> str:
    """Atom's own type for feed readers; plain XML for a browser opening the feed (it asks for
    HTML, not Atom), because Chromium shows an Atom document as raw text without applying its
    stylesheet. The document is the same either way."""
    accept = request.headers.get("Accept", "")
    if "text/html" in accept and "atom" not in accept:
        return "application/xml; charset=utf-8"
    return "application/atom+xml; charset=utf-8"


def bad_request(form) -> HttpResponse:
    lines = [f"{label}:{message}" if label else message for label, message in form.error_list()]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


class StyledAtom1Feed(Atom1Feed):
    """Atom with the feed's `stylesheets` written as `<?xml-stylesheet?>` lines before the root
    element (Django 5.2 writes them for RSS only)."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class ArticleFeed(Feed):
    """Shared behaviour: validation, entries, dates and authors."""

    feed_type = StyledAtom1Feed
    form_class: type = ArticleFilterForm
    language = "zh"

    def __call__(self, request, *args, **kwargs):
        form = self.form_class(request.GET)
        if not form.is_valid():
            return bad_request(form)
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = feed_content_type(request)
        patch_vary_headers(response, ["Accept"])
        return response

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedQuery:
        form = self.form_class(request.GET)
        form.is_valid()
        return FeedQuery(request, form.cleaned_data, getattr(request, "display_script", script_switch.ORIGINAL))

    def entries(self, obj: FeedQuery, articles) -> list[Entry]:
        return [
            Entry(
                article,
                clean(script_switch.convert(article.full_title, obj.script)),
                _summary(article, obj.script),
                obj.request.build_absolute_uri(article.get_absolute_url()),
            )
            for article in articles
        ]

    def stylesheets(self, obj: FeedQuery) -> list[Stylesheet]:
        return [Stylesheet(static("feeds/atom.xsl"), mimetype="text/xsl")]

    def subtitle(self, obj: FeedQuery) -> str:
        return _("江苏区域产业新闻档案：各地报刊与网站的产业新闻，最新在前。")

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.summary

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry) -> datetime.datetime | None:
        return _aware(item.article.date)

    def item_updateddate(self, item: Entry) -> datetime.datetime:
        return item.article.updated_at

    def item_author_name(self, item: Entry) -> str | None:
        names = item.article.bylines if isinstance(item.article.bylines, list) else []
        return clean("、".join(str(name) for name in names)) or None

    def item_categories(self, item: Entry) -> list[str]:
        article = item.article
        return [clean(value) for value in (article.section.publication.name, article.city, article.district) if value]


class ListingFeed(ArticleFeed):
    def title(self, obj: FeedQuery) -> str:
        parts = [_("江苏区域产业新闻档案"), _("文章")]
        if filters := filter_title(obj.data):
            parts.append(filters)
        return clean(" · ".join(parts))

    def link(self, obj: FeedQuery) -> str:
        query = listing.query_with(obj.data)
        return reverse("archive:article_list") + (f"?{query}" if query else "")

    def feed_url(self, obj: FeedQuery) -> str:
        return obj.request.get_full_path()

    def items(self, obj: FeedQuery) -> list[Entry]:
        queryset = listing.filter_articles(Article.objects.for_listing().newest_first(), obj.data)
        return self.entries(obj, queryset[:FEED_ITEMS])
