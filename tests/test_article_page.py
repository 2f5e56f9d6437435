"""The article page: metadata and body, previous/next on the same page, the
page's other articles, the raw source with this article marked, related
articles, a GB/T 7714 citation with a copy button, and a stable permalink."""
from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from archive import citation, source
from archive.models import Article, DatePrecision, Publication
from tests.factories import make_article, make_publication, make_section

pytestmark = pytest.mark.django_db

RAW = """武进日报 A1 要闻

## 聚力“芯”赛道

## 半导体大会举行

本报讯 (记者 朱梦琪) 昨天,半导体大会隆重举行。

与会专家共话发展。

区领(lǐng)导调研企业

本报讯 区领导走访企业。

(王强)
"""


@pytest.fixture
def page() -> list[Article]:
    publication = make_publication("武进日报", city="常州", district="武进区")
    section = make_section(publication, raw_text=RAW, page_label="A1", issue_date=datetime.date(2024, 4, 19))
    return [
        make_article(section, kicker="聚力“芯”赛道", headline="半导体大会举行", bylines=["朱梦琪"], district="武进区",
                     body="本报讯 (记者 朱梦琪) 昨天,半导体大会隆重举行。\n与会专家共话发展。",
                     date=datetime.date(2024, 4, 18)),
        make_article(section, headline="区领导调研企业", bylines=["王强"], body="本报讯 区领导走访企业。",
                     date=datetime.date(2024, 4, 18)),
        make_article(section, headline="第三篇", body="第三篇正文。", date=datetime.date(2024, 4, 18)),
    ]


def get(client, article: Article) -> tuple[str, dict]:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), response.context


def test_previous_and_next_on_the_same_page(client, page):
    first, middle, last = page
    _, context = get(client, first)
    assert context["previous"] is None and context["next"] == middle
    html, context = get(client, middle)
    assert context["previous"] == first and context["next"] == last
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{last.get_absolute_url()}"' in html
    assert [a.pk for a in context["siblings"]] == [first.pk, last.pk]
    _, context = get(client, last)
    assert context["next"] is None


def test_raw_source_marks_this_article(client, page):
    html, _ = get(client, page[0])
    marked = re.search(r'<mark id="source-mark">(.*?)</mark>', html, re.S).group(1)
    assert marked.startswith("## 聚力“芯”赛道") and "与会专家共话发展。" in marked
    assert "区领" not in marked and "武进日报 A1" not in marked
    # The second article's headline carries pinyin in the raw text: still found.
    html, _ = get(client, page[1])
    marked = re.search(r'<mark id="source-mark">(.*?)</mark>', html, re.S).group(1)
    assert marked.startswith("区领(lǐng)导调研企业") and marked.endswith("(王强)")
    assert 'href="#source-mark"' in html


def test_source_not_found_is_shown_unmarked(client):
    article = make_article(make_section(raw_text="完全不同的原文"), headline="找不到的标题", body="找不到的正文")
    html, context = get(client, article)
    assert "<mark" not in html.split("<pre")[1] and not context["source_found"]
    assert "<pre lang=\"zh-Hans\">完全不同的原文</pre>" in html


def test_locate_units():
    article = Article(headline="半导体大会举行", kicker="", subheadline="", body="x")
    assert source.find_text("甲\n## 半导\n体大会举行", "半导体大会举行") == 5
    assert source.locate("甲\n## 半导\n体大会举行", article) == (2, 13)
    assert source.find_text("区(qū)领(lǐng)导", "区领导") == 0
    assert source.locate("no match here", article) is None
    assert source.marked("<b>&", (0, 3)) == '<mark id="source-mark">&lt;b&gt;</mark>&amp;'


def test_citation_in_gbt7714_form_with_copy_button(client, page):
    html, context = get(client, page[0])
    assert context["citation"] == "朱梦琪. 半导体大会举行[N]. 武进日报, 2024-04-19(A1)."
    assert '<p id="citation-text" class="citation-text" lang="zh-Hans">朱梦琪. 半导体大会举行[N]. 武进日报, 2024-04-19(A1).</p>' in html
    assert 'data-copy-target="citation-text"' in html
    assert "/static/js/site.js" in html


def test_citation_units():
    publication = Publication(name="武进新闻", medium=Publication.Medium.WEB)
    section = make_section(make_publication("武进新闻", medium="web"), page_label="",
                           issue_date=datetime.date(2025, 3, 6))
    article = make_article(section, headline="區領導調研", bylines=["甲", "乙", "丙", "丁"],
                           subheadline="——副题", date=datetime.date(2025, 3, 6))
    entry = citation.gbt7714(article, "http://example.org/articles/1/", accessed=datetime.date(2025, 4, 1))
    assert entry == "甲, 乙, 丙, 等. 區領導調研: 副题[EB/OL]. (2025-03-06)[2025-04-01]. http://example.org/articles/1/."
    print_section = make_section(make_publication("某日报"), issue_date=datetime.date(2024, 5, 1),
                                 issue_date_precision=DatePrecision.MONTH, page_label="")
    anonymous = make_article(print_section, headline="无署名", bylines=[])
    assert citation.gbt7714(anonymous, "x") == "无署名[N]. 某日报, 2024-05."
    assert publication.medium == "web"


def test_permalink_and_canonical(client, page):
    html, context = get(client, page[0])
    permalink = f"http://testserver/articles/{page[0].pk}/"
    assert context["permalink"] == permalink
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'class="permalink" href="{permalink}"' in html


def test_metadata_and_breadcrumbs(client, page):
    html, _ = get(client, page[0])
    for text in ("聚力“芯”赛道", "<h1 lang=\"zh-Hans\">半导体大会举行</h1>", "朱梦琪", "武进日报", "武进区", "2024年4月18日",
                 "2024年4月19日", "<p lang=\"zh-Hans\">与会专家共话发展。</p>"):
        assert text in html, text
    publication = page[0].section.publication
    assert reverse("archive:browse_issue", args=[publication.pk, "2024-04-19"]) in html
    assert reverse("archive:browse_page", args=[page[0].section.pk]) in html


def test_related_articles(client, seeded):
    article = Article.objects.get(headline="区政协常委会召开协商课题调研座谈会")
    html, context = get(client, article)
    related = context["related"]
    assert 1 <= len(related) <= 5 and article not in related
    assert related[0].headline == "盛蕾走访调研我区化合物半导体产业重点企业"  # shares 调研, 我区, 赛道, 产业
    assert "陈金虎率团赴深圳开展经贸洽谈活动" in {item.headline for item in related}  # shares 合成生物, 调研
    assert related[0].get_absolute_url() in html.split("相关文章")[1]
    chip = Article.objects.get(headline="盛蕾走访调研我区化合物半导体产业重点企业")
    headlines = {other.headline for other in get(client, chip)[1]["related"]}
    assert "區領導調研芯片產業相關企業" in headlines or "2024年第二届特色工艺半导体产业发展常州大会举行" in headlines


def test_related_without_index_is_empty(client, page):
    _, context = get(client, page[0])
    assert context["related"] == []


def test_untrusted_text_is_escaped(client):
    evil = "<script>alert(1)</script>"
    section = make_section(raw_text=f"## {evil}\n\n{evil}正文\n\n## 下一篇")
    make_article(section, headline=f"前{evil}")
    article = make_article(section, headline=evil, kicker=evil, subheadline=evil, body=f"{evil}正文",
                           bylines=[evil], origin=evil)
    make_article(section, headline=f"后{evil}")
    html, context = get(client, article)
    assert "<script>alert" not in html
    assert evil in context["citation"]  # plain text, escaped by the template
    assert '<mark id="source-mark">## &lt;script&gt;' in html


def test_missing_article_is_a_chinese_404(client):
    response = client.get(reverse("archive:article", args=[999999]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'class="site-header"' in html
