"""Discovery: Atom feeds of listings and searches (parsed with feedparser), the
OpenSearch description linked from every page, and /sitemap.xml."""
from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from archive.discovery import ArticleSitemap
from archive.models import Article
from search.forms import SearchForm
from tests.factories import make_article, make_publication, make_section

pytestmark = pytest.mark.django_db

LISTING_FEED = reverse("archive:article_feed")
SEARCH_FEED = reverse("search:feed")
EVIL = "<script>alert(1)</script>"


def parse(client, url: str, params: dict | None = None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed, response


@pytest.fixture
def corpus() -> dict[str, Article]:
    changzhou = make_publication("常州日报", city="常州")
    wuxi = make_publication("无锡日报", city="无锡")
    cz = make_section(changzhou, issue_date=datetime.date(2024, 5, 10))
    wx = make_section(wuxi, issue_date=datetime.date(2024, 6, 20))
    return {
        "old": make_article(cz, headline="常州发展芯片产业", bylines=["朱梦琪", "王强"], district="武进区",
                            body="常州的芯片产业正在发展。\n第二段。"),
        "new": make_article(wx, headline="无锡物联网", body="无锡物联网产业。"),
    }


class TestListingFeed:
    def test_parses_cleanly_with_entries_newest_first(self, client, corpus):
        feed, _ = parse(client, LISTING_FEED)
        assert feed.feed.title == "江苏区域产业新闻档案 · 文章"
        assert feed.feed.link == "http://testserver/articles/"
        assert [entry.title for entry in feed.entries] == ["无锡物联网", "常州发展芯片产业"]
        old = feed.entries[1]
        assert old.link == f"http://testserver{corpus['old'].get_absolute_url()}"
        assert old.id == old.link
        assert old.author == "朱梦琪、王强"
        assert old.published == "2024-05-10T00:00:00+08:00"  # the article date, midnight in Shanghai
        assert old.updated
        assert "常州的芯片产业正在发展。" in old.summary
        assert {tag.term for tag in old.tags} == {"常州日报", "常州", "武进区"}

    def test_filters_apply(self, client, corpus):
        feed, _ = parse(client, LISTING_FEED, {"city": "常州"})
        assert [entry.title for entry in feed.entries] == ["常州发展芯片产业"]
        assert feed.feed.title.endswith("城市:常州")
        assert feed.feed.link == "http://testserver/articles/?city=%E5%B8%B8%E5%B7%9E"

    def test_invalid_parameters_are_400(self, client, corpus):
        response = client.get(LISTING_FEED, {"year": "abc"})
        assert response.status_code == 400
        assert "年份必须是整数" in response.content.decode()

    def test_script_parameter_converts_titles(self, client, corpus):
        feed, _ = parse(client, LISTING_FEED, {"script": "hant"})
        assert "常州發展芯片產業" in [entry.title for entry in feed.entries]
        assert Article.objects.get(pk=corpus["old"].pk).headline == "常州发展芯片产业"

    def test_untrusted_text_and_control_characters(self, client):
        make_article(headline=f"{EVIL}\x0b标题", body=f"{EVIL}\x0c正文", bylines=[EVIL])
        feed, response = parse(client, LISTING_FEED)
        raw = response.content.decode()
        assert "<script" not in raw
        entry = feed.entries[0]
        assert entry.title == f"{EVIL}标题"  # text, shown as text by readers
        assert "<script" not in entry.summary

    def test_listing_page_links_its_feed(self, client, corpus):
        html = client.get(reverse("archive:article_list"), {"city": "常州", "page": 1}).content.decode()
        assert ('<link rel="alternate" type="application/atom+xml" '
                'href="/articles/feed/?city=%E5%B8%B8%E5%B7%9E"') in html
        home = client.get(reverse("archive:home")).content.decode()
        assert '<link rel="alternate" type="application/atom+xml" href="/articles/feed/"' in home


class TestSearchFeed:
    def test_matches_the_search_newest_first(self, client, seeded):
        feed, response = parse(client, SEARCH_FEED, {"q": "半导体"})
        api = client.get(reverse("archive:api_article_list"), {"q": "半导体", "sort": "newest",
                                                               "page_size": 50}).json()
        assert [entry.link for entry in feed.entries] == [f"http://testserver{row['url']}" for row in api["results"]]
        assert feed.feed.title == "江苏区域产业新闻档案 · “半导体”"
        assert "&lt;mark&gt;半导体&lt;/mark&gt;" in response.content.decode()  # readers strip <mark>

    def test_filters_and_script(self, client, seeded):
        feed, _ = parse(client, SEARCH_FEED, {"q": "芯片", "city": "无锡"})
        assert all("无锡" in [tag.term for tag in entry.tags] for entry in feed.entries)
        feed, _ = parse(client, SEARCH_FEED, {"q": "芯片产业", "script": "hans"})
        assert "区领导调研芯片产业相关企业" in [entry.title for entry in feed.entries]

    def test_without_query_it_is_the_listing(self, client, seeded):
        feed, _ = parse(client, SEARCH_FEED)
        assert len(feed.entries) == Article.objects.count()

    def test_search_page_links_its_feed(self, client, seeded):
        html = client.get(reverse("search:search"), {"q": "芯片", "city": "常州"}).content.decode()
        assert ('<link rel="alternate" type="application/atom+xml" '
                'href="/search/feed/?city=%E5%B8%B8%E5%B7%9E&amp;q=%E8%8A%AF%E7%89%87"') in html

    def test_invalid_query_is_400(self, client, seeded):
        assert client.get(SEARCH_FEED, {"q": "芯" * 600}).status_code == 400


class TestFeedInABrowser:
    """A browser asks for HTML: it gets the same document as plain XML (Chromium shows Atom as raw
    text) with a stylesheet line that turns it into a readable page (tests/test_browser.py opens it)."""

    BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    @pytest.mark.parametrize("url", [LISTING_FEED, SEARCH_FEED])
    def test_every_feed_names_its_stylesheet_before_the_root(self, client, corpus, url):
        feed, response = parse(client, url)
        text = response.content.decode()
        head = '<?xml-stylesheet href="/static/feeds/atom.xsl" media="screen" type="text/xsl"?>'
        assert text.index(head) < text.index("<feed ")
        assert "Accept" in response["Vary"].split(", ")
        assert feed.entries  # feed readers still read it

    def test_a_browser_gets_plain_xml(self, client, corpus):
        response = client.get(LISTING_FEED, headers={"Accept": self.BROWSER_ACCEPT})
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert not feedparser.parse(response.content).bozo
        reader = client.get(LISTING_FEED, headers={"Accept": "application/atom+xml, text/html;q=0.5"})
        assert reader["Content-Type"] == "application/atom+xml; charset=utf-8"

    def test_the_stylesheet_is_xslt_reading_atom(self):
        path = finders.find("feeds/atom.xsl")
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
        assert root.find("{http://www.w3.org/1999/XSL/Transform}template").get("match") == "/atom:feed"


class TestOpenSearch:
    def test_description(self, client):
        response = client.get(reverse("archive:opensearch"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
        root = ET.fromstring(response.content)
        ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
        assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
        assert len(root.find("os:ShortName", ns).text) <= 16
        templates = {url.get("type"): url.get("template") for url in root.findall("os:Url", ns)}
        assert templates["text/html"] == "http://testserver/search/?q={searchTerms}"
        assert templates["application/atom+xml"] == "http://testserver/search/feed/?q={searchTerms}"

    def test_linked_from_every_page(self, client, seeded):
        article = Article.objects.first()
        link = ('<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"')
        urls = ["/", "/articles/", article.get_absolute_url(), "/search/?q=芯片", "/browse/places/",
                "/browse/dates/", "/browse/dates/2024/", "/browse/publications/", "/no-such-page/",
                "/articles/?year=x"]
        for url in urls:
            assert link in client.get(url).content.decode(), url


CONTROLS = ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff"]
TEXT_PARAMETERS = [name for name, field in SearchForm.base_fields.items() if type(field).__name__ == "PlainTextField"]


def test_control_characters_in_any_text_parameter_never_reach_a_feed(client, corpus):
    """Control characters are forbidden in XML 1.0: they are read as spaces, in every feed and title."""
    assert {"q", "city", "publication", "company"} <= set(TEXT_PARAMETERS)
    for name in TEXT_PARAMETERS:
        for control in CONTROLS:
            for url in (SEARCH_FEED, LISTING_FEED):
                feed, response = parse(client, url, {name: f"常州{control}芯片"})
                assert control not in response.content.decode(), (name, repr(control), url)
    feed, _ = parse(client, SEARCH_FEED, {"q": "\x1b芯片"})
    assert feed.feed.title == "江苏区域产业新闻档案 · “芯片”"
    feed, _ = parse(client, LISTING_FEED, {"city": "常州\x1b"})
    assert feed.feed.title == "江苏区域产业新闻档案 · 文章 · 城市:常州" and len(feed.entries) == 1
    page = client.get(reverse("archive:article_list"), {"city": "常\x1b州"}).content.decode()
    # a separator, like a space; a typed filter value is read without its spaces (常 州 is 常州)
    assert "\x1b" not in page.split("</title>")[0] and "城市:常州" in page


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_index(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [item.find("sm:loc", SITEMAP_NS).text for item in root.findall("sm:sitemap", SITEMAP_NS)]


def sitemap_locations(client, url: str) -> set[str]:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    return {item.find("sm:loc", SITEMAP_NS).text for item in root.findall("sm:url", SITEMAP_NS)}


def test_sitemap_index_lists_the_sitemaps_of_pages_and_articles(client, corpus):
    sitemaps = sitemap_index(client)
    assert "http://testserver/sitemap-articles.xml" in sitemaps and "http://testserver/sitemap-pages.xml" in sitemaps
    locations = set().union(*(sitemap_locations(client, url) for url in sitemaps))
    assert "http://testserver/" in locations
    assert "http://testserver/browse/dates/2024/" in locations
    for article in corpus.values():
        assert f"http://testserver{article.get_absolute_url()}" in locations
    articles = ET.fromstring(client.get("/sitemap-articles.xml").content)
    assert all(url.find("sm:lastmod", SITEMAP_NS) is not None for url in articles.findall("sm:url", SITEMAP_NS))


def test_article_sitemaps_are_paginated_and_cached(client, corpus, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    sitemaps = sitemap_index(client)
    pages = [url for url in sitemaps if "sitemap-articles.xml" in url]
    assert len(corpus) == 2
    assert pages == ["http://testserver/sitemap-articles.xml", "http://testserver/sitemap-articles.xml?p=2"]
    first, second = (sitemap_locations(client, url) for url in pages)
    assert len(first) == len(second) == 1
    assert first | second == {f"http://testserver{article.get_absolute_url()}" for article in corpus.values()}
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404

    # Served from the cache until it expires: a new article shows up in neither the index nor a page.
    make_article(next(iter(corpus.values())).section, headline="缓存之后的新文章")
    assert sitemap_index(client) == sitemaps
    assert sitemap_locations(client, pages[1]) == second
