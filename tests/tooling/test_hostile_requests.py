"""manage.py hostile_requests: a small budget against the seeded archive answers no 5xx, every
kind of request is sent, and a 5xx fails the run."""
from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from search.tooling import hostile
from search.tooling.hostile import HostileRequest, check, hostile_requests, send

pytestmark = pytest.mark.django_db

KINDS = {"control characters", "xss", "odd values", "too many parameters", "bad encoding", "path traversal",
         "odd ids", "overlong", "methods", "headers"}


def test_a_small_budget_against_the_seeded_archive(seeded, tmp_path, capsys):
    figures = tmp_path / "hostile.json"
    call_command("hostile_requests", "--requests", "500", "--json", str(figures))
    out = capsys.readouterr().out
    assert "500 hostile requests in" in out and "no 5xx, no payload reflected" in out
    report = json.loads(figures.read_text(encoding="utf-8"))
    assert report["requests"] == 500 and report["failures"] == []
    assert set(report["by_kind"]) == KINDS
    statuses = {int(status) for status in report["by_status"]}
    assert {200, 400, 404} <= statuses and max(statuses) < 500


def test_the_same_seed_sends_the_same_requests(seeded):
    first = [(r.method, r.path, r.body) for r in hostile_requests(300, seed=5)]
    assert first == [(r.method, r.path, r.body) for r in hostile_requests(300, seed=5)]
    assert first != [(r.method, r.path, r.body) for r in hostile_requests(300, seed=6)]
    heads = {path for method, path, _ in first if method == "HEAD"}
    assert {"/", "/admin/login/", "/search/feed/", "/sitemap.xml", "/api/articles/"} <= heads


def test_a_5xx_or_a_reflected_payload_fails_the_run(monkeypatch):
    monkeypatch.setattr("archive.forms.controls_as_spaces", lambda text: text)  # the fix undone
    monkeypatch.setattr("archive.feeds.clean", lambda text: text)
    broken = HostileRequest("control characters", "GET", "/articles/feed/?city=%1B")
    response = send(Client(raise_request_exception=False), broken)
    assert check(broken, response) == "500 (UnserializableContentError: Control characters are not supported in XML 1.0)"
    monkeypatch.setattr(hostile, "hostile_requests", lambda budget, seed: iter([broken] * budget))
    with pytest.raises(CommandError, match=r"2 request\(s\) failed \(2 answered 5xx\)"):
        call_command("hostile_requests", "--requests", "2")

    class Reflecting:
        status_code = 200
        streaming = False
        content = b"<p>" + hostile.XSS[1].encode() + b"</p>"

        def get(self, name, default=""):
            return "text/html; charset=utf-8"

    assert check(HostileRequest("xss", "GET", "/"), Reflecting()) == "an XSS payload is in the page unescaped"
