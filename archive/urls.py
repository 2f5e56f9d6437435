"""Root URL configuration."""
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page

from archive.discovery import SITEMAPS, favicon

cached = cache_page(settings.ARCHIVE_SITEMAP_CACHE_SECONDS)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", cached(sitemap_views.index), {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", cached(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("favicon.ico", favicon),
    path("", include("search.urls")),
    path("", include("archive.site_urls")),
]
