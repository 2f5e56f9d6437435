"""How browsers and crawlers find the archive: the OpenSearch description
(so the address bar can search it) and /sitemap.xml, an index of sitemaps (pages,
publications, years, and the articles in pages of ARTICLES_PER_SITEMAP), each cached
for ARCHIVE_SITEMAP_CACHE_SECONDS (archive/urls.py)."""
from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from archive import browse_counts
from archive.models import Article, Publication

OPENSEARCH_TYPE = "application/opensearchdescription+xml"
# One sitemap of the articles lists this many (the protocol allows 50,000; a smaller page is
# made quickly on a cache miss); /sitemap.xml lists every page.
ARTICLES_PER_SITEMAP = 5000


@require_safe
@cache_control(max_age=86400, public=True)
def opensearch(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    context = {
        "search_url": base + reverse("search:search"),
        "feed_url": base + reverse("search:feed"),
        "home_url": base + reverse("archive:home"),
        "self_url": request.build_absolute_uri(),
        "icon_url": base + static("img/icon.svg"),
    }
    return render(request, "opensearch.xml", context, content_type=f"{OPENSEARCH_TYPE}; charset=utf-8")


class PageSitemap(Sitemap):
    """The fixed pages: home, the listing and the ways to browse."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["archive:home", "archive:article_list", "archive:browse_places", "archive:browse_dates",
                "archive:browse_publications"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        return Article.objects.order_by("pk").only("pk", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at

    def get_latest_lastmod(self):
        """For the index, from the database (Django's default reads every article)."""
        return Article.objects.aggregate(latest=Max("updated_at"))["latest"]


class PublicationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Publication.objects.order_by("pk")

    def location(self, publication: Publication) -> str:
        return reverse("archive:browse_publication", args=[publication.pk])


class YearSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> list[int]:
        return [row.year for row in browse_counts.year_counts()]

    def location(self, year: int) -> str:
        return reverse("archive:browse_year", args=[year])


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "publications": PublicationSitemap,
    "years": YearSitemap,
}


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: the site's icon (a temporary
    redirect, as the icon's collected name changes with each release)."""
    return redirect(static("img/icon.svg"))
