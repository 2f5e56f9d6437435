"""The filter panel the listing (/articles/) and the search page (/search/) share: options
with live counts that never lead to an empty page, forgiving typed values, a date range and
sort on both, numbered pages with a jump, and links that carry only non-empty fields."""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from archive.filter_panel import page_navigation
from archive.filter_values import match_name, name_key
from archive.forms import ArticleFilterForm
from archive.models import Article

pytestmark = pytest.mark.django_db

LISTING = reverse("archive:article_list")
SEARCH = reverse("search:search")


def shown_total(response) -> int:
    """Articles the page shows: the listing's count, the search's matching articles."""
    if "page_obj" in response.context:
        return response.context["page_obj"].paginator.count
    results = response.context["results"]
    return results.articles if results else 0


def panel_links(response) -> list[tuple[str, int, bool]]:
    """(query, advertised count, chosen) of every option in the panel."""
    return [(option["query"], option["count"], option["chosen"])
            for facet in response.context["panel_facets"] for option in facet["options"]]


def crawl(client, path: str, starts: list[str], limit: int = 120) -> int:
    """Follow every panel option and chip from `starts`, breadth first; each page reached must
    show articles, and exactly as many as the option said. Returns how many pages were checked."""
    queue = deque((start, None) for start in starts)
    seen: set[str] = set()
    while queue and len(seen) < limit:
        query, advertised = queue.popleft()
        if query in seen:
            continue
        seen.add(query)
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, query
        total = shown_total(response)
        assert total > 0, f"{path}?{query} shows no articles"
        if advertised is not None:
            assert total == advertised, f"{path}?{query}: {total} shown, {advertised} offered"
        for option_query, count, chosen in panel_links(response):
            assert count > 0, option_query
            queue.append((option_query, None if chosen else count))
        for chip in response.context["chips"]:
            queue.append((chip.remove_query, None))
    return len(seen)


def test_listing_options_show_counts_and_never_lead_to_zero(client, seeded):
    html = client.get(LISTING).content.decode()
    assert re.search(r'>(?:<span lang="zh-Hans">)?无锡(?:</span>)?</a> <span class="count">3 篇文章</span>', html)
    assert re.search(r'>(?:<span lang="zh-Hans">)?武进区(?:</span>)?</a> <span class="count">15 篇文章</span>', html)
    starts = ["year=2024&month=10", "year=2024&month=10&day=30",  # another year's month 10 is not offered
              "", "city=%E6%97%A0%E9%94%A1", "district=%E6%AD%A6%E8%BF%9B%E5%8C%BA&kind=text", "year=2024&sort=oldest",
              "industry=%E5%8D%8A%E5%AF%BC%E4%BD%93%2F%E9%9B%86%E6%88%90%E7%94%B5%E8%B7%AF"]
    assert crawl(client, LISTING, starts) > 30


def test_on_wuxi_the_sidebar_offers_only_what_wuxi_has(client, seeded):
    response = client.get(LISTING, {"city": "无锡"})
    facets = {facet["name"]: facet["options"] for facet in response.context["panel_facets"]}
    assert [option["label"] for option in facets["publication"]] == ["江南晚报"]  # not 武进新闻
    chosen = [option for option in facets["city"] if option["chosen"]]
    assert chosen[0]["label"] == "无锡" and chosen[0]["query"] == ""  # removable
    assert {option["label"] for option in facets["city"]} == {"无锡", "常州"}  # switching keeps other filters


def test_search_options_come_from_the_engine_and_never_lead_to_zero(client, seeded):
    response = client.get(SEARCH, {"q": "半导体"})
    assert {facet["name"] for facet in response.context["panel_facets"]} >= {"city", "publication", "year"}
    assert "篇文章</span>" in response.content.decode()
    starts = ["q=%E5%8D%8A%E5%AF%BC%E4%BD%93&collapse=0&year=2024&month=10",  # another year's month 10 is not offered
              "q=%E5%8D%8A%E5%AF%BC%E4%BD%93&year=2024&month=10&day=30",
              "q=%E5%8D%8A%E5%AF%BC%E4%BD%93", "q=%E4%BA%A7%E4%B8%9A&city=%E5%B8%B8%E5%B7%9E"]
    assert crawl(client, SEARCH, starts, limit=80) > 10


def test_a_chosen_search_filter_offers_its_alternatives(client, seeded):
    response = client.get(SEARCH, {"q": "半导体", "city": "无锡"})
    cities = next(facet["options"] for facet in response.context["panel_facets"] if facet["name"] == "city")
    assert {option["label"]: option["chosen"] for option in cities} == {"无锡": True, "常州": False}


@pytest.mark.parametrize("typed", ["无锡", "无锡市", "無錫", "無錫市", " 无锡 "])
def test_typed_cities_are_forgiven(client, seeded, typed):
    response = client.get(LISTING, {"city": typed})
    assert shown_total(response) == 3 and response.context["data"]["city"] == "无锡"
    assert [chip.value for chip in response.context["chips"]] == ["无锡"]


@pytest.mark.parametrize(("name", "typed", "stored"), [
    ("district", "武进", "武进区"),
    ("district", "武進區", "武进区"),
    ("company", "中国电科", "中国电子科技集团有限公司"),  # an alias
    ("company", "中國電科", "中国电子科技集团有限公司"),  # an alias in the other script
    ("publication", "江南晚報", "江南晚报"),
])
def test_typed_values_are_read_as_the_archive_stores_them(client, seeded, name, typed, stored):
    for url in (LISTING, SEARCH):
        response = client.get(url, {name: typed, "q": "产业"} if url == SEARCH else {name: typed})
        assert response.status_code == 200 and response.context["data"][name] == stored, url
        assert not response.context["unknown_values"]
    assert shown_total(client.get(LISTING, {name: typed})) > 0


def test_names_are_matched_by_their_folded_core():
    assert name_key("無錫市") == name_key("无锡") == "无锡"
    assert name_key("沛县") == "沛县"  # one character would be left
    assert match_name("常州高新区", ["新北区"], {"常州高新区": "新北区"}) == "新北区"
    assert match_name("火星", ["无锡", "常州"]) is None


def test_an_unknown_value_is_said_and_the_rest_of_the_query_kept(client, seeded):
    kept = shown_total(client.get(LISTING, {"kind": "text"}))
    response = client.get(LISTING, {"city": "火星", "kind": "text"})
    html = response.content.decode()
    assert response.status_code == 200 and "城市“火星”在档案中没有文章，已忽略此条件。" in html
    assert shown_total(response) == kept > 0
    assert 'value="火星"' in html  # the typed value stays in its box
    assert not [link for link in re.findall(r'href="\?([^"]*)"', html) if "%E7%81%AB" in link]  # no link carries it
    search = client.get(SEARCH, {"q": "半导体", "company": "不存在的公司"})
    assert "企业“不存在的公司”在档案中没有文章" in search.content.decode() and shown_total(search) > 0


def dates_of(response) -> list:
    if "page_obj" in response.context:
        return [article.date for article in response.context["page_obj"].object_list]
    return [hit.article.date for hit in response.context["results"].hits]


@pytest.mark.parametrize(("url", "query"), [(LISTING, {}), (SEARCH, {"q": "产业"})])
def test_date_range_and_sort_on_both_pages(client, seeded, url, query):
    html = client.get(url, query).content.decode()
    assert 'name="date_from"' in html and 'name="date_to"' in html and 'name="sort"' in html
    ranged = client.get(url, {**query, "date_from": "2024-10-01", "date_to": "2024-10-31", "collapse": "0"})
    dates = dates_of(ranged)
    assert dates and all(str(day).startswith("2024-10") for day in dates)
    oldest = dates_of(client.get(url, {**query, "sort": "oldest", "collapse": "0"}))
    newest = dates_of(client.get(url, {**query, "sort": "newest", "collapse": "0"}))
    assert oldest == sorted(oldest) and newest == sorted(newest, reverse=True) and oldest[0] < newest[0]


def test_numbered_pages_and_jump(client, seeded, settings):
    settings.ARCHIVE_PAGE_SIZE = 2
    response = client.get(LISTING, {"page": 5, "sort": "oldest"})
    pager = response.context["pager"]
    assert [item and item["number"] for item in pager["items"]] == [1, None, 3, 4, 5, 6, 7, None, 9]
    html = response.content.decode()
    assert "第 5 / 9 页" in html and 'aria-current="page">5<' in html
    assert 'href="?sort=oldest&amp;page=9"' in html and 'href="?sort=oldest"' in html  # last; first has no page
    jump = html.split('class="page-jump"')[1].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="oldest">' in jump and 'name="page"' in jump
    for bad, shown, note in [("99", 9, "第 99 页不存在（共 9 页），已显示最后一页。"), ("abc", 1, "已显示第 1 页"),
                             ("-3", 1, "已显示第 1 页"), ("0", 1, "已显示第 1 页")]:
        answer = client.get(LISTING, {"page": bad})
        assert answer.status_code == 200 and answer.context["page_obj"].number == shown
        assert note in answer.content.decode()
    search = client.get(SEARCH, {"q": "产业", "page": 99})
    results = search.context["results"]
    assert search.status_code == 200 and results.page == results.num_pages > 1
    assert "已显示最后一页" in search.content.decode()
    assert f"第 {results.page} / {results.num_pages} 页" in search.content.decode()


def test_page_navigation_elides_long_ranges():
    assert [item and item["number"] for item in page_navigation({}, 1, 31)["items"]] == [1, 2, 3, None, 31]
    assert [item and item["number"] for item in page_navigation({}, 3, 31)["items"]] == [1, 2, 3, 4, 5, None, 31]
    nav = page_navigation({"city": "无锡"}, 2, 3)
    assert nav["previous"] == "city=%E6%97%A0%E9%94%A1" and nav["next"] == "city=%E6%97%A0%E9%94%A1&page=3"


@pytest.mark.parametrize(("url", "query"), [
    (LISTING, {"city": "无锡", "district": "", "publication": "", "date_from": "", "kind": "", "page": ""}),
    (SEARCH, {"q": "半导体", "city": "", "date_to": "", "sort": "", "industry": ""}),
])
def test_generated_links_carry_only_non_empty_fields(client, seeded, url, query):
    html = client.get(url, query).content.decode()
    queries = re.findall(r'href="\?([^"]*)"', html)
    assert len(queries) > 5
    for link in queries:
        for name, value in parse_qsl(link.replace("&amp;", "&"), keep_blank_values=True):
            assert value, (name, link)
    for form in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html):
        assert form[1], form
    assert all(not urlsplit(link).query.endswith("=") for link in queries)


def test_listing_queries_are_bounded(client, seeded, django_assert_max_num_queries):
    """One GROUP BY per facet (publications' and industries' names read after their ids), the
    count and the page; at most two lookups per typed value."""
    with django_assert_max_num_queries(10):
        client.get(LISTING, {"kind": "text", "year": 2024, "sort": "oldest"})
    with django_assert_max_num_queries(10 + 2 * 3):
        client.get(LISTING, {"city": "無錫市", "company": "中国电科", "district": "武进"})


def test_listing_counts_are_kept_and_an_edit_drops_them(client, seeded, settings, django_assert_max_num_queries):
    settings.ARCHIVE_LISTING_COUNTS_SECONDS = 300
    client.get(LISTING, {"city": "无锡"})
    with django_assert_max_num_queries(3):  # the page's own queries only
        client.get(LISTING, {"city": "无锡", "page": 1})
    article = Article.objects.filter(city="无锡").first()
    article.city = "常州"
    article.save()  # an editor's change in this process
    response = client.get(LISTING, {"city": "常州"})
    cities = {option["label"]: option["count"] for facet in response.context["panel_facets"]
              if facet["name"] == "city" for option in facet["options"]}
    assert cities["无锡"] == 2


def test_the_panel_boxes_take_no_more_than_the_form_accepts(client, seeded):
    """A box that let the reader type past the field's limit led to a 400 page."""
    html = client.get(LISTING).content.decode()
    limits = dict(re.findall(r'name="(\w+)" value="[^"]*" maxlength="(\d+)"', html))
    form = ArticleFilterForm()
    assert limits and all(int(limit) == form.fields[name].max_length for name, limit in limits.items())
