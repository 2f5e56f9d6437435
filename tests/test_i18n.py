"""Language: Simplified Chinese by default (whatever the browser asks for),
English after the reader switches; the translation catalog is complete and
its compiled .mo matches the .po."""
from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def switch_to(client, language: str, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_chinese_by_default_even_for_english_browsers(client):
    make_article(headline="芯片产业")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "最新文章" in html and "Latest articles" not in html
    assert response["Content-Language"] == "zh-hans"
    assert 'name="language" value="en"' in html  # the switch offers English


def test_switch_to_english_and_back(client):
    article = make_article(headline="芯片产业", kind="photo")
    switch_to(client, "en", article.get_absolute_url())
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "Other articles on this page" in html and "Copy citation" in html and "Photo" in html
    assert "芯片产业" in html  # article text is never translated
    assert "同版其他文章" not in html
    html = client.get("/").content.decode()
    assert "Latest articles" in html and "Articles per month" in html
    assert 'name="language" value="zh-hans"' in html
    switch_to(client, "zh-hans")
    assert "最新文章" in client.get("/").content.decode()


def test_english_listing_chips_messages_and_dates(client):
    make_article(headline="芯片产业")
    switch_to(client, "en")
    response = client.get(reverse("archive:article_list"), {"city": "常州", "year": 2024, "month": 5})
    html = response.content.decode()
    assert {chip.label for chip in response.context["chips"]} == {"City", "Year", "Month"}
    assert "1 May 2024" in html  # dates in English form (archive/formats/en)
    response = client.get(reverse("archive:article_list"), {"month": 5})
    assert response.status_code == 400
    assert "Filtering by month needs a year as well." in response.content.decode()
    html = client.get(reverse("archive:browse_year", args=[2024])).content.decode()
    assert "<th scope=\"col\">Mon</th>" in html


def test_english_search_page(client, seeded):
    switch_to(client, "en")
    response = client.get(reverse("search:search"), {"q": "半导体", "city": "常州"})
    html = response.content.decode()
    assert "<title>“半导体” · City:常州 — 5 articles" in html
    assert "Query syntax" in html and "Sort:" in html
    assert "检索语法" not in html


def test_language_switch_needs_its_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 403
    html = client.get("/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and "Latest articles" in client.get("/").content.decode()


def test_set_language_refuses_unknown_languages(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def _po_entries(path: Path) -> dict[str, object]:
    """msgid (with context as 'ctx\\x04id') -> msgstr or list of plural msgstrs, from a --no-wrap .po."""
    entries: dict[str, object] = {}
    block: dict[str, object] = {}

    def unquote(value: str) -> str:
        return value.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    def flush():
        if block.get("msgid"):
            key = f"{block['msgctxt']}\x04{block['msgid']}" if "msgctxt" in block else block["msgid"]
            entries[key] = block.get("plural", block.get("msgstr"))
        block.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        if line.startswith("#,") and "fuzzy" in line and block == {}:
            block["fuzzy"] = True
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d)\]) "(.*)"$', line)
        if not match:
            continue
        kind, index, value = match.group(1), match.group(2), unquote(match.group(3))
        if index is not None:
            block.setdefault("plural", []).append(value)
        elif kind != "msgid_plural":
            block[kind] = value
    flush()
    return entries


def test_catalog_is_complete_and_compiled():
    po = LOCALE / "django.po"
    assert "#, fuzzy" not in po.read_text(encoding="utf-8").split('msgid ""', 2)[-1]
    entries = _po_entries(po)
    assert len(entries) > 100
    untranslated = [key for key, value in entries.items() if not value or (isinstance(value, list) and not all(value))]
    assert not untranslated, untranslated
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, value in entries.items():
        if isinstance(value, list):
            context, _, msgid = key.rpartition("\x04")
            assert compiled.ngettext(msgid, msgid, 1) == value[0], key
        elif "\x04" in key:
            context, _, msgid = key.partition("\x04")
            assert compiled.pgettext(context, msgid) == value, key
        else:
            assert compiled.gettext(key) == value, f"{key!r}: run manage.py compilemessages"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext not found (apt-get install gettext)")
def test_every_message_in_the_code_is_in_the_catalog(tmp_path, settings, monkeypatch):
    """What makemessages would find in the templates and the code: nothing the catalog lacks. It runs on
    a copy of the sources, since makemessages writes into the catalog beside the files it reads."""
    base = Path(settings.BASE_DIR)
    for folder in ("archive", "search", "templates"):
        shutil.copytree(base / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "data", "userdict"))
    catalog = tmp_path / "locale" / "en" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    shutil.copy(LOCALE / "django.po", catalog / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], verbosity=0, no_obsolete=True, no_wrap=True)
    missing = [key for key, value in _po_entries(catalog / "django.po").items()
               if not value or (isinstance(value, list) and not all(value))]
    assert missing == [], "\n".join(missing)
