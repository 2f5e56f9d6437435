"""Deployment security: `check --deploy` passes in production mode, no default
secret key is ever used there, the TLS-proxy settings work, every form has
CSRF protection, and the admin is the only way to change data.

Production settings are read at import time from the environment, so those
tests run Django in a separate process with the environment set.
"""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from archive.models import Article, IngestRun, Publication, Section
from tests.subprocess_helpers import PYTHON, ROOT, manage, migrated_data_dir, subprocess_env
from tests.test_admin import change_form_data

HOST = "archive.example.org"


def production_env(**extra: str) -> dict[str, str]:
    return {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "DJANGO_ALLOWED_HOSTS": HOST,
            **extra}


def run_python(code: str, data_dir: Path, **env: str):
    import subprocess

    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=subprocess_env(data_dir, **env),
                          capture_output=True, text=True, timeout=120)


# -- production mode -------------------------------------------------------------------
@pytest.mark.parametrize("extra", [{}, {"DJANGO_BEHIND_TLS_PROXY": "1"}], ids=["direct", "behind-tls-proxy"])
def test_deploy_check_passes_in_production_mode(tmp_path, extra):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production_env(**extra))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "   ", "django-insecure-" + "x" * 50],
                         ids=["unset", "blank", "insecure-default"])
def test_production_refuses_to_start_without_a_real_key(tmp_path, key):
    env = production_env(DJANGO_SECRET_KEY=key)
    for command in (["check"], ["runserver", "--noreload", "127.0.0.1:0"]):
        result = manage(command, tmp_path, timeout=60, **env)
        assert result.returncode != 0
        assert "ImproperlyConfigured: DJANGO_SECRET_KEY" in result.stderr
    wsgi = run_python("import archive.wsgi", tmp_path, **env)
    assert wsgi.returncode != 0 and "ImproperlyConfigured: DJANGO_SECRET_KEY" in wsgi.stderr
    assert not (tmp_path / "local-secret-key").exists()  # nor was a local key made up for it


SETTINGS_PROBE = """
import json, django
from django.conf import settings as s
django.setup()
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SESSION_COOKIE_HTTPONLY")}))
"""


def test_production_settings_are_secure_by_default_and_configurable(tmp_path):
    env = production_env()
    result = run_python(SETTINGS_PROBE, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False and values["SECRET_KEY"] == env["DJANGO_SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] == [HOST]
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_HSTS_PRELOAD"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert not (tmp_path / "local-secret-key").exists()

    # A proxy that terminates TLS, redirects and sends HSTS itself: each can be turned off.
    result = run_python(SETTINGS_PROBE, tmp_path, **production_env(
        DJANGO_BEHIND_TLS_PROXY="1", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_HSTS_SECONDS="0",
        DJANGO_HSTS_PRELOAD="0"))
    values = json.loads(result.stdout)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is True  # cookies stay secure: the browser sees https


REQUEST_PROBE = f"""
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="{HOST}")
plain = client.get("/admin/login/")
tls = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
cookie = tls.cookies.get("csrftoken")
language = client.post("/i18n/setlang/", {{"language": "en", "next": "/"}}, HTTP_X_FORWARDED_PROTO="https")
script = client.get("/?script=hant", HTTP_X_FORWARDED_PROTO="https")
later = [language.cookies.get("django_language"), script.cookies.get("archive_script")]
print(json.dumps({{
    "plain": [plain.status_code, plain.get("Location", "")],
    "tls": [tls.status_code, tls.get("Strict-Transport-Security", ""), tls.get("X-Frame-Options", ""),
            tls.get("X-Content-Type-Options", "")],
    "cookie": [bool(cookie and cookie["secure"]), bool(cookie and cookie["samesite"])],
    "other_cookies": [[bool(c and c["secure"]), c and c["samesite"]] for c in later],
    "policies": [tls.get("Content-Security-Policy", ""), tls.get("Permissions-Policy", "")],
    "other_host": Client(HTTP_HOST="evil.example.com").get("/", HTTP_X_FORWARDED_PROTO="https").status_code,
}}))
"""


def test_behind_a_tls_proxy_http_is_redirected_and_https_is_served_with_hsts(tmp_path):
    data_dir = migrated_data_dir(tmp_path / "data")
    result = run_python(REQUEST_PROBE, data_dir, **production_env(DJANGO_BEHIND_TLS_PROXY="1"))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["plain"] == [301, f"https://{HOST}/admin/login/"]
    status, hsts, frame, sniff = seen["tls"]
    assert status == 200 and "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert (frame, sniff) == ("DENY", "nosniff")
    assert seen["cookie"] == [True, True]
    assert seen["other_cookies"] == [[True, "Lax"], [True, "Lax"]]  # the language and 简/繁 cookies too
    csp, permissions = seen["policies"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "camera=()" in permissions
    assert seen["other_host"] == 400  # not in DJANGO_ALLOWED_HOSTS


# -- CSRF on every form -----------------------------------------------------------------
FORM_RE = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL | re.IGNORECASE)
POST_RE = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)


def test_every_post_form_in_the_templates_has_a_csrf_token():
    folders = django_settings.TEMPLATES[0]["DIRS"]
    templates = [path for folder in folders for path in Path(folder).rglob("*.html")]
    templates += list(Path(ROOT).glob("*/templates/**/*.html"))
    assert templates
    for path in templates:
        for form in FORM_RE.findall(path.read_text(encoding="utf-8")):
            if POST_RE.search(form.split(">", 1)[0]):
                assert "{% csrf_token %}" in form, f"POST form without csrf_token in {path}"


def test_csrf_protection_is_on_and_never_exempted():
    assert "django.middleware.csrf.CsrfViewMiddleware" in django_settings.MIDDLEWARE
    for folder in ("archive", "search"):
        for path in (Path(ROOT) / folder).rglob("*.py"):
            assert "csrf_exempt" not in path.read_text(encoding="utf-8"), path


def _public_paths(article: Article) -> list[str]:
    paths = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if not str(entry.pattern).startswith("admin/"):
                    walk(entry.url_patterns, prefix + str(entry.pattern))
                continue
            route = prefix + str(entry.pattern)
            if "(?P" in route:
                continue
            route = re.sub(r"<int:\w+>", str(article.pk), route)
            route = re.sub(r"<str:\w+>", "2024-05-01", route)
            paths.append("/" + route)

    walk(get_resolver().url_patterns)
    return paths


def _data_snapshot() -> tuple:
    return (
        list(Article.objects.order_by("pk").values_list("pk", "headline", "body", "updated_at")),
        Section.objects.count(), Publication.objects.count(), IngestRun.objects.count(),
    )


@pytest.mark.django_db
def test_only_the_admin_changes_data(client, admin_client, seeded):
    """Every other route refuses writes (even with a valid CSRF token), and changes nothing."""
    article = Article.objects.first()
    before = _data_snapshot()
    guarded = Client(enforce_csrf_checks=True)
    paths = _public_paths(article)
    assert len(paths) >= 5
    for path in paths:
        assert guarded.post(path, {"headline": "x"}).status_code == 403, path  # no token: refused
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(path, {"headline": "改", "body": "改", "pk": article.pk})
            assert response.status_code < 500, (method.__name__, path)
    assert _data_snapshot() == before

    # The admin needs a login and a CSRF token; with both, the change goes through.
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = change_form_data(article, headline="编辑改过的标题")
    assert Client().post(url, data).status_code == 302 and _data_snapshot() == before  # to the login page
    admin_guarded = Client(enforce_csrf_checks=True)
    admin_guarded.force_login(_admin_user())
    assert admin_guarded.post(url, data).status_code == 403 and _data_snapshot() == before
    form = admin_guarded.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert admin_guarded.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    article.refresh_from_db()
    assert article.headline == "编辑改过的标题" and article.edited


def _admin_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(is_superuser=True)


@pytest.mark.django_db
def test_rendered_post_forms_carry_a_token(admin_client, seeded):
    article = Article.objects.first()
    pages = [reverse("admin:archive_article_change", args=[article.pk]),
             reverse("admin:archive_article_changelist"),
             reverse("admin:archive_section_change", args=[article.section_id])]
    pages += [path for path in _public_paths(article) if not path.startswith(("/api/", "/i18n/"))]
    post_forms = 0
    for path in pages:
        response = admin_client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM_RE.findall(response.content.decode()):
            if POST_RE.search(form.split(">", 1)[0]):
                post_forms += 1
                assert 'name="csrfmiddlewaretoken"' in form, f"POST form without a token on {path}"
    assert post_forms >= 3
