"""Faults of the machine, not of a page: a read-only data folder, a read-only index folder, a full
disk. Each gives one ERROR line naming the folder and the cause, a summary line and exit status
3, never a traceback, and loses nothing committed: articles the index missed stay queued and
`check_index --repair` writes them.

Tests may run as root, whom a folder's mode does not stop: the write points then fail as they
would (monkeypatched), instead of the test being skipped."""
from __future__ import annotations

import errno
import gc
import os
import re
import shutil
import subprocess
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import Model, QuerySet
from whoosh.filedb.filestore import FileStorage

from archive.models import Article, IngestRun, Section
from search.models import PendingIndexChange
from tests.subprocess_helpers import ROOT, manage_command, migrated_data_dir, subprocess_env
from tests.synthetic_pages import run_ingest, write_page

pytestmark = [pytest.mark.django_db]

INDEX_DIR = django_settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
DATA_DIR = str(django_settings.DATA_DIR)
AS_ROOT = os.geteuid() == 0


@pytest.fixture
def pages(tmp_path) -> Path:
    for number, place in enumerate(("武进", "江阴", "新北"), start=1):
        write_page(tmp_path / "pages" / f"{number}.txt", place, 2)
    return tmp_path / "pages"


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("ERROR")]


def index_fails(monkeypatch, code: int, in_folder: bool) -> None:
    """Every new index file fails to be created, as in a read-only or full index folder (a new
    error each time: one kept would keep the failed writer, and the index's lock, alive)."""
    def refuse(self, name, *args, **kwargs):
        raise OSError(code, os.strerror(code), os.path.join(INDEX_DIR, name) if in_folder else None)

    monkeypatch.setattr(FileStorage, "create_file", refuse)


def test_a_full_disk_while_storing_stops_with_one_line_and_keeps_what_was_committed(pages, monkeypatch):
    real_bulk_create = QuerySet.bulk_create
    calls = []

    def filling(self, objs, *args, **kwargs):
        if self.model is Article:
            calls.append(1)
            if len(calls) == 2:
                raise OperationalError("database or disk is full")
        return real_bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", filling)
    status, output = run_ingest(pages)
    assert status == 3, output
    assert "Traceback" not in output
    assert error_lines(output) == [
        f"ERROR {DATA_DIR}: cannot write the database: no space left on the disk; the run stopped; "
        "the files loaded before it are stored, the one it was writing is not"]
    assert "Ingested 1 file(s) before stopping (0 failed, 0 updated): 2 article(s) created" in output
    assert list(Section.objects.values_list("source_name", flat=True)) == ["1.txt"]
    assert Article.objects.count() == 2
    monkeypatch.setattr(QuerySet, "bulk_create", real_bulk_create)
    status, output = run_ingest(pages)  # once there is room, a re-run loads the rest
    assert status == 0 and "4 article(s) created" in output, output


def test_a_read_only_data_folder_gives_one_line_and_exit_status_3(pages, monkeypatch):
    def read_only(self, *args, **kwargs):
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Model, "save_base", read_only)
    status, output = run_ingest(pages)
    assert status == 3, output
    assert "Traceback" not in output
    assert error_lines(output) == [
        f"ERROR {DATA_DIR}: cannot write the database: read-only: the database or its folder cannot be written; "
        "the run stopped before its first file: nothing was changed"]
    assert "Ingested 0 file(s) before stopping" in output
    assert not Section.objects.exists()


@pytest.mark.parametrize("code, in_folder, cause", [
    (errno.EACCES, True, "permission denied (the folder is not writable)"),
    (errno.ENOSPC, False, "no space left on the disk"),
])
def test_an_index_that_cannot_be_written_leaves_the_articles_queued_for_the_repair(
        pages, monkeypatch, code, in_folder, cause):
    index_fails(monkeypatch, code, in_folder)
    status, output = run_ingest(pages)
    assert status == 3, output
    assert "Traceback" not in output
    assert error_lines(output) == [
        f"ERROR {INDEX_DIR}: cannot write the search index: {cause}; 6 article(s) created or updated in this run "
        "are stored and queued for the index: run manage.py check_index --repair once it can be written"]
    assert re.search(r"^Ingested 3 file\(s\) \(0 failed, 0 updated\): 6 article\(s\) created", output, re.MULTILINE)
    assert Article.objects.count() == 6 and IngestRun.objects.get().finished_at is not None
    assert set(PendingIndexChange.objects.values_list("article_id", flat=True)) == set(
        Article.objects.values_list("pk", flat=True))
    monkeypatch.undo()  # the folder is writable again
    gc.collect()  # the failed writer's lock, which the ingest's process releases when it exits
    out = StringIO()
    call_command("check_index", "--repair", stdout=out, stderr=StringIO())
    assert not PendingIndexChange.objects.exists()
    call_command("check_index", stdout=out, stderr=StringIO())  # exits 1 (CommandError) on any drift
    assert "0 missing, 0 stale, 0 orphaned" in out.getvalue()


def test_the_real_command_in_a_read_only_data_folder(pages):
    """A real read-only folder and a real process. Root writes whatever a folder's mode says, so
    as root the command runs as an unprivileged user (setpriv)."""
    if AS_ROOT and shutil.which("setpriv") is None:
        pytest.skip("root without setpriv: covered in-process by test_a_read_only_data_folder_gives_one_line…")
    base = Path(tempfile.mkdtemp(prefix="archive-read-only-"))
    base.chmod(0o755)  # reachable by the unprivileged user
    data_dir = migrated_data_dir(base / "data")
    shutil.copytree(pages, base / "pages")
    # a folder used before: its key and static folder made (the settings make them on first use)
    (data_dir / "local-secret-key").write_text("a-key-for-this-test-only", encoding="utf-8")
    (data_dir / "staticfiles").mkdir(exist_ok=True)
    read_only = [*data_dir.rglob("*"), data_dir]
    try:
        for path in read_only:
            path.chmod(0o555 if path.is_dir() else 0o444)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if AS_ROOT else []
        result = subprocess.run(as_user + manage_command(["ingest", str(base / "pages"), "--no-progress"]),
                                cwd=ROOT, env=subprocess_env(data_dir), capture_output=True, text=True, timeout=180)
    finally:
        for path in read_only:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert error_lines(result.stderr) == [
        f"ERROR {data_dir}: cannot write the database: read-only: the database or its folder cannot be written; "
        "the run stopped before its first file: nothing was changed"]
    assert "Ingested 0 file(s) before stopping" in result.stdout
