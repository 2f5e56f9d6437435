"""Page text is never rendered live: <script>, <img onerror>, javascript: links
and template syntax ({{ }}, {% %}) in an ingested page — its headline, body,
bylines, publication, page label, file name and raw source — and in query
parameters are escaped on every page that shows them: home, listing, search
results and snippets, the article page with its raw source, the JSON API,
the admin, and every other public route (walked from the URL resolver, so
feeds and pages added later are covered too).
"""
from __future__ import annotations

import html
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.models import Article, IngestRun, Publication, Section
from search.indexing import outbox
from search.service.highlight import highlight, snippet

pytestmark = pytest.mark.django_db

SOURCE_NAME = "hostile<b>page.txt"  # a file name may hold anything but "/"
PUBLICATION = "武进<b onmouseover=alert(6)>日报</b>"
PAGE_TEXT = (
    '## <script>alert("x")</script>芯片产业报道{{7|add:1}}\n\n'
    '本报讯 (记者 朱梦琪) 昨天,<img src=x onerror=alert(1)>芯片产业大会举行。'
    '详情见<a href="javascript:alert(2)">点我</a>和javascript:alert(3)。模板{{ 7|add:1 }}{% now "Y" %}不会执行。\n\n'
    '## 第二篇<svg/onload=alert(4)>芯片报道\n\n'
    '本报讯 (记者 <i>黄雅婷</i>) 今天,“芯片”产业项目签约。</textarea></pre><script>alert(5)</script>结束。\n'
)
HOSTILE_HEADLINE = '<script>alert("x")</script>芯片新闻{{7|add:1}}'
HOSTILE_BODY = ('昨天,<img src=x onerror=alert(1)>芯片产业大会举行。详情见<a href="javascript:alert(2)">点我</a>'
                '和javascript:alert(3)。模板{{ 7|add:1 }}{% now "Y" %}不会执行。')
CATALOG = ("file,publication,medium,city,district,issue_date,page\n"
           f"\"{SOURCE_NAME}\",\"{PUBLICATION}\",print,常州,<i>武进区</i>,2024-05-01,"
           "A1<script>alert(7)</script>\n")

# Markup that must never reach a page as markup.
LIVE = ["<script>alert", "<img src=x", "<svg/onload", "<a href=\"javascript:", "<i>黄雅婷", "<i>武进区",
        "<b onmouseover", "<b>page", "</textarea></pre>", "<script>alert(8)"]
# A javascript: URL in an attribute of a real tag (escaped text, &lt;a href="javascript:…"&gt;, is fine).
JS_URL = re.compile(r"""<[a-z][^<>]*\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""",
                    re.IGNORECASE)


def assert_inert(content: str, where: str) -> None:
    for markup in LIVE:
        assert markup not in content, f"{markup!r} rendered live on {where}"
    assert not JS_URL.search(content), f"javascript: URL on {where}"


@pytest.fixture
def hostile(tmp_path) -> Article:
    (tmp_path / SOURCE_NAME).write_text(PAGE_TEXT, encoding="utf-8")
    (tmp_path / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0, no_progress=True)
    section = Section.objects.get(source_name=SOURCE_NAME)
    article = section.articles.get(position=1)
    # The ingest takes markup out of articles (it stays in the section's raw text); an editor may
    # still type it into any field, so every field gets some, as if edited in the admin.
    article.headline = HOSTILE_HEADLINE
    article.body = HOSTILE_BODY
    article.kicker = '<svg/onload=alert(4)>引题'
    article.subheadline = '<a href="javascript:alert(2)">副题</a>'
    article.bylines = ["<script>alert(8)</script>", "朱梦琪"]
    article.origin = "<img src=x onerror=alert(9)>"
    article.save()
    outbox.flush()
    return article


def test_markup_on_a_page_is_kept_in_the_source_and_out_of_the_articles(tmp_path):
    (tmp_path / SOURCE_NAME).write_text(PAGE_TEXT, encoding="utf-8")
    (tmp_path / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    call_command("ingest", str(tmp_path), verbosity=0, no_progress=True)
    section = Section.objects.get(source_name=SOURCE_NAME)
    first, second = section.articles.order_by("position")
    assert first.headline == "芯片产业报道"
    assert "<" not in first.body and "alert(2)" not in first.body and "点我" in first.body
    assert second.headline == "第二篇<svg/onload=alert(4)>芯片报道"  # not a whole tag: kept, and escaped on output
    assert section.raw_text == PAGE_TEXT


def test_the_hostile_page_was_stored(hostile):
    assert hostile.headline == HOSTILE_HEADLINE
    assert '<img src=x onerror=alert(1)>' in hostile.body
    assert hostile.section.publication.name == PUBLICATION
    assert hostile.section.page_label == "A1<script>alert(7)</script>"
    assert hostile.section.raw_text == PAGE_TEXT


def test_public_pages_escape_page_text(client, hostile):
    pages = {
        "home": reverse("archive:home"),
        "listing": reverse("archive:article_list"),
        "listing by publication": reverse("archive:article_list") + "?publication=" + PUBLICATION,
        "search": reverse("search:search") + "?q=芯片",
        "search in tags": reverse("search:search") + "?q=script",
        "article": reverse("archive:article", args=[hostile.pk]),
        "second article": reverse("archive:article", args=[hostile.section.articles.get(position=2).pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        assert_inert(content, name)
        assert "&lt;" in content, f"{name} does not show the hostile text at all"
    article_page = client.get(pages["article"]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;芯片新闻{{7|add:1}}" in article_page
    assert "模板{{ 7|add:1 }}{% now &quot;Y&quot; %}不会执行" in article_page
    # the raw source
    assert "&lt;/textarea&gt;&lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;" in article_page
    assert "hostile&lt;b&gt;page.txt" in article_page
    results = client.get(pages["search"]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;<mark>芯片</mark>" in results
    assert "&lt;<mark>script</mark>&gt;" in client.get(pages["search in tags"]).content.decode()


def test_query_parameters_are_escaped_where_they_are_shown(client, hostile):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(1)>{{ 7|add:1 }}'
    for url, params in [
        (reverse("search:search"), {"q": payload}),
        (reverse("search:search"), {"q": "芯片", "city": payload[:50], "publication": payload}),
        (reverse("archive:article_list"), {"city": payload[:50], "district": "<i>武进区</i>"}),
        (reverse("archive:article_list"), {"kind": payload}),  # 400: the message repeats the value
        (reverse("search:search"), {"q": "芯片", "sort": payload}),  # 400 as well
        (reverse("archive:article_list"), {"year": payload, "date_from": payload}),
    ]:
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params)
        content = response.content.decode()
        assert_inert(content, f"{url} {params}")
        assert "&lt;script&gt;" in content or response.status_code == 400 and "&quot;" in content


def test_json_highlights_are_escaped(client, hostile):
    rows = client.get(reverse("archive:api_article_list"), {"q": "芯片", "page_size": 100}).json()["results"]
    row = next(row for row in rows if row["id"] == hostile.pk)
    assert row["headline"] == hostile.headline  # data stays data in JSON
    assert row["headline_html"].startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<mark>芯片</mark>")
    for row in rows:
        for name in ("headline_html", "snippet_html"):
            assert "<" not in re.sub(r"</?mark>", "", row[name])


def test_admin_escapes_page_text(admin_client, hostile):
    run = IngestRun.objects.first()
    publication = Publication.objects.get(name=PUBLICATION)
    pages = {
        "article list": reverse("admin:archive_article_changelist"),
        "article search": reverse("admin:archive_article_changelist") + "?q=%3Cscript%3E",
        "article form": reverse("admin:archive_article_change", args=[hostile.pk]),
        "section list": reverse("admin:archive_section_changelist"),
        "section form (raw text)": reverse("admin:archive_section_change", args=[hostile.section_id]),
        "publication list": reverse("admin:archive_publication_changelist"),
        "publication form": reverse("admin:archive_publication_change", args=[publication.pk]),
        "ingest run": reverse("admin:archive_ingestrun_change", args=[run.pk]),
        "delete confirmation": reverse("admin:archive_article_delete", args=[hostile.pk]),
    }
    for name, url in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        assert_inert(content, f"admin {name}")
    form = admin_client.get(pages["article form"]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;芯片新闻{{7|add:1}}" in form
    section = admin_client.get(pages["section form (raw text)"]).content.decode()
    assert "&lt;/textarea&gt;&lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;" in section


# -- every public route ---------------------------------------------------------------
def _routes(patterns, prefix="") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "i18n/")):
                continue
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def _candidate_paths(route: str, hostile: Article) -> list[str]:
    """Concrete paths for a route, trying each object the archive has for its parameters."""
    section = hostile.section
    # Any row of any archive model (entities, industries, … as they come), plus the hostile page's own.
    some_rows = {model.objects.order_by("pk").values_list("pk", flat=True).first()
                 for model in apps.get_app_config("archive").get_models()} - {None}
    values = {
        "int:pk": {hostile.pk, section.pk, section.publication_id} | some_rows,
        "int:year": {2024}, "int:month": {5}, "int:day": {1},
        "str:issue": {"2024-05-01", "20240501", "2024-05-01-A1"},
    }
    paths = [route]
    for parameter in re.findall(r"<([^>]+)>", route):
        options = values.get(parameter) or (
            {hostile.pk} if parameter.startswith("int:") else {"2024-05-01", "芯片"})
        paths = [path.replace(f"<{parameter}>", str(value), 1) for path in paths for value in options]
    return ["/" + path.lstrip("^").rstrip("$") for path in paths]


def test_every_public_route_is_inert(client, hostile):
    """Feeds, sitemaps, browse and entity pages, and whatever comes next, with the hostile page loaded."""
    checked = 0
    for route, _ in _routes(get_resolver().url_patterns):
        if "(?P" in route or route.startswith(("static", "media")):
            continue
        for path in _candidate_paths(route, hostile):
            for query in ("", "?q=芯片", "?q=%3Cscript%3Ealert(1)%3C/script%3E"):
                response = client.get(path + query)
                assert response.status_code < 500, path + query
                kind = response.get("Content-Type", "")
                if response.status_code == 200 and ("html" in kind or "xml" in kind):
                    assert_inert(response.content.decode(), path + query)
                    checked += 1
    assert checked >= 10


# -- the highlighter, whatever the text and the words ---------------------------------------
TEXT = st.text(alphabet=st.sampled_from(list("<>&\"'/= 芯片半导体scriptonerorimg{}%\n")), max_size=200)
WORDS = st.lists(st.sampled_from(["芯片", "<", "script", "&", "\"", "<script>", "片半", "on"]), max_size=4)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXT, words=WORDS)
def test_highlight_and_snippet_escape_everything_but_mark(text, words):
    flat = text.replace("\n", " ")
    for rendered, original in ((highlight(text, words), text), (snippet(text, words, size=40), flat)):
        bare = re.sub(r"</?mark>", "", str(rendered))
        assert "<" not in bare and ">" not in bare
        assert html.unescape(bare).strip("…") in original
