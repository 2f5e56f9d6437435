from django.urls import path

from search import compare_views, views
from search.feeds import SearchFeed

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed/", SearchFeed(), name="feed"),
    path("compare/", compare_views.compare_page, name="compare"),
    path("compare/csv/", compare_views.compare_csv, name="compare_csv"),
]
