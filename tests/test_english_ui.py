"""The English UI is English everywhere but in content, and content says which Chinese it is:
every main page in English keeps Chinese only inside elements marked lang="zh-Hans"/"zh-Hant";
counts have plural forms, dates read "30 October 2024"; the Chinese UI uses full-width
punctuation and names a paper's page 第1版."""
from __future__ import annotations

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from archive.models import Article, DatePrecision, Entity, Industry, Section
from archive.templatetags.archive_tags import edition, in_lang, precise_date
from archive.text.script import language_tag
from tests.factories import make_article, make_section

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
HALF_WIDTH_BY_HAN = re.compile(r"[\u3400-\u9fff][,:;()!?]|[,:;()!?][\u3400-\u9fff]")
# The result count, filter chips and facet notes belong to the filter panel (its own tests);
# the listing's facets there list cities and publications.
pytestmark = pytest.mark.django_db

def use_language(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def ui_text(html: str) -> list[str]:
    """The page's text outside content marked lang="zh-*" (and outside <title>, which holds a
    query or a name but cannot hold markup), one string per text node."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(lambda tag: tag.name != "html" and tag.get("lang", "").lower().startswith("zh")):
        element.decompose()
    for element in soup.find_all(["title", "script", "style"]):
        element.decompose()
    return [text.strip() for text in soup.find_all(string=True) if text.strip()]


def main_pages() -> list[str]:
    """One of each kind of page the site has, on the seed pages."""
    traditional = Article.objects.filter(script="hant").first()
    simplified = Article.objects.filter(script="hans").first()
    section = simplified.section
    issue = section.issue_date.isoformat() if section.issue_date else "undated"
    entity = next(entity for entity in Entity.objects.filter(article_links__isnull=False) if entity.aliases)
    industry = Industry.objects.filter(article_links__isnull=False).first()
    return [
        "/", reverse("archive:article_list"), traditional.get_absolute_url(), simplified.get_absolute_url(),
        reverse("archive:browse_places"), reverse("archive:browse_dates"),
        reverse("archive:browse_year", args=[section.issue_date.year]),
        reverse("archive:browse_month", args=[section.issue_date.year, section.issue_date.month]),
        reverse("archive:browse_publications"), reverse("archive:browse_publication", args=[section.publication_id]),
        reverse("archive:browse_issue", args=[section.publication_id, issue]),
        reverse("archive:browse_page", args=[section.pk]),
        reverse("archive:entity_index"), reverse("archive:entity_index") + "?q=中国电科&sort=recent",
        entity.get_absolute_url(), industry.get_absolute_url(),
        reverse("search:search") + "?q=半导体", reverse("search:search") + "?q=半导体&collapse=0",
        reverse("search:search") + "?q=无此词语xyz", "/no-such-page/",
    ]


def test_every_main_page_in_english_keeps_chinese_only_in_marked_content(client, seeded):
    use_language(client, "en")
    leftovers = {}
    for path in main_pages():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert '<html lang="en">' in response.content.decode()
        found = [text for text in ui_text(response.content.decode()) if CHINESE.search(text)]
        if found:
            leftovers[path] = found[:5]
    assert not leftovers, leftovers


def test_chinese_ui_uses_full_width_punctuation(client, seeded):
    half_width = {}
    for path in main_pages():
        found = [text for text in ui_text(client.get(path).content.decode()) if HALF_WIDTH_BY_HAN.search(text)]
        if found:
            half_width[path] = found[:5]
    assert not half_width, half_width
    html = client.get(reverse("search:search"), {"q": "无此词语xyz"}).content.decode()
    assert "建议：换用更短或更常见的词，检查错别字" in html


def test_counts_have_plural_forms(client):
    one = make_article(headline="单篇报道的企业")
    entity = Entity.objects.create(kind="company", name="一篇科技", aliases=["一篇"])
    entity.article_links.create(article=one)
    many = Entity.objects.create(kind="company", name="两篇科技")
    for article in (one, make_article(headline="第二篇")):
        many.article_links.create(article=article)
    use_language(client, "en")
    assert ">1 article<" in client.get(entity.get_absolute_url()).content.decode()
    assert ">2 articles<" in client.get(many.get_absolute_url()).content.decode()
    index = client.get(reverse("archive:entity_index"), {"q": "一篇"}).content.decode()
    assert "1 match for" in index and 'title="1 article"' in index
    assert "2 matches for" in client.get(reverse("archive:entity_index"), {"q": "科技"}).content.decode()
    use_language(client, "zh-hans")
    assert "共 2 篇报道" in client.get(many.get_absolute_url()).content.decode()


@pytest.mark.parametrize("precision, english, chinese", [
    (DatePrecision.DAY, "30 October 2024", "2024年10月30日"),
    (DatePrecision.MONTH, "October 2024", "2024年10月"),
    (DatePrecision.YEAR, "2024", "2024年"),
])
def test_dates_read_as_far_as_they_are_known(client, precision, english, chinese):
    article = make_article(date=datetime.date(2024, 10, 30), date_precision=precision)
    use_language(client, "en")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"<dd>{english}</dd>" in html and "precision" not in html.lower().split("<main", 1)[1]
    use_language(client, "zh-hans")
    assert f"<dd>{chinese}</dd>" in client.get(article.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert precise_date(datetime.date(2024, 10, 30), "unknown") == "30 October 2024 (precision unknown)"
    with translation.override("zh-hans"):
        assert precise_date(datetime.date(2024, 10, 30), "unknown") == "2024年10月30日（精度未知）"


def test_english_sentences_end_with_a_full_stop(client, seeded):
    use_language(client, "en")
    html = client.get(reverse("search:search"), {"q": "无此词语xyz"}).content.decode()
    assert re.search(r'No articles found for “<span lang="zh-Hans">无此词语xyz</span>”\.</p>', html)


def test_pages_of_a_paper_are_named_as_readers_name_them(client):
    section = make_section(page_label="1")
    make_article(section=section)
    with translation.override("zh-hans"):
        assert edition("1") == "第1版" and edition("A2") == "A2版"
    with translation.override("en"):
        assert edition("1") == "Page 1" and edition("A2") == "Page A2"
    page = client.get(reverse("archive:browse_page", args=[section.pk])).content.decode()
    assert "第1版" in page and "1 版" not in page
    issue = client.get(reverse("archive:browse_issue", args=[section.publication_id, "2024-05-01"])).content.decode()
    assert "第1版" in issue and "个版面" not in issue
    unlabelled = make_section(publication=section.publication, page_label="", issue_date=datetime.date(2024, 6, 1))
    make_article(section=unlabelled)
    issue = client.get(reverse("archive:browse_issue", args=[section.publication_id, "2024-06-01"])).content.decode()
    assert "第1版" in issue


def test_language_tags_follow_the_script():
    assert language_tag("區領導調研芯片產業相關企業") == "zh-Hant"
    assert language_tag("区领导调研芯片产业相关企业") == "zh-Hans"
    assert language_tag("常州") == "zh-Hans"  # the same in both scripts
    assert language_tag("Moore Threads") == "" and language_tag("") == ""
    assert in_lang("<b>常州</b>") == '<span lang="zh-Hans">&lt;b&gt;常州&lt;/b&gt;</span>'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_content_is_marked_with_its_script_in_either_ui(client, language):
    section = make_section(raw_text="## 區領導調研芯片產業\n\n記者從會上獲悉。\n")
    traditional = make_article(section=section, headline="區領導調研芯片產業", body="記者從會上獲悉。",
                               script="hant")
    simplified = make_article(section=section, headline="区领导调研芯片产业", body="记者从会上获悉。")
    use_language(client, language)
    html = client.get(traditional.get_absolute_url()).content.decode()
    assert '<h1 lang="zh-Hant">區領導調研芯片產業</h1>' in html
    assert '<p lang="zh-Hant">記者從會上獲悉。</p>' in html
    assert '<span lang="zh-Hans">区领导调研芯片产业</span>' in html  # the sibling on the same page
    converted = client.get(traditional.get_absolute_url(), {"script": "hans"}).content.decode()
    assert '<h1 lang="zh-Hans">区领导调研芯片产业</h1>' in converted
    listing = client.get(reverse("archive:article_list"), {"script": "orig"}).content.decode()
    assert f'href="{traditional.get_absolute_url()}"><span lang="zh-Hant">區領導調研芯片產業</span>' in listing
    assert f'href="{simplified.get_absolute_url()}"><span lang="zh-Hans">区领导调研芯片产业</span>' in listing
    assert Section.objects.count() == 1
