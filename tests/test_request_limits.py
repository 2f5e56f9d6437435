"""What no request may do: crash a route with too many parameters, run inline code past the
Content-Security-Policy, or guess the admin password without being locked out."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver

from archive.request_limits import client_address
from tests.factories import make_article, make_publication, make_section

pytestmark = pytest.mark.django_db

TOO_MANY = "&".join(f"p{number}=1" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
SENTENCE = "请求的参数过多(超过 1000 个),无法处理;请检查链接后重试。"
PASSWORD = "a-long-test-password"


def every_route(pk: int) -> list[str]:
    """A concrete path for every route of the site, the admin's own included."""
    paths = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
                continue
            route = (prefix + str(entry.pattern)).lstrip("^").rstrip("$")
            if "(?P" in route or "\\" in route:
                continue
            route = re.sub(r"<int:\w+>", str(pk), route)
            paths.append("/" + re.sub(r"<(?:str:|path:)?\w+>", "articles", route))

    walk(get_resolver().url_patterns)
    return paths


def test_too_many_parameters_is_a_400_with_a_sentence_on_every_route():
    article = make_article(make_section(make_publication("常州日报", city="常州")))
    client = Client(raise_request_exception=False)
    paths = every_route(article.pk) + ["/static/css/site.css", "/no-such-page/"]
    assert {"/admin/login/", "/search/feed/", "/sitemap.xml", "/api/articles/"} <= set(paths)
    for path in paths:
        response = client.get(f"{path}?{TOO_MANY}")
        assert response.status_code == 400, path
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert SENTENCE in response.content.decode(), path
    # The same number of form fields in a POST body: Django's 400, rendered without reading them again.
    response = client.post("/admin/login/", TOO_MANY, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    under = "&".join(f"p{number}=1" for number in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS - 5))
    assert client.get(f"/articles/?{under}").status_code == 200  # unknown parameters below the limit are ignored


# -- headers ----------------------------------------------------------------------------------
TEMPLATE_ROOTS = [Path(folder) for folder in django_settings.TEMPLATES[0]["DIRS"]]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_holds_inline_script_or_style():
    """The Content-Security-Policy allows neither; the browser test checks the rendered pages."""
    templates = [path for root in TEMPLATE_ROOTS for path in root.rglob("*.html")]
    assert len(templates) > 20
    found = [f"{path}: {match.group(0)}" for path in templates
             for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
    assert INLINE.search('<span style="x">') and INLINE.search("<a onclick='x'>") and INLINE.search("<script>")
    assert not INLINE.search('<script src="/static/js/site.js" defer></script>')


def test_every_answer_carries_the_policies(client):
    article = make_article(make_section(make_publication("常州日报", city="常州")))
    for path in ("/", article.get_absolute_url(), "/articles/feed/", "/admin/login/", "/no-such-page/",
                 "/articles/?year=x", "/api/articles/", "/static/css/site.css", f"/?{TOO_MANY}"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_cookies_the_archive_sets_carry_samesite(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    language = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert language["samesite"] == "Lax" and language["httponly"]
    assert client.get("/?script=hant").cookies["archive_script"]["samesite"] == "Lax"
    login = client.get("/admin/login/")
    assert login.cookies["csrftoken"]["samesite"] == "Lax"
    # Secure comes with DJANGO_DEBUG=0: tests/test_security_settings.py runs production settings.
    assert django_settings.LANGUAGE_COOKIE_SECURE == django_settings.SESSION_COOKIE_SECURE


# -- admin login throttling ---------------------------------------------------------------------
def log_in(client: Client, password: str, address: str = "127.0.0.1"):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password},
                       REMOTE_ADDR=address)


def test_admin_login_locks_out_after_the_configured_failures(settings, caplog):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    client = Client()
    for _ in range(2):
        wrong = log_in(client, "guess")
        assert wrong.status_code == 200 and 'class="errornote"' in wrong.content.decode()
    with caplog.at_level(logging.WARNING, logger="axes"):
        locked = log_in(client, "guess")
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "连续 3 次登录失败" in page and "请在 15 分钟后再试" in page
    assert "Content-Security-Policy" in locked
    assert any(message.startswith("AXES: Locking out") and 'username: "editor"' in message
               and 'ip_address: "127.0.0.1"' in message and "guess" not in message
               for message in (record.getMessage() for record in caplog.records))

    # Locked: even the right password is refused, from that address; another address may log in.
    assert log_in(client, PASSWORD).status_code == 429
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Please try again in 15 minutes." in log_in(client, PASSWORD).content.decode()
    elsewhere = log_in(Client(), PASSWORD, address="10.0.0.9")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"

    call_command("axes_reset", verbosity=0)  # what an operator runs to lift every lock
    assert log_in(client, PASSWORD).status_code == 302


def test_successful_login_resets_the_count(settings):
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    client = Client()
    for _ in range(2):
        assert log_in(client, "guess").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert log_in(client, "guess").status_code == 200  # counted from zero again
    assert log_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("meta, expected", [
    ({"REMOTE_ADDR": "10.0.0.7"}, "10.0.0.7"),
    ({"REMOTE_ADDR": "::1"}, "::1"),
    ({}, None),  # a login made in code (force_login) has no peer
    ({"REMOTE_ADDR": "unknown"}, None),
])
def test_a_client_is_known_by_a_valid_address_or_none(rf, meta, expected):
    """django-axes stores the address in an address column, which PostgreSQL checks."""
    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert client_address(request) == expected
