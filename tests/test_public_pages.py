"""The public HTML pages: home, the filterable listing and the article page."""
from __future__ import annotations

import datetime

import pytest
from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import example, given
from hypothesis import strategies as st

from archive.forms import ArticleFilterForm
from archive.listing import active_filters, filter_articles, paginate, query_params, query_with
from archive.models import Article, DatePrecision
from tests.factories import make_article, make_publication, make_section

pytestmark = pytest.mark.django_db

LIST_URL = reverse("archive:article_list")


def headlines(response) -> set[str]:
    return {article.headline for article in response.context["page_obj"].object_list}


@pytest.fixture
def corpus() -> dict[str, Article]:
    """Four articles that differ in exactly one attribute each from their neighbours."""
    changzhou = make_publication("常州日报", city="常州")
    wuxi = make_publication("无锡日报", city="无锡")
    cz_may = make_section(changzhou, issue_date=datetime.date(2024, 5, 10))
    cz_march = make_section(changzhou, issue_date=datetime.date(2023, 3, 2))
    wx_june = make_section(wuxi, issue_date=datetime.date(2024, 6, 20))
    return {
        "chip": make_article(cz_may, headline="芯片产业大会", district="武进区"),
        "photo": make_article(cz_may, headline="图片新闻", kind=Article.Kind.PHOTO, district="新北区"),
        "old": make_article(cz_march, headline="去年三月的文章", district="武进区"),
        "wuxi": make_article(wx_june, headline="无锡物联网", district="滨湖区"),
    }


class TestHome:
    def test_shows_latest_counts_and_search_box(self, client, corpus):
        response = client.get(reverse("archive:home"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'action="/search/"' in html and 'name="q"' in html
        assert [a.headline for a in response.context["latest"]][0] == "无锡物联网"
        assert {(row.name, row.count) for row in response.context["city_counts"]} == {("常州", 3), ("无锡", 1)}
        assert {(row.name, row.count) for row in response.context["publication_counts"]} == {
            ("常州日报", 3),
            ("无锡日报", 1),
        }
        assert "city=%E5%B8%B8%E5%B7%9E" in html  # link to the 常州 listing

    def test_latest_is_limited_to_ten(self, client):
        section = make_section()
        for _ in range(12):
            make_article(section)
        response = client.get(reverse("archive:home"))
        assert len(response.context["latest"]) == 10

    def test_empty_archive(self, client):
        response = client.get(reverse("archive:home"))
        assert response.status_code == 200
        assert "还没有文章" in response.content.decode()


class TestListing:
    def test_unfiltered_lists_everything_newest_first(self, client, corpus):
        response = client.get(LIST_URL)
        assert response.status_code == 200
        listed = [a.headline for a in response.context["page_obj"].object_list]
        assert listed[0] == "无锡物联网" and listed[-1] == "去年三月的文章"
        assert len(listed) == 4

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"city": "无锡"}, {"无锡物联网"}),
            ({"district": "武进区"}, {"芯片产业大会", "去年三月的文章"}),
            ({"publication": "常州日报"}, {"芯片产业大会", "图片新闻", "去年三月的文章"}),
            ({"kind": "photo"}, {"图片新闻"}),
            ({"kind": "text", "city": "常州"}, {"芯片产业大会", "去年三月的文章"}),
            ({"date_from": "2024-05-01", "date_to": "2024-05-31"}, {"芯片产业大会", "图片新闻"}),
            ({"date_from": "2024-06-01"}, {"无锡物联网"}),
            ({"date_to": "2023-12-31"}, {"去年三月的文章"}),
            ({"year": "2023"}, {"去年三月的文章"}),
            ({"year": "2024", "month": "6"}, {"无锡物联网"}),
            ({"year": "2022"}, set()),
        ],
    )
    def test_filters_narrow_results(self, client, corpus, params, expected):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200
        assert headlines(response) == expected

    def test_month_filter_skips_year_precision_dates(self, client):
        section = make_section(issue_date=datetime.date(2024, 1, 1))
        make_article(section, headline="只知年份", date_precision=DatePrecision.YEAR)
        make_article(section, headline="一月的文章")
        response = client.get(LIST_URL, {"year": "2024", "month": "1"})
        assert headlines(response) == {"一月的文章"}
        assert headlines(client.get(LIST_URL, {"year": "2024"})) == {"只知年份", "一月的文章"}

    def test_active_filter_chips_remove_one_filter(self, client, corpus):
        response = client.get(LIST_URL, {"city": "常州", "kind": "photo", "page": "1"})
        chips = {chip.label: chip for chip in response.context["chips"]}
        assert set(chips) == {"城市", "类型"}
        assert chips["类型"].value == "图片"
        assert chips["类型"].remove_query == "city=%E5%B8%B8%E5%B7%9E"
        assert chips["城市"].remove_query == "kind=photo"
        assert 'href="?kind=photo"' in response.content.decode()

    def test_removing_year_also_removes_month(self):
        chips = active_filters({"year": 2024, "month": 5, "city": "常州", "page": 2})
        year_chip = next(chip for chip in chips if chip.label == "年份")
        assert year_chip.remove_query == "city=%E5%B8%B8%E5%B7%9E"

    @given(st.dictionaries(st.sampled_from(["q", "city", "company", "sort", "page", "year"]),
                           st.one_of(st.text(), st.integers(), st.dates(), st.none())),
           st.dictionaries(st.sampled_from(["city", "company", "page", "month"]),
                           st.one_of(st.text(), st.integers(), st.none())))
    @example({"q": "芯片 a/b?c&d=e+f%#~", "city": "常州", "page": 3}, {"company": "A&B/C", "page": 2})
    def test_query_strings_are_django_urlencode_of_the_parameters(self, data, changes):
        """`query_with` encodes by hand (with a cache) for speed: it must equal Django's urlencode,
        reserved characters (& = + % #, spaces, non-ASCII, lone surrogates) included."""
        try:
            expected = urlencode(query_params(data, **changes))
        except UnicodeEncodeError:  # a lone surrogate: neither can encode it
            with pytest.raises(UnicodeEncodeError):
                query_with(data, **changes)
            return
        assert query_with(data, **changes) == expected

    def test_facet_links_keep_current_filters(self, client, corpus):
        response = client.get(LIST_URL, {"kind": "text"})
        facets = {facet["title"]: facet for facet in response.context["panel_facets"]}
        wuxi = next(option for option in facets["城市"]["options"] if option["label"] == "无锡")
        assert wuxi["query"] == "kind=text&city=%E6%97%A0%E9%94%A1"
        assert {option["label"] for option in facets["年份"]["options"]} == {"2024年", "2023年"}
        assert [option["chosen"] for option in facets["类型"]["options"]] == [True, False]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"date_from": "2024-13-01"}, "日期格式无效"),
            ({"date_from": "yesterday"}, "日期格式无效"),
            ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "截止日期不能早于起始日期"),
            ({"kind": "video"}, "类型“video”无效"),
            ({"year": "1800"}, "年份不能小于 1900"),
            ({"year": "abc"}, "年份必须是整数"),
            ({"month": "13", "year": "2024"}, "月份不能大于 12"),
            ({"month": "5"}, "必须同时指定年份"),
        ],
    )
    def test_invalid_params_give_400_with_message(self, client, corpus, params, message):
        response = client.get(LIST_URL, params)
        assert response.status_code == 400
        assert "archive/bad_request.html" in [t.name for t in response.templates]
        assert message in response.content.decode()

    def test_pagination_keeps_filters_and_shows_the_last_page_past_the_end(self, client, settings):
        settings.ARCHIVE_PAGE_SIZE = 5
        section = make_section()
        for _ in range(12):
            make_article(section, kind=Article.Kind.PHOTO)
        make_article(section, kind=Article.Kind.TEXT)
        first = client.get(LIST_URL, {"kind": "photo"})
        assert first.context["page_obj"].paginator.num_pages == 2  # 12 = 5 + 7 with orphans
        assert first.context["pager"]["next"] == "kind=photo&page=2"
        second = client.get(LIST_URL, {"kind": "photo", "page": "2"})
        assert len(second.context["page_obj"].object_list) == 7
        past_end = client.get(LIST_URL, {"kind": "photo", "page": "3"})
        assert past_end.status_code == 200 and past_end.context["page_obj"].number == 2
        assert "第 3 页不存在（共 2 页），已显示最后一页。" in past_end.content.decode()

    def test_empty_listing_first_page_is_fine(self, client):
        response = client.get(LIST_URL)
        assert response.status_code == 200
        assert "没有符合条件的文章" in response.content.decode()


class TestDetail:
    def test_shows_all_metadata_body_and_source(self, client):
        publication = make_publication("常州日报", city="常州")
        section = make_section(
            publication, page_label="A3", issue_date=datetime.date(2024, 5, 10), raw_text="原始文本内容\n第二行"
        )
        first = make_article(section, headline="前一篇")
        article = make_article(
            section,
            kicker="引题文字",
            headline="主标题",
            subheadline="副题文字",
            bylines=["朱梦琪", "王强"],
            origin="常州日报社",
            district="武进区",
            body="第一段。\n\n第二段。",
            date=datetime.date(2024, 5, 9),
            script="hant",
        )
        last = make_article(section, headline="后一篇")
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        for text in ("引题文字", "主标题", "副题文字", "朱梦琪、王强", "常州日报社", "常州日报", "武进区",
                     "2024年5月9日", "2024年5月10日", "A3", "繁体", "文字"):
            assert text in html, text
        assert '<p lang="zh-Hans">第一段。</p>' in html and '<p lang="zh-Hans">第二段。</p>' in html
        assert "<details" in html and '<pre lang="zh-Hans">原始文本内容\n第二行</pre>' in html
        assert [a.pk for a in response.context["siblings"]] == [first.pk, last.pk]
        assert first.get_absolute_url() in html and last.get_absolute_url() in html

    @pytest.mark.parametrize(
        ("precision", "expected"),
        [("day", "2024年5月9日"), ("month", "2024年5月"), ("year", "2024年"), ("unknown", "精度未知")],
    )
    def test_date_respects_precision(self, client, precision, expected):
        article = make_article(date=datetime.date(2024, 5, 9), date_precision=precision)
        html = client.get(article.get_absolute_url()).content.decode()
        assert expected in html
        if precision in ("month", "year"):
            assert "2024年5月9日" not in html

    def test_unknown_article_is_404(self, client):
        assert client.get(reverse("archive:article", args=[999999])).status_code == 404

    def test_untrusted_text_is_escaped_everywhere(self, client):
        evil = "<script>alert(1)</script>"
        section = make_section(raw_text=f"## {evil}")
        article = make_article(section, headline=evil, kicker=evil, body=f"{evil}\n<b>粗体</b>", bylines=[evil])
        make_article(section, headline=f"另一篇{evil}")
        for url in (article.get_absolute_url(), LIST_URL, reverse("archive:home")):
            html = client.get(url).content.decode()
            assert evil not in html, url
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "<b>粗体</b>" not in client.get(article.get_absolute_url()).content.decode()


class TestListingLogic:
    """The helpers the search page reuses, exercised without HTTP."""

    def test_form_subclass_extra_fields_survive_in_queries(self, corpus):
        class SearchForm(ArticleFilterForm):
            q = forms.CharField(required=False)

        form = SearchForm({"q": "芯片", "city": "常州", "page": "2"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["page"] == 2
        chip = form.active_filters()[0]
        assert chip.remove_query == "q=%E8%8A%AF%E7%89%87"
        narrowed = form.filter_queryset(Article.objects.all())
        assert {a.headline for a in narrowed} == {"芯片产业大会", "图片新闻", "去年三月的文章"}

    def test_page_defaults_to_one(self):
        form = ArticleFilterForm({})
        assert form.is_valid()
        assert form.cleaned_data["page"] == 1

    def test_filter_articles_ignores_empty_values(self, corpus):
        qs = filter_articles(Article.objects.all(), {"city": "", "kind": None, "q": "ignored"})
        assert qs.count() == 4

    def test_paginate_raises_404_for_pages_out_of_range(self, corpus):
        assert paginate(Article.objects.order_by("pk"), 2, 2).number == 2
        with pytest.raises(Http404):
            paginate(Article.objects.order_by("pk"), 3, 2)


def test_the_entity_index_is_in_the_main_navigation(client):
    entities = reverse("archive:entity_index")
    for language, label in (("zh-hans", "产业与企业"), ("en", "Industries and companies")):
        client.cookies["django_language"] = language
        nav = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
        assert f'href="{entities}">{label}</a>' in nav
    assert client.get(entities).status_code == 200


@pytest.mark.parametrize("url", ["/api/articles/", "/api/articles/?q=芯片", "/opensearch.xml"])
def test_head_is_answered_where_get_is(client, url):
    make_article(headline="芯片产业")
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] and not head.content


def test_favicon_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("icon.svg")
