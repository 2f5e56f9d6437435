"""Serving: static files through whitenoise, the WSGI entry point gunicorn runs,
and the error pages (400/404/500) in the site's style, in Chinese."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_whitenoise_serves_collected_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "css" / "site.css").exists() and (tmp_path / "js" / "site.js").exists()
    client = Client()  # a new handler, so whitenoise reads the new STATIC_ROOT
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "Cache-Control" in response and "max-age" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith("/* 江苏".encode())
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_wsgi_application_for_gunicorn():
    from archive.wsgi import application

    assert callable(application)


def test_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'class="site-header"' in html and "/static/css/site.css" in html
    assert 'action="/search/"' in html  # a way on


def test_400_page_without_request_context():
    request = RequestFactory().get("/")
    response = defaults.bad_request(request, Exception("bad"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and 'class="site-header"' in html


def test_500_page_is_standalone():
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错" in html and "/static/css/site.css" in html and 'class="site-header"' in html
    assert "{%" not in html


def test_500_through_the_stack(client, monkeypatch):
    import archive.views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(archive.views.listing, "counts_by_city", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
