"""A damaged or lost search index: each kind of damage makes the search pages answer 503 (not a
500 or a silently empty page) while the other pages serve, `check_index` names it in one line and
exits non-zero, `check_index --repair` rebuilds it from the database, and search works again."""
from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from search.engines.base import IndexUnavailable
from search.engines.whoosh import integrity
from search.indexing import outbox
from search.models import PendingIndexChange
from tests.factories import make_article
from tests.test_i18n import switch_to

pytestmark = pytest.mark.django_db

UNAVAILABLE = "检索索引暂不可用"
QUERY = "芯片"


@pytest.fixture
def indexed():
    """Five articles, indexed; the index folder."""
    articles = [make_article(headline=f"常州芯片企业第{number}次扩产", body="芯片封装测试线投产。\n园区配套逐步完善。")
                for number in range(5)]
    outbox.flush()
    return articles, Path(outbox.backend().path)


def segment_file(folder: Path) -> Path:
    return next(folder.glob("*.seg"))


def corrupt(path: Path) -> None:
    """Random bytes over most of the file, its size unchanged (a fixed seed)."""
    data = bytearray(path.read_bytes())
    start, end = len(data) // 10, len(data) * 9 // 10
    data[start:end] = random.Random(26).randbytes(end - start)
    path.write_bytes(bytes(data))


DAMAGE = {
    "deleted segment": (lambda folder: segment_file(folder).unlink(), "segment file missing: MAIN_"),
    "truncated segment": (lambda folder: os.truncate(segment_file(folder), segment_file(folder).stat().st_size // 2),
                          "segment file truncated or grown: MAIN_"),
    "corrupted segment": (lambda folder: corrupt(segment_file(folder)), "segment file corrupted: MAIN_"),
    "0-byte TOC": (lambda folder: next(folder.glob("_MAIN_*.toc")).write_bytes(b""),
                   "table of contents unreadable: _MAIN_"),
    "corrupted TOC": (lambda folder: corrupt(next(folder.glob("_MAIN_*.toc"))), "table of contents unreadable: _MAIN_"),
    "deleted TOC": (lambda folder: next(folder.glob("_MAIN_*.toc")).unlink(), "index missing: "),
    "emptied folder": (lambda folder: [path.unlink() for path in folder.iterdir()], "index missing: "),
}


def check_index(*args: str) -> tuple[str, str | None]:
    out = io.StringIO()
    try:
        call_command("check_index", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


@pytest.mark.parametrize("kind", DAMAGE)
def test_damage_is_a_503_reported_and_repaired(client, indexed, kind):
    articles, folder = indexed
    damage, line = DAMAGE[kind]
    damage(folder)
    outbox.backend().reopen()  # a worker started after the damage

    page = client.get("/search/", {"q": QUERY})
    assert page.status_code == 503 and UNAVAILABLE in page.content.decode()
    api = client.get("/api/articles/", {"q": QUERY})
    assert api.status_code == 503 and UNAVAILABLE in api.json()["error"]
    assert client.get("/").status_code == 200  # pages that need no index serve
    assert client.get("/api/articles/").status_code == 200

    report, error = check_index()
    assert f"DAMAGED {line}" in report and "run `manage.py check_index --repair`" in error

    try:  # nothing to merge, or a sentence: never a traceback
        call_command("compact_index", stdout=io.StringIO())
    except CommandError as exc:
        assert "check_index --repair" in str(exc)

    report, error = check_index("--repair")
    assert error is None and "Files now: 1 segment(s), 5 document(s); whole." in report
    assert check_index()[1] is None
    assert client.get("/api/articles/", {"q": QUERY}).json()["count"] == 5


def test_every_search_url_answers_503_in_the_page_language(client, indexed):
    articles, folder = indexed
    segment_file(folder).unlink()
    outbox.backend().reopen()
    for path, params in [("/search/feed/", {"q": QUERY}), ("/api/articles/", {"q": QUERY, "format": "csv"}),
                         (articles[0].get_absolute_url(), {})]:
        answer = client.get(path, params)
        assert answer.status_code == 503 and UNAVAILABLE in answer.content.decode(), path
    switch_to(client, "en")
    english = client.get("/search/", {"q": QUERY})
    assert english.status_code == 503 and "The search index is unavailable" in english.content.decode()
    assert "MAIN_" not in english.content.decode()  # file names are the operator's (log, check_index)


def test_a_running_worker_reports_corruption_it_reads(client, indexed):
    """A worker that already opened the index finds the damage when a read fails."""
    _articles, folder = indexed
    assert client.get("/api/articles/", {"q": QUERY}).json()["count"] == 5
    corrupt(segment_file(folder))
    outbox.backend().forget_searcher()  # files are re-read (the open file handles kept the old bytes)
    assert client.get("/api/articles/", {"q": QUERY}).status_code == 503


@pytest.mark.parametrize("kind", DAMAGE)
def test_rebuild_index_rebuilds_any_damaged_index(client, indexed, kind):
    _articles, folder = indexed
    DAMAGE[kind][0](folder)
    outbox.backend().reopen()
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert client.get("/api/articles/", {"q": QUERY}).json()["count"] == 5
    assert check_index()[1] is None


def test_a_new_archive_without_an_index_searches_nothing(client, settings):
    """No articles yet: a missing index is created empty, not reported."""
    outbox.backend().reset()
    for path in Path(outbox.backend().path).iterdir():
        path.unlink()
    outbox.backend().reopen()
    assert client.get("/api/articles/", {"q": QUERY}).json()["count"] == 0
    assert check_index()[1] is None


def test_a_bug_is_not_mistaken_for_damage(client, indexed, monkeypatch):
    from search.engines.whoosh import matchset

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(matchset, "matches", broken)
    with pytest.raises(ValueError, match="a bug"):
        client.get("/api/articles/", {"q": QUERY})


def test_every_segment_gets_its_checksums_whichever_way_it_is_written(indexed, monkeypatch):
    _articles, folder = indexed  # written by Whoosh's writer under the lock
    monkeypatch.setattr(outbox, "STAGED_FROM", 3)
    outbox.write_articles([make_article(headline=f"无锡芯片设计第{n}期").pk for n in range(4)])  # staged
    call_command("compact_index", "--below", "100", verbosity=0)  # merged
    segments = {path.stem for path in folder.glob("*.seg")}
    assert segments and segments == {path.stem for path in folder.glob(f"*.{integrity.SIDECAR}")}
    assert check_index()[1] is None


def test_segments_written_before_checksums_are_read_checked_then_recorded(indexed):
    _articles, folder = indexed
    for sidecar in folder.glob(f"*.{integrity.SIDECAR}"):
        sidecar.unlink()
    report, error = check_index()
    assert error is None and "1 segment(s) without checksums" in report
    report, error = check_index("--repair")
    assert error is None and "Checksums recorded for 1 older segment(s)" in report
    assert "without checksums" not in check_index()[0]


def test_a_save_on_a_damaged_index_stays_queued(indexed, django_capture_on_commit_callbacks):
    articles, folder = indexed
    segment_file(folder).unlink()
    outbox.backend().reopen()
    with django_capture_on_commit_callbacks(execute=True):
        articles[0].headline = "常州芯片企业扩产完成"
        articles[0].save()
    assert PendingIndexChange.objects.filter(article_id=articles[0].pk).exists()
    with pytest.raises(IndexUnavailable):
        outbox.flush()
