"""The 简/繁 switch: display conversion on every page, remembered in a cookie,
honoured by search results, never changing what is stored."""
from __future__ import annotations

import pytest
from django.urls import reverse

from archive import script_switch
from archive.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SIMPLIFIED = "常州发展芯片产业"
TRADITIONAL = "常州發展芯片產業"


class TestConversion:
    def test_convert(self):
        assert script_switch.convert(SIMPLIFIED, "hant") == TRADITIONAL
        assert script_switch.convert(TRADITIONAL, "hans") == SIMPLIFIED
        assert script_switch.convert(TRADITIONAL, "") == TRADITIONAL
        assert script_switch.convert("", "hant") == ""
        assert script_switch.convert("<b>&amp;</b> 1+1", "hant") == "<b>&amp;</b> 1+1"

    @pytest.mark.parametrize(("value", "expected"), [
        ("hans", "hans"), ("HANT", "hant"), (" hant ", "hant"), ("orig", ""), ("zh", None), ("", None), (None, None),
    ])
    def test_parse(self, value, expected):
        assert script_switch.parse(value) == expected

    def test_chosen_prefers_query_then_cookie(self):
        assert script_switch.chosen({"script": "hans"}, {script_switch.COOKIE: "hant"}) == "hans"
        assert script_switch.chosen({}, {script_switch.COOKIE: "hant"}) == "hant"
        assert script_switch.chosen({"script": "bogus"}, {script_switch.COOKIE: "hant"}) == "hant"
        assert script_switch.chosen({}, {script_switch.COOKIE: "bogus"}) == ""
        assert script_switch.chosen({"script": "orig"}, {script_switch.COOKIE: "hant"}) == ""


@pytest.fixture
def article() -> Article:
    section = make_section(raw_text=f"## {SIMPLIFIED}\n\n发展的正文。\n")
    return make_article(section, headline=SIMPLIFIED, kicker="聚力发展", body="发展的正文。", bylines=["张发"])


def test_article_page_converts_and_cookie_remembers(client, article):
    url = article.get_absolute_url()
    response = client.get(url, {"script": "hant"})
    html = response.content.decode()
    assert f'<h1 lang="zh-Hant">{TRADITIONAL}</h1>' in html and '<p lang="zh-Hant">發展的正文。</p>' in html and "聚力發展" in html
    assert "張發" in html
    assert response.cookies[script_switch.COOKIE].value == "hant"
    assert "Cookie" in response["Vary"]
    # The raw source is shown verbatim.
    assert f"## <mark id=\"source-mark\">{SIMPLIFIED}" in html or f"<mark id=\"source-mark\">## {SIMPLIFIED}" in html
    # The next request without ?script= follows the cookie.
    html = client.get(url).content.decode()
    assert f'<h1 lang="zh-Hant">{TRADITIONAL}</h1>' in html
    # ?script=orig forgets the choice.
    response = client.get(url, {"script": "orig"})
    assert f'<h1 lang="zh-Hans">{SIMPLIFIED}</h1>' in response.content.decode()
    assert response.cookies[script_switch.COOKIE].value == ""
    # Nothing stored changed.
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.body, stored.kicker) == (SIMPLIFIED, "发展的正文。", "聚力发展")


def test_switch_is_on_every_page_and_keeps_the_query(client, article):
    for url in ("/", "/articles/?city=%E5%B8%B8%E5%B7%9E", article.get_absolute_url(), "/browse/dates/",
                "/search/?q=%E8%8A%AF%E7%89%87"):
        response = client.get(url)
        html = response.content.decode()
        links = {link.code: link for link in response.context["script_links"]}
        assert set(links) == {"", "hans", "hant"}
        assert links[""].active
        assert 'class="script-switch"' in html and "script=hant" in html
    links = {link.code: link.url for link in client.get("/articles/?city=常州&page=1").context["script_links"]}
    assert links["hant"] == "/articles/?city=%E5%B8%B8%E5%B7%9E&page=1&script=hant"


def test_listing_and_home_convert_headlines(client, article):
    for url in ("/", "/articles/", f"/browse/pages/{article.section.pk}/"):
        html = client.get(url, {"script": "hant"}).content.decode()
        assert TRADITIONAL in html, url
        assert SIMPLIFIED not in html.split("<pre")[0], url


def test_search_results_are_converted_then_highlighted(client, seeded):
    page = reverse("search:search")
    html = client.get(page, {"q": "芯片产业", "script": "hans"}).content.decode()
    assert "区领导调研<mark>芯片产业</mark>相关企业" in html
    assert "區領導調研" not in html
    html = client.get(page, {"q": "半导体", "script": "hant"}).content.decode()
    assert "盛蕾走訪調研我區化合物<mark>半導體</mark>產業重點企業" in html
    # The original script, as before, when no choice is made (a fresh client has no cookie).
    client.cookies.clear()
    html = client.get(page, {"q": "芯片产业"}).content.decode()
    assert "區領導調研<mark>芯片產業</mark>相關企業" in html


def test_search_escaping_survives_conversion(client, seeded):
    from search.indexing.outbox import write_articles

    evil = make_article(headline="<script>alert('芯片发展')</script>", body="<img src=x>芯片发展")
    write_articles([evil.pk])
    html = client.get(reverse("search:search"), {"q": "芯片", "script": "hant"}).content.decode()
    assert "<script>alert" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>芯片</mark>發展&#x27;)&lt;/script&gt;" in html


def test_results_page_query_count_with_conversion(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("search:search"), {"q": "的", "script": "hant"}).status_code == 200
