from django.urls import path

from search.feeds import SearchFeed
from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed/", SearchFeed(), name="feed"),
]
