"""Database and index stay consistent, and `check_index` proves it.

- `check_index` finds every kind of drift (missing, stale, orphaned entries;
  changes still queued) and `--repair` fixes it;
- admin edits and deletes made while another process holds the index writer
  (as a bulk ingest does) are queued, not lost, and reach the index once it
  is free: at the next ingest, the next admin save or `check_index --repair`;
- an ingest killed with SIGKILL — while loading files, and again while writing
  the index — is completed by a re-run, after which `check_index` finds no drift.
"""
from __future__ import annotations

import hashlib
import re
import signal
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from archive.ingest.parsing import parse_page
from archive.models import Article
from search.engines.whoosh.fileformat import segments_of
from search.indexing import outbox
from search.indexing.consistency import find_drift
from search.indexing.fingerprint import fingerprint
from search.models import PendingIndexChange
from tests.subprocess_helpers import PYTHON, ROOT, manage, manage_command, migrated_data_dir, subprocess_env
from tests.test_admin import change_form_data

pytestmark = pytest.mark.database

API = reverse("archive:api_article_list")
SUMMARY_RE = re.compile(
    r"(\d+) document\(s\) indexed for (\d+) article\(s\): (\d+) missing, (\d+) stale, (\d+) orphaned; "
    r"(\d+) change\(s\) queued"
)


def found(client, query: str) -> set[int]:
    response = client.get(API, {"q": query, "page_size": 100})
    return {row["id"] for row in response.json()["results"]}


def check_index(*args, **options) -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("check_index", *args, stdout=out, stderr=StringIO(), **options)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


def counts(output: str, label: str = "") -> dict[str, int]:
    line = next(line for line in output.splitlines() if line.startswith(label) and SUMMARY_RE.search(line))
    values = map(int, SUMMARY_RE.search(line).groups())
    return dict(zip(("documents", "articles", "missing", "stale", "orphaned", "queued"), values, strict=False))


# -- check_index and --repair ---------------------------------------------------------
@pytest.mark.django_db
def test_clean_index_passes(seeded):
    ok, output = check_index()
    assert ok, output
    assert counts(output) == {"documents": 18, "articles": 18, "missing": 0, "stale": 0, "orphaned": 0,
                              "queued": 0}


@pytest.mark.django_db
def test_every_kind_of_drift_is_found_and_repaired(client, seeded):
    missing, stale, queued = Article.objects.order_by("pk")[:3]
    search_backend = outbox.backend()
    with search_backend.writer() as writer:
        writer.delete_by_term("id", f"archive.article.{missing.pk}")  # an index restored from an old copy
        orphan = search_backend.document(outbox.article_index(), stale)
        orphan.update(id="archive.article.999999", django_id="999999")
        writer.update_document(**orphan)  # an article deleted behind the index's back
    Article.objects.filter(pk=stale.pk).update(headline="直接改库的标题")  # no signal, no outbox row
    queued.headline = "尚未写入索引的标题"
    queued.save()  # its outbox row is written; the after-commit flush never ran

    ok, output = check_index()
    assert not ok and "run `manage.py check_index --repair`" in output
    assert counts(output) == {"documents": 18, "articles": 18, "missing": 1, "stale": 2, "orphaned": 1,
                              "queued": 1}
    assert f"missing: {missing.pk}" in output and "orphaned: archive.article.999999" in output
    assert stale.pk not in found(client, "headline:直接改库")

    ok, output = check_index(repair=True)
    assert ok, output
    assert "Repaired: 1 queued change(s) applied, 2 entries re-written, 1 orphan(s) removed." in output
    assert counts(output, "Now") == {"documents": 18, "articles": 18, "missing": 0, "stale": 0, "orphaned": 0,
                                     "queued": 0}
    assert stale.pk in found(client, "headline:直接改库")
    assert queued.pk in found(client, "headline:尚未写入索引")
    assert missing.pk in found(client, missing.headline[:4])
    assert find_drift().clean and not PendingIndexChange.objects.exists()


@pytest.mark.django_db
def test_fingerprint_covers_what_is_indexed(seeded):
    article = Article.objects.first()
    index = outbox.article_index()
    before = outbox.backend().document(index, article)
    assert before["fingerprint"] == fingerprint(before, keep_empty=True)
    article.section.publication.name = "改名的出版物"
    after = outbox.backend().document(index, article)
    assert after["fingerprint"] != before["fingerprint"]  # a related change makes the entry stale too


@pytest.mark.django_db
def test_repair_gives_up_cleanly_when_the_index_is_busy(seeded):
    Article.objects.filter(pk=Article.objects.first().pk).update(headline="改过")
    other_writer = outbox.backend().index.writer()
    try:
        ok, output = check_index(repair=True, timeout=0.2)
    finally:
        other_writer.cancel()
    assert not ok and "the index is busy" in output
    assert check_index(repair=True)[0]


# -- admin changes while another process holds the writer --------------------------------
@pytest.fixture
def writer_held_elsewhere():
    """Another process (a bulk ingest, say) holds the Whoosh writer lock until the fixture ends it."""
    index_dir = django_settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    script = (
        "import sys\n"
        "from whoosh.filedb.filestore import FileStorage\n"
        "lock = FileStorage(sys.argv[1]).lock('MAIN_WRITELOCK')\n"
        "assert lock.acquire(blocking=False), 'index already locked'\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
        "lock.release()\n"
    )
    holder = subprocess.Popen([PYTHON, "-c", script, index_dir], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"

    def release():
        if holder.poll() is None:
            holder.stdin.close()
            holder.wait(timeout=30)

    yield release
    release()


# Real transactions: each admin request commits and runs its after-commit flush, as on a live site.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("next_writer", ["ingest", "admin save", "check_index --repair"])
def test_admin_changes_while_the_index_is_held_all_arrive(
    admin_client, client, seeded, settings, monkeypatch, writer_held_elsewhere, next_writer,
):
    settings.SEARCH_COMMIT_FLUSH_TIMEOUT = 0.1
    attempts = []
    real_flush = outbox.AfterCommitFlush.__call__
    monkeypatch.setattr(outbox.AfterCommitFlush, "__call__", lambda self: attempts.append(1) or real_flush(self))
    edited = Article.objects.get(headline="中国电科来锡考察")
    edited_too = Article.objects.get(headline="区政府第34次常务会议召开")
    deleted = Article.objects.get(headline__startswith="摩尔线程")
    deleted_too = Article.objects.get(headline="市领导走访我区重点文化企业")
    responses = [
        admin_client.post(reverse("admin:archive_article_change", args=[edited.pk]),
                          change_form_data(edited, headline="中国电科来锡洽谈量子芯片")),
        admin_client.post(reverse("admin:archive_article_change", args=[edited_too.pk]),
                          change_form_data(edited_too, body="常务会议研究了氢能产业。")),
        admin_client.post(reverse("admin:archive_article_delete", args=[deleted.pk]), {"post": "yes"}),
        admin_client.post(reverse("admin:archive_article_changelist"), {
            "action": "delete_selected", "_selected_action": [deleted_too.pk], "post": "yes"}),
    ]
    assert [response.status_code for response in responses] == [302] * 4  # the editor is never failed
    assert len(attempts) == 4  # one wait for the busy index per request, however many rows it queued
    changed = {edited.pk, edited_too.pk, deleted.pk, deleted_too.pk}
    assert changed <= set(PendingIndexChange.objects.values_list("article_id", flat=True))  # queued, not lost
    assert edited.pk not in found(client, "headline:量子芯片")  # the index is not written yet
    drift = find_drift()
    assert {edited.pk, edited_too.pk} <= set(drift.stale)
    assert {f"archive.article.{deleted.pk}", f"archive.article.{deleted_too.pk}"} <= set(drift.orphaned)

    writer_held_elsewhere()  # the bulk writer finishes
    if next_writer == "ingest":
        call_command("ingest", str(Path(django_settings.ARCHIVE_SEEDS_DIR) / "002_5dd86cec8ccd878f.txt"),
                     verbosity=0, no_progress=True)
    elif next_writer == "admin save":
        other = Article.objects.get(headline="盛蕾走访调研我区化合物半导体产业重点企业")
        admin_client.post(reverse("admin:archive_article_change", args=[other.pk]), change_form_data(other))
    else:
        assert check_index(repair=True)[0]

    assert outbox.pending_count() == 0
    assert edited.pk in found(client, "headline:量子芯片")
    assert edited_too.pk in found(client, "氢能")
    assert found(client, "摩尔线程") == set() and deleted_too.pk not in found(client, "文化企业")
    ok, output = check_index()
    assert ok, output


# -- SIGKILL in the middle of an ingest ------------------------------------------------------
def write_corpus(folder: Path, pages: int) -> int:
    """`pages` small one-article pages from the seeds' articles, with varied names; returns the article
    count."""
    folder.mkdir()
    seeds = sorted(Path(django_settings.ARCHIVE_SEEDS_DIR).glob("*.txt"))
    parsed = [parse_page(path.read_text(encoding="utf-8")) for path in seeds]
    articles = [article for page in parsed for article in page.articles if article.kind == "text"]
    total = 0
    for number in range(pages):
        article = articles[number % len(articles)]
        names = " ".join(article.bylines[:2]) or "朱梦琪"
        text = (f"## {article.headline}(之{number})\n\n本报讯 (记者 {names}) " + "\n\n".join(article.paragraphs[:3])
                + f"\n\n这是第{number}期报道。\n")
        digest = hashlib.sha1(text.encode()).hexdigest()[:10]
        (folder / f"{number:04d}_{digest}.txt").write_text(text, encoding="utf-8")
        total += len(parse_page(text).articles)
    return total


def ingest_and_kill(corpus: Path, data_dir: Path, kill_after_lines: int, **env: str) -> tuple[int, int]:
    """Run the ingest, SIGKILL it once it has reported `kill_after_lines` files; (lines seen, return code)."""
    process = subprocess.Popen(
        manage_command(["ingest", str(corpus), "-v", "2", "--no-progress"]), cwd=ROOT,
        env=subprocess_env(data_dir, **env), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    seen = 0
    for line in process.stdout:
        if line.startswith(("created", "unchanged", "updated")):
            seen += 1
            if seen >= kill_after_lines:
                process.send_signal(signal.SIGKILL)
                break
    process.stdout.close()
    return seen, process.wait(timeout=60)


@pytest.mark.slow
def test_killed_ingest_is_completed_by_a_rerun(tmp_path):
    pages = 300
    corpus = tmp_path / "corpus"
    expected_articles = write_corpus(corpus, pages)
    data_dir = migrated_data_dir(tmp_path / "data")

    # 1. Killed while loading files: a third of them are in the database, none in the index yet.
    seen, status = ingest_and_kill(corpus, data_dir, kill_after_lines=pages // 3)
    assert (seen, status) == (pages // 3, -signal.SIGKILL)
    check = manage(["check_index"], data_dir)
    assert check.returncode == 1 and "check_index --repair" in check.stderr
    drift = counts(check.stdout)
    assert drift["missing"] >= pages // 3 and drift["queued"] == drift["missing"]
    assert drift["stale"] == drift["orphaned"] == 0
    print(f"\nafter SIGKILL at file {seen}/{pages}: {drift}")

    # 2. Killed again right after its last file, while it writes the index.
    seen, status = ingest_and_kill(corpus, data_dir, kill_after_lines=pages)
    assert seen == pages and status in (-signal.SIGKILL, 0)
    print(f"second run killed after all {pages} files, return code {status}")

    # 3. A third run completes, and database and index agree.
    rerun = manage(["ingest", str(corpus), "--no-progress"], data_dir)
    assert rerun.returncode == 0, rerun.stderr
    finished = f"{pages} file(s) (0 failed" in rerun.stdout
    assert finished or rerun.stdout.startswith(f"Nothing changed: {pages} file(s)")
    check = manage(["check_index"], data_dir)
    assert check.returncode == 0, check.stdout + check.stderr
    assert counts(check.stdout) == {"documents": expected_articles, "articles": expected_articles,
                                    "missing": 0, "stale": 0, "orphaned": 0, "queued": 0}


@pytest.mark.slow
def test_indexing_beside_the_parsing_loses_nothing_even_when_killed(tmp_path):
    """With a small batch the ingest hands the outbox to child processes while it parses on."""
    pages = 200
    corpus = tmp_path / "corpus"
    expected_articles = write_corpus(corpus, pages)
    batch = {"ARCHIVE_INDEX_BATCH": "15"}

    whole = migrated_data_dir(tmp_path / "whole")
    run = manage(["ingest", str(corpus), "-v", "2", "--no-progress"], whole, **batch)
    assert run.returncode == 0, run.stderr
    started = int(run.stdout.split("index: ")[1].split()[0])
    assert started >= 1, run.stdout[-500:]
    check = manage(["check_index"], whole)
    assert check.returncode == 0, check.stdout + check.stderr
    assert counts(check.stdout)["documents"] == expected_articles

    killed = migrated_data_dir(tmp_path / "killed")
    seen, status = ingest_and_kill(corpus, killed, kill_after_lines=pages // 2, **batch)
    assert (seen, status) == (pages // 2, -signal.SIGKILL)
    rerun = manage(["ingest", str(corpus), "--no-progress"], killed, **batch)
    assert rerun.returncode == 0, rerun.stderr
    check = manage(["check_index"], killed)
    assert check.returncode == 0, check.stdout + check.stderr
    assert counts(check.stdout) == {"documents": expected_articles, "articles": expected_articles,
                                    "missing": 0, "stale": 0, "orphaned": 0, "queued": 0}


@pytest.mark.slow
def test_a_batch_shared_by_two_processes_is_read_by_both(tmp_path):
    """From ARCHIVE_INDEX_PARALLEL_FROM articles a batch is built by two processes, the forked
    one reading its half of the articles from the database over a connection of its own: each
    half becomes a segment, every article is indexed once."""
    from whoosh.index import open_dir

    corpus = tmp_path / "corpus"
    expected_articles = write_corpus(corpus, 60)  # 50 or more: a staged batch (search/indexing/outbox.py)
    data_dir = migrated_data_dir(tmp_path / "data")
    run = manage(["ingest", str(corpus), "--no-progress"], data_dir, ARCHIVE_INDEX_PARALLEL_FROM="20")
    assert run.returncode == 0, run.stderr
    check = manage(["check_index"], data_dir)
    assert counts(check.stdout) == {"documents": expected_articles, "articles": expected_articles,
                                    "missing": 0, "stale": 0, "orphaned": 0, "queued": 0}
    sizes = [segment.doc_count_all() for segment in segments_of(open_dir(str(data_dir / "whoosh-index")))]
    assert sorted(sizes) == [expected_articles // 2, expected_articles - expected_articles // 2]
