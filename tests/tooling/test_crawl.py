"""A reader's crawl from / (manage.py crawl): every link leads to a page that answers 200,
no link leads to a listing or search page with nothing on it, and the entity index is reached."""
from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse

from search.tooling.crawl import CrawlReport, crawl_pages, same_site_path, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), verbosity=0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_crawl_of_the_seeds_finds_nothing_a_reader_would_trip_over(seeds, language):
    out = StringIO()
    call_command("crawl", "--pages", "250", "--language", language, stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert "250 pages fetched" in printed
    assert "entity index /entities/: reached" in printed
    assert "PROBLEM" not in printed


def test_the_crawl_reaches_listings_and_searches_and_reads_their_counts(seeds):
    report = crawl_pages(250)
    assert report.by_route["articles"] > 20
    assert report.by_route["entities"] > 0
    assert report.result_pages > 20
    assert report.problems == []


class PageServer:
    """Stands for the site: answers each path with the HTML given for it."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def get(self, path: str) -> HttpResponse:
        if path not in self.pages:
            return HttpResponse(status=404)
        return HttpResponse(self.pages[path], content_type="text/html; charset=utf-8")


@pytest.mark.parametrize(("html", "referrer", "problem"), [
    ('<section data-result-count="0"></section>', "/", "shows 0 results"),
    ('<section class="main-column"></section>', "/", "states no result count"),
])
def test_what_a_reader_trips_over_on_a_listing_is_reported(html, referrer, problem):
    report = CrawlReport()
    server = PageServer({"/articles/?city=x": html})
    list(visit(server, "/articles/?city=x", referrer, report, {"/articles/"}))
    assert report.problems == [("/articles/?city=x", problem, referrer)]


def test_a_listing_with_results_or_a_missing_page_reads_as_it_should():
    report = CrawlReport()
    server = PageServer({"/articles/?city=y": '<section data-result-count="3"><a href="/articles/1/">1</a></section>'})
    links = list(visit(server, "/articles/?city=y", "/", report, {"/articles/"}))
    assert links == ["/articles/1/"] and report.problems == []
    list(visit(server, "/gone/", "/articles/?city=y", report, {"/articles/"}))
    assert report.problems == [("/gone/", "answered 404", "/articles/?city=y")]
    assert report.by_status == {200: 1, 404: 1}


def test_a_broken_link_fails_the_command(seeds, monkeypatch):
    def broken_home(client, path, referrer, report, result_paths):
        report.pages += 1
        report.problems.append((path, "answered 404", referrer))
        return iter(())

    monkeypatch.setattr("search.tooling.crawl.visit", broken_home)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("crawl", "--pages", "5", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(("href", "expected"), [
    ("/articles/?city=%E6%97%A0%E9%94%A1#top", "/articles/?city=%E6%97%A0%E9%94%A1"),
    ("3/", "/articles/3/"),
    ("https://example.org/x", None),
    ("mailto:desk@example.org", None),
    ("/admin/archive/article/", None),
    ("/static/css/site.css", None),
])
def test_only_this_sites_reader_pages_are_followed(href, expected):
    assert same_site_path(href, "http://testserver/articles/") == expected


def test_bad_arguments_are_refused_with_a_sentence():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("crawl", "--pages", "0")
    with pytest.raises(CommandError, match="path on this site"):
        call_command("crawl", "--start", "http://elsewhere/")


def test_publications_without_articles_lead_to_no_empty_listing(seeds):
    """The outlet list names publications no page has come from yet: their rows and pages
    say so instead of linking an empty listing."""
    report = crawl_pages(300, start="/browse/publications/")
    assert report.by_route["browse"] > 50
    assert report.problems == []


def test_a_crawl_from_searches_follows_facets_pages_and_timeline_bars(seeds):
    starts = ["/search/?q=%E5%8D%8A%E5%AF%BC%E4%BD%93", "/search/?q=%E8%8A%AF%E7%89%87&collapse=0"]
    report = crawl_pages(200, start=starts)
    assert report.by_route["search"] > 20
    assert report.problems == []
