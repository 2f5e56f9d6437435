"""The admin speaks Chinese throughout on the archive's pages — titles, model and field names,
column heads, filters, inlines, actions, help — and English after the switch."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from archive.models import (
    ArticleEntity,
    ArticleIndustry,
    Entity,
    Industry,
    IngestFileResult,
    IngestRun,
)
from search.models import SynonymGroup
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]

# Where the admin puts words of its own (not the editors' data): titles, headings, labels,
# column heads, filter panel, actions, help, buttons, navigation.
LABEL_SELECTORS = (
    "title, #site-name, .breadcrumbs, h1, h2, h3, label, thead th, .help, .helptext, "
    "#changelist-filter, select[name=action] option, .object-tools, #nav-sidebar, "
    ".submit-row, .paginator, #user-tools a, fieldset legend, #content-related"
)
# Words allowed in Latin letters: abbreviations and the command names the help mentions.
ALLOWED_WORDS = {"ID", "URL", "JSON", "CSV", "extract_entities"}
WORD_RE = re.compile(r"[A-Za-z][A-Za-z_]+")


def english_words(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("script, style, textarea, #user-tools strong"):
        hidden.decompose()
    words = set()
    for element in soup.select(LABEL_SELECTORS):
        words.update(WORD_RE.findall(element.get_text(" ")))
    return words - ALLOWED_WORDS


@pytest.fixture
def rows() -> dict[str, object]:
    publication = make_publication("武进日报", city="常州", aliases=["武进报"])
    article = make_article(make_section(publication), headline="新区芯片项目开工", bylines=["高美梅"])
    entity = Entity.objects.create(kind=Entity.Kind.COMPANY, name="中讯半导体", aliases=["中讯"])
    ArticleEntity.objects.create(article=article, entity=entity)
    ArticleIndustry.objects.create(article=article, industry=Industry.objects.first(), score=3)
    run = IngestRun.objects.create(paths=["/srv/pages"], files_seen=1, created=1)
    IngestFileResult.objects.create(run=run, source_name="a.txt", status="created", created=1)
    return {"article": article, "section": article.section, "publication": publication, "entity": entity,
            "industry": Industry.objects.first(), "ingestrun": run, "synonymgroup": SynonymGroup.objects.first()}


def archive_admin_pages(rows: dict[str, object]) -> list[str]:
    pages = [reverse("admin:index"), reverse("admin:app_list", args=["archive"]),
             reverse("admin:app_list", args=["search"])]
    for name, obj in rows.items():
        app = obj._meta.app_label
        pages += [reverse(f"admin:{app}_{name}_changelist"), reverse(f"admin:{app}_{name}_change", args=[obj.pk])]
    return pages + [reverse("admin:archive_article_add"), reverse("admin:archive_entity_add"),
                    reverse("admin:search_synonymgroup_add"),
                    reverse("admin:archive_article_delete", args=[rows["article"].pk])]


def test_no_english_on_the_archives_admin_pages(admin_client, rows):
    found = {}
    for url in archive_admin_pages(rows):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert not found


def test_the_admin_is_titled_as_the_archive(admin_client, rows):
    html = admin_client.get(reverse("admin:archive_article_changelist")).content.decode()
    assert "产业新闻档案管理" in html and "Django" not in html
    soup = BeautifulSoup(html, "html.parser")
    filters = {heading.get_text(strip=True) for heading in soup.select("#changelist-filter summary")}
    assert {"以 出版物", "以 城市"} <= filters


def test_the_check_finds_an_english_label():
    assert english_words('<label for="id_x">Created at:</label><td>Data</td>') == {"Created", "at"}


def test_the_admin_in_english(admin_client, rows):
    admin_client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    html = admin_client.get(reverse("admin:archive_article_change", args=[rows["article"].pk])).content.decode()
    assert "Industry news archive administration" in html
    assert "Bylines" in html and "Created at" in html and "One per line" in html
    assert "产业新闻档案管理" not in html and "署名" not in html
