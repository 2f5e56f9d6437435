"""The editors' admin: article editing marks articles as edited; source data stays read-only."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from archive.models import Article, Entity, IngestFileResult, IngestRun, Publication
from search.models import SynonymGroup
from tests.factories import make_article, make_publication, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def article() -> Article:
    section = make_section(make_publication("常州日报", city="常州"), raw_text="原始 <i>文本</i> 第一行")
    make_article(section, headline="无关文章", kind=Article.Kind.PHOTO)
    return make_article(
        section, headline="芯片产业大会", body="半导体产业。", bylines=["朱梦琪"], district="武进区"
    )


def change_form_data(article: Article, **changes: str) -> dict[str, str]:
    data = {
        "section": str(article.section_id),
        "position": str(article.position),
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "bylines": "\n".join(article.bylines),
        "origin": article.origin,
        "body": article.body,
        "kind": article.kind,
        "date": article.date.isoformat() if article.date else "",
        "date_precision": article.date_precision,
        "city": article.city,
        "district": article.district,
        "script": article.script,
        "_save": "保存",
        **inline_data("industry_links", article.industry_links.order_by("pk"), ("industry", "removed")),
        **inline_data("entity_links", article.entity_links.order_by("pk"), ("entity", "role", "removed")),
    }
    return {**data, **changes}


def inline_data(prefix: str, rows, fields: tuple[str, ...]) -> dict[str, str]:
    """The management form and current rows of an admin inline, unchanged."""
    rows = list(rows)
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-id"] = str(row.pk)
        data[f"{prefix}-{index}-article"] = str(row.article_id)
        for name in fields:
            value = getattr(row, f"{name}_id", None) if name in ("industry", "entity") else getattr(row, name)
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}-{index}-{name}"] = "on"
            else:
                data[f"{prefix}-{index}-{name}"] = str(value)
    return data


class TestArticleAdmin:
    def test_changelist_with_search_and_filters(self, admin_client, article):
        url = reverse("admin:archive_article_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count == 2

        searched = admin_client.get(url, {"q": "半导体"})
        assert [a.pk for a in searched.context["cl"].result_list] == [article.pk]

        filtered = admin_client.get(
            url,
            {
                "city": "常州",
                "kind__exact": "photo",
                "edited__exact": "0",
                "section__publication__id__exact": str(article.section.publication_id),
            },
        )
        assert filtered.status_code == 200
        assert [a.headline for a in filtered.context["cl"].result_list] == ["无关文章"]

        by_date = admin_client.get(url, {"date__year": "2024", "date__month": "5"})
        assert by_date.context["cl"].result_count == 2

    def test_changelist_query_count_does_not_grow(self, admin_client, django_assert_max_num_queries):
        section = make_section()
        for _ in range(20):
            make_article(section)
        # Without list_select_related every row would cost two more queries.
        with django_assert_max_num_queries(12):
            assert admin_client.get(reverse("admin:archive_article_changelist")).status_code == 200

    def test_change_page_opens(self, admin_client, article):
        response = admin_client.get(reverse("admin:archive_article_change", args=[article.pk]))
        assert response.status_code == 200
        assert "芯片产业大会" in response.content.decode()

    def test_saving_through_admin_marks_edited(self, admin_client, article):
        assert article.edited is False
        url = reverse("admin:archive_article_change", args=[article.pk])
        response = admin_client.post(url, change_form_data(article, headline="芯片产业大会(修订)"))
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        assert article.headline == "芯片产业大会(修订)"
        assert article.edited is True

    def test_edited_cannot_be_unticked_through_the_form(self, admin_client, article):
        url = reverse("admin:archive_article_change", args=[article.pk])
        admin_client.post(url, change_form_data(article))
        admin_client.post(url, change_form_data(article, edited=""))
        article.refresh_from_db()
        assert article.edited is True

    def test_release_action_clears_edited(self, admin_client, article):
        Article.objects.filter(pk=article.pk).update(edited=True)
        response = admin_client.post(
            reverse("admin:archive_article_changelist"),
            {"action": "release_to_ingest", "_selected_action": [str(article.pk)]},
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.edited is False


def textarea(response, name: str) -> str:
    return BeautifulSoup(response.content.decode(), "html.parser").find("textarea", attrs={"name": name}).text


class TestListFields:
    """Bylines, aliases and every other JSON list field are typed as a list, not as JSON."""

    @pytest.mark.parametrize("typed, saved", [
        ("高美梅、张三", ["高美梅", "张三"]),
        ("高美梅\n张三\n", ["高美梅", "张三"]),
        (" 高美梅 ,张三;李四; 王五,\n\n高美梅、、", ["高美梅", "张三", "李四", "王五"]),
        ("张三\uff0c李四\uff1b王五、赵六", ["张三", "李四", "王五", "赵六"]),  # the wide comma and semicolon
        ('["高美梅", "张三"]', ["高美梅", "张三"]),  # the JSON these fields used to take
        ("", []),
    ])
    def test_bylines_typed_as_a_list(self, admin_client, article, typed, saved):
        url = reverse("admin:archive_article_change", args=[article.pk])
        response = admin_client.post(url, change_form_data(article, bylines=typed))
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        assert article.bylines == saved

    def test_form_shows_one_per_line(self, admin_client, article):
        Article.objects.filter(pk=article.pk).update(bylines=["高美梅", "张三"])
        response = admin_client.get(reverse("admin:archive_article_change", args=[article.pk]))
        assert textarea(response, "bylines").strip() == "高美梅\n张三"
        assert "[&quot;" not in response.content.decode()

    @pytest.mark.parametrize("typed, message", [
        ("高美梅、" + "长" * 51, "每项最多 50 个字：“长长长长长长长长长长长长长长长长长长长长…”有 51 个字。"),
        ("、".join(f"记者{n}" for n in range(31)), "最多 30 项，现在有 31 项。"),
    ])
    def test_a_bad_list_is_refused_with_a_message_and_kept(self, admin_client, article, typed, message):
        url = reverse("admin:archive_article_change", args=[article.pk])
        response = admin_client.post(url, change_form_data(article, bylines=typed, headline="改过的标题"))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert textarea(response, "bylines").strip() == typed  # what was typed is still there
        assert textarea(response, "body").strip() == article.body
        article.refresh_from_db()
        assert article.bylines == ["朱梦琪"] and article.headline == "芯片产业大会"

    def test_entity_aliases(self, admin_client):
        entity = Entity.objects.create(kind=Entity.Kind.COMPANY, name="中讯半导体", aliases=["中讯"])
        url = reverse("admin:archive_entity_change", args=[entity.pk])
        assert textarea(admin_client.get(url), "aliases").strip() == "中讯"
        response = admin_client.post(url, {"kind": "company", "name": "中讯半导体", "aliases": "中讯,中讯半导\n中讯"})
        assert response.status_code == 302
        entity.refresh_from_db()
        assert entity.aliases == ["中讯", "中讯半导"]
        assert "中讯、中讯半导" in admin_client.get(reverse("admin:archive_entity_changelist")).content.decode()

    def test_synonym_terms(self, admin_client):
        response = admin_client.post(reverse("admin:search_synonymgroup_add"), {"terms": "光刻机;光刻设备", "note": ""})
        assert response.status_code == 302
        assert SynonymGroup.objects.filter(terms=["光刻机", "光刻设备"]).exists()

    def test_ingest_run_paths_read_as_text(self, admin_client):
        run = IngestRun.objects.create(paths=["/srv/pages/常州", "/srv/pages/无锡"])
        html = admin_client.get(reverse("admin:archive_ingestrun_change", args=[run.pk])).content.decode()
        assert "/srv/pages/常州、/srv/pages/无锡" in html and "[&quot;" not in html


class TestSectionAdmin:
    def test_raw_text_is_read_only_and_articles_inline(self, admin_client, article):
        response = admin_client.get(reverse("admin:archive_section_change", args=[article.section_id]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "原始 &lt;i&gt;文本&lt;/i&gt; 第一行" in html
        for field in ("raw_text", "content_hash", "source_name", "encoding"):
            assert f'name="{field}"' not in html, field
        assert "芯片产业大会" in html and "无关文章" in html
        assert 'name="articles-0-headline"' not in html  # inline rows are read-only

    def test_no_add(self, admin_client):
        assert admin_client.get(reverse("admin:archive_section_add")).status_code == 403

    def test_changelist(self, admin_client, article):
        response = admin_client.get(reverse("admin:archive_section_changelist"), {"q": "source"})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1


class TestPublicationAdmin:
    def test_add_and_edit(self, admin_client):
        response = admin_client.post(
            reverse("admin:archive_publication_add"),
            {"name": "吴中日报", "medium": "print", "city": "苏州", "district": "", "listed": "on",
             "aliases": "吴中报、吴中新闻\n吴中报", "_save": "保存"},
        )
        assert response.status_code == 302
        publication = Publication.objects.get(name="吴中日报")
        assert publication.aliases == ["吴中报", "吴中新闻"] and publication.listed
        url = reverse("admin:archive_publication_change", args=[publication.pk])
        admin_client.post(url, {"name": "吴中日报", "medium": "web", "city": "苏州", "district": "吴中区",
                                "aliases": "吴中报"})
        publication.refresh_from_db()
        assert (publication.medium, publication.district, publication.aliases, publication.listed) == (
            "web", "吴中区", ["吴中报"], False)

    def test_change_form_shows_aliases_as_text(self, admin_client):
        publication = Publication.objects.get(name="苏州日报")
        response = admin_client.get(reverse("admin:archive_publication_change", args=[publication.pk]))
        assert "苏报" in response.content.decode() and "[&quot;" not in response.content.decode()

    def test_overlong_alias_is_refused_with_a_message(self, admin_client):
        response = admin_client.post(
            reverse("admin:archive_publication_add"),
            {"name": "吴中日报", "medium": "print", "aliases": "报" * 101, "_save": "保存"})
        assert response.status_code == 200
        assert "每项最多 100 个字" in response.content.decode()
        assert not Publication.objects.filter(name="吴中日报").exists()


class TestIngestRunAdmin:
    @pytest.fixture
    def run(self) -> IngestRun:
        run = IngestRun.objects.create(paths=["seeds"], files_seen=2, files_failed=1, created=3)
        IngestFileResult.objects.create(run=run, source_name="a.txt", status="created", created=3)
        IngestFileResult.objects.create(run=run, source_name="b.txt", status="failed", message="编码无法识别")
        return run

    def test_refuses_add(self, admin_client):
        assert admin_client.get(reverse("admin:archive_ingestrun_add")).status_code == 403

    def test_view_only_with_file_results(self, admin_client, run):
        assert admin_client.get(reverse("admin:archive_ingestrun_changelist")).status_code == 200
        url = reverse("admin:archive_ingestrun_change", args=[run.pk])
        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "a.txt" in html and "编码无法识别" in html
        assert 'name="files_seen"' not in html
        assert 'name="files-0-message"' not in html

    def test_refuses_change_and_delete(self, admin_client, run):
        change = admin_client.post(
            reverse("admin:archive_ingestrun_change", args=[run.pk]), {"files_seen": "99"}
        )
        assert change.status_code == 403
        assert admin_client.post(reverse("admin:archive_ingestrun_delete", args=[run.pk])).status_code == 403
        run.refresh_from_db()
        assert run.files_seen == 2
        assert IngestRun.objects.filter(pk=run.pk).exists()


def test_admin_requires_staff(client, article):
    response = client.get(reverse("admin:archive_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]

