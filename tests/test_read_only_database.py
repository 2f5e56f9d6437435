"""A SQLite data folder the web server cannot write: the database is opened read-only, pages
serve, and a request that tries to write answers 503 with a sentence, not a 500. (Tests run as
root, whom a chmod does not stop: the read-only case is chosen by ARCHIVE_DATABASE_READ_ONLY or
by a patched os.access.)"""
from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from archive.settings import sqlite
from tests.subprocess_helpers import PYTHON, ROOT, manage, migrated_data_dir, postgres_server, subprocess_env

VISITS = textwrap.dedent("""
    import json, django
    django.setup()
    from django.db import connection
    from django.test import Client
    from archive.models import Article
    client = Client()
    article = Article.objects.order_by("pk").first()
    pages = {path: client.get(path).status_code
             for path in ["/", "/articles/", "/search/?q=%E8%8A%AF%E7%89%87", article.get_absolute_url()]}
    login = client.post("/admin/login/", {"username": "editor", "password": "a-long-pass-phrase-26"})
    print(json.dumps({"pages": pages, "login": login.status_code, "login_page": login.content.decode(),
                      "name": connection.settings_dict["NAME"]}))
""")


def test_read_only_when_the_folder_cannot_be_written(monkeypatch, tmp_path):
    monkeypatch.delenv("ARCHIVE_DATABASE_READ_ONLY", raising=False)
    database = tmp_path / "archive.sqlite3"
    assert not sqlite.read_only_wanted(database)
    monkeypatch.setattr(sqlite.os, "access", lambda path, mode: Path(path) != tmp_path)
    assert sqlite.read_only_wanted(database)
    monkeypatch.setenv("ARCHIVE_DATABASE_READ_ONLY", "0")
    assert not sqlite.read_only_wanted(database)


def test_read_only_settings_read_a_wal_left_beside_the_database(tmp_path):
    database = tmp_path / "archive 1.sqlite3"
    settings = sqlite.connection_settings(database, read_only=True)
    assert settings["NAME"] == f"file:{tmp_path}/archive%201.sqlite3?mode=ro&immutable=1"
    assert "init_command" not in settings["OPTIONS"]  # journal_mode=WAL would be a write
    Path(f"{database}-wal").write_bytes(b"")
    assert sqlite.connection_settings(database, read_only=True)["NAME"].endswith("?mode=ro")


@pytest.mark.skipif(bool(postgres_server()), reason="SQLite only")
def test_pages_serve_from_a_read_only_database_and_writes_answer_503(tmp_path, settings):
    data_dir = migrated_data_dir(tmp_path / "data")
    seed = sorted(Path(settings.ARCHIVE_SEEDS_DIR).glob("*.txt"))[0]
    assert manage(["ingest", str(seed), "--no-progress"], data_dir).returncode == 0
    made = manage(["createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"], data_dir,
                  DJANGO_SUPERUSER_PASSWORD="a-long-pass-phrase-26")
    assert made.returncode == 0, made.stderr
    before = (data_dir / "archive.sqlite3").read_bytes()

    run = subprocess.run([PYTHON, "-c", VISITS], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=subprocess_env(data_dir, ARCHIVE_DATABASE_READ_ONLY="1"))
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["name"].startswith("file:") and "mode=ro" in seen["name"]
    assert seen["pages"] == dict.fromkeys(seen["pages"], 200)
    assert seen["login"] == 503 and "数据库目前只能读取" in seen["login_page"]
    assert (data_dir / "archive.sqlite3").read_bytes() == before
