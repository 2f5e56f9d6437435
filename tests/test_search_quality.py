"""What a reader sees of the search's finer behaviour, through the page, the JSON API and the
admin: every copy of a story, synonyms and what they added, honest partial results,
did-you-mean (typos and pinyin), and the query marked on the article page. Articles are made
up for the tests."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from search.indexing.outbox import write_articles
from search.models import SynonymGroup
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

API = reverse("archive:api_article_list")
PAGE = reverse("search:search")


def api(client, **params) -> dict:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def indexed(*articles):
    write_articles([article.pk for article in articles])
    return articles


def article_in(outlet: str, headline: str, body: str, **fields):
    section = make_section(make_publication(outlet), issue_date=fields.pop("date", dt.date(2024, 5, 6)))
    return make_article(section, headline=headline, body=body, date=section.issue_date, **fields)


@pytest.fixture
def reposted():
    """One story carried by three outlets on three days, and an unrelated story."""
    story = "武进高新区风电齿轮箱项目开工,总投资二十亿元。"
    copies = [
        article_in(outlet, "风电齿轮箱项目开工", story, story_key="wind-gearbox", date=dt.date(2024, 5, day))
        for outlet, day in (("武进日报", 6), ("常州晚报", 7), ("江南时报", 8))
    ]
    other = article_in("武进日报", "光伏组件项目签约", "武进高新区光伏组件项目签约,风电配套同步推进。")
    return indexed(*copies, other)


class TestEveryCopy:
    def test_rows_are_stories_and_each_lists_its_other_copies(self, client, reposted):
        data = api(client, q="齿轮箱")
        assert (data["count"], data["counts"], data["articles"], data["collapsed"]) == (1, "stories", 3, True)
        [row] = data["results"]
        copies = {(copy["publication"], copy["date"]) for copy in row["copies"]}
        assert len(copies) == 2 and (row["source"], row["date"]) not in copies
        assert all(copy["url"].startswith("/articles/") for copy in row["copies"])
        assert data["facet_counts"] == "articles"
        assert sum(value["count"] for value in data["facets"]["publication"]) == 3

    def test_collapse_0_lists_every_copy_as_its_own_row(self, client, reposted):
        data = api(client, q="齿轮箱", collapse="0")
        assert (data["count"], data["counts"], data["collapsed"]) == (3, "articles", False)
        assert {row["publication"] for row in data["results"]} == {"武进日报", "常州晚报", "江南时报"}
        assert all(row["copies"] == [] for row in data["results"])

    def test_page_shows_copies_with_outlet_and_date_and_a_toggle(self, client, reposted):
        page = client.get(PAGE, {"q": "齿轮箱"}).content.decode()
        assert "共找到 1 篇报道（3 篇文章" in page
        assert "常州晚报" in page and "江南时报" in page and "2024年5月8日" in page
        assert "collapse=0" in page
        every = client.get(PAGE, {"q": "齿轮箱", "collapse": "0"}).content.decode()
        assert "共找到 3 篇文章" in every and "合并转载" in every

    def test_a_bad_collapse_value_is_a_clear_error(self, client, reposted):
        response = client.get(API, {"q": "齿轮箱", "collapse": "maybe"})
        assert response.status_code == 400
        assert "collapse" in response.content.decode()


class TestSynonyms:
    def test_the_first_groups_come_with_the_archive(self):
        assert any({"集成电路", "芯片"} <= set(group.terms) for group in SynonymGroup.objects.all())

    def test_a_synonym_is_searched_and_said(self, client):
        chip, = indexed(article_in("新华日报", "芯片设计企业落户", "一家芯片设计企业落户南京江北新区。"))
        data = api(client, q="集成电路")
        assert [row["id"] for row in data["results"]] == [chip.pk]
        assert data["also_searched"] == ["芯片"]
        page = client.get(PAGE, {"q": "集成電路"}).content.decode()  # the Traditional spelling too
        assert '也搜索了：<span lang="zh-Hans">芯片</span>' in page

    def test_an_excluded_word_is_not_widened(self, client):
        indexed(article_in("新华日报", "芯片设计企业落户", "一家芯片设计企业落户南京江北新区。"))
        assert api(client, q="江北新区 -集成电路")["count"] == 1  # only 集成电路 is excluded, not 芯片

    def test_editors_add_a_group_in_the_admin(self, admin_client, client):
        url = reverse("admin:search_synonymgroup_add")
        refused = admin_client.post(url, {"terms": "风电\n風電", "note": ""})
        assert refused.status_code == 200 and "至少要有两个不同的词" in refused.content.decode()
        saved = admin_client.post(url, {"terms": "风电、风力发电", "note": "行业用语"})
        assert saved.status_code == 302
        assert SynonymGroup.objects.filter(terms=["风电", "风力发电"]).exists()
        wind, = indexed(article_in("如东日报", "海上风力发电项目并网", "如东海上风力发电项目全容量并网。"))
        data = api(client, q="风电")
        assert wind.pk in [row["id"] for row in data["results"]] and data["also_searched"] == ["风力发电"]


@pytest.fixture
def vocabulary():
    """Words the index knows in several articles, for suggestions."""
    return indexed(
        article_in("常州日报", "半导体产业大会举行", "第三代半导体产业大会在常州举行。"),
        article_in("无锡日报", "半导体封测项目开工", "一批半导体封测项目在无锡开工。"),
        article_in("苏州日报", "半导体材料企业签约", "半导体材料企业签约落户苏州工业园区。"),
    )


class TestDidYouMean:
    def test_one_wrong_character_is_corrected_from_the_index(self, client, vocabulary):
        assert "半导体" in api(client, q="半导休")["suggestions"]

    @pytest.mark.parametrize("typed", ["bandaoti", "Ban Dao Ti"])
    def test_pinyin_typed_for_characters(self, client, vocabulary, typed):
        data = api(client, q=typed)
        assert data["count"] == 0 and data["suggestions"][0] == "半导体"
        page = client.get(PAGE, {"q": typed}).content.decode()
        assert "您是不是要找" in page and "?q=%E5%8D%8A%E5%AF%BC%E4%BD%93" in page

    def test_loosened_results_say_which_words_each_hit_has(self, client, vocabulary):
        data = api(client, q="半导体 量子计算机")
        assert data["loosened"] is True and data["count"] == 3
        assert all(row["matched_words"] == ["半导体"] for row in data["results"])
        assert all("<mark>半导体</mark>" in row["snippet_html"] for row in data["results"])
        page = client.get(PAGE, {"q": "半导体 量子计算机"}).content.decode()
        assert "只包含其中部分词" in page and '包含：<span lang="zh-Hans">半导体</span>' in page


class TestArticlePageMarks:
    def test_the_search_words_are_marked_in_the_articles_own_script(self, client):
        article, = indexed(article_in("台港媒体", "晶片產業鏈布局", "吳江晶片產業鏈持續完善。",
                                      script="hant"))
        url = article.get_absolute_url()
        page = client.get(url, {"q": "芯片产业"}).content.decode()
        assert "吳江<mark>晶片產業</mark>鏈持續完善" in page  # a Taiwan word, marked as written
        assert "已标出检索" in page
        assert "<mark>" not in client.get(url).content.decode()

    def test_an_overlong_query_only_skips_the_marks(self, client):
        article, = indexed(article_in("常州日报", "半导体产业大会举行", "第三代半导体产业大会举行。"))
        url = article.get_absolute_url()
        response = client.get(url, {"q": "半导体" * 400})
        assert response.status_code == 200 and "<mark>" not in response.content.decode()

    def test_result_links_carry_the_query(self, client, vocabulary):
        page = client.get(PAGE, {"q": "半导体"}).content.decode()
        assert "?q=%E5%8D%8A%E5%AF%BC%E4%BD%93" in page
