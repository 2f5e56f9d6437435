"""Public pages and the JSON API of the archive app."""
from django.urls import path

from archive import api, browse_pages, discovery, views
from archive.feeds import ListingFeed
from search import api as search_api
from search import views as search_views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", search_views.article_page, name="article"),
    path("articles/feed/", ListingFeed(), name="article_feed"),
    path("browse/places/", browse_pages.places, name="browse_places"),
    path("browse/dates/", browse_pages.dates, name="browse_dates"),
    path("browse/dates/<int:year>/", browse_pages.year, name="browse_year"),
    path("browse/dates/<int:year>/<int:month>/", browse_pages.month, name="browse_month"),
    path("browse/publications/", browse_pages.publications, name="browse_publications"),
    path("browse/publications/<int:pk>/", browse_pages.publication, name="browse_publication"),
    path("browse/publications/<int:pk>/<str:issue>/", browse_pages.issue, name="browse_issue"),
    path("browse/pages/<int:pk>/", browse_pages.page, name="browse_page"),
    path("opensearch.xml", discovery.opensearch, name="opensearch"),
    path("entities/", views.entity_index_page, name="entity_index"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("industries/<int:pk>/", views.industry_detail, name="industry"),
    path("api/articles/", search_api.article_list, name="api_article_list"),
    path("api/articles/<int:pk>/", api.article_detail, name="api_article"),
]
