"""Writers at the same moment on PostgreSQL lose nothing.

SQLite lets one writer in at a time (the settings begin every transaction IMMEDIATE), so
these interleavings cannot happen there; PostgreSQL lets transactions run side by side:

- the outbox: a row numbered before a flush read the queue but committed after it
  (sequences number rows at insert, not at commit) stays queued, and its change reaches
  the index;
- the ingest: an editor's save of an article while a re-ingest of its page is between
  reading the article and writing it waits for the ingest, and is kept, marked edited.

Each interleaving is set up step by step with a second thread (a connection of its own);
nothing waits on the clock but the poll for "the other thread finished or waits for a lock".
"""
from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from archive.ingest import loader
from archive.models import Article
from search.indexing import consistency, outbox
from search.models import PendingIndexChange
from tests.test_admin import change_form_data

pytestmark = [
    pytest.mark.database,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time"),
]

API = reverse("archive:api_article_list")
WAIT = 30.0  # seconds before a step that never comes fails the test


def found(client, query: str) -> set[int]:
    return {row["id"] for row in client.get(API, {"q": query, "page_size": 100}).json()["results"]}


class OtherWriter:
    """`work` in another thread, on a connection of its own; with `hold`, its transaction is
    kept open after `work` until `commit()`."""

    def __init__(self, work: Callable[[], object], hold: bool = False) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self.worked, self.done, self._commit = threading.Event(), threading.Event(), threading.Event()
        self._work, self._hold = work, hold
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            if self._hold:
                with transaction.atomic():
                    self.result = self._work()
                    self.worked.set()
                    assert self._commit.wait(WAIT), "never told to commit"
            else:
                self.result = self._work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread by finish()
            self.error = exc
        finally:
            connections.close_all()
            self.worked.set()
            self.done.set()

    def commit(self) -> None:
        self._commit.set()
        self.finish()

    def finish(self) -> object:
        assert self.done.wait(WAIT), "the other writer did not finish"
        if self.error is not None:
            raise self.error
        return self.result

    def finished_or_blocked(self) -> None:
        """Return once the other writer has finished, or waits for a lock this thread's transaction holds."""
        deadline = time.monotonic() + WAIT
        while not self.done.is_set():
            with connection.cursor() as cursor:  # pg_locks is read live (pg_stat_activity is cached per transaction)
                cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted"
                               " AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))")
                if cursor.fetchone()[0]:
                    return
            assert time.monotonic() < deadline, "the other writer neither finished nor waited for a lock"
            self.done.wait(0.01)


def test_a_row_committed_after_a_flush_read_the_outbox_stays_queued(client, seeded, monkeypatch):
    first, second = Article.objects.order_by("pk")[:2]

    def save(article: Article, word: str) -> None:
        article.headline = f"{word}{article.headline}"
        with outbox.deferred():  # queued, not flushed: the bulk ingest's way (or an editor's, the index busy)
            article.save()

    earlier = OtherWriter(lambda: save(first, "量子芯片"), hold=True)  # its row is numbered first …
    assert earlier.worked.wait(WAIT)
    save(second, "氢能")  # … this one's after it, and committed
    real_write = outbox.write_articles

    def commit_the_earlier_then_write(ids, **options):
        earlier.commit()  # between the flush's reading of the queue and its deleting of the rows read
        real_write(ids, **options)

    monkeypatch.setattr(outbox, "write_articles", commit_the_earlier_then_write)
    assert outbox.flush_batch(100) == 1
    monkeypatch.undo()
    assert PendingIndexChange.objects.filter(article_id=first.pk).exists()
    outbox.flush()
    assert found(client, "headline:量子芯片") == {first.pk} and found(client, "headline:氢能") == {second.pk}
    assert consistency.find_drift().clean


def test_an_editors_save_during_a_reingest_of_its_page_is_kept(admin_client, client, seeded, tmp_path, monkeypatch):
    article = Article.objects.get(headline="中国电科来锡考察")
    seeds = tmp_path / "seeds"
    shutil.copytree(django_settings.ARCHIVE_SEEDS_DIR, seeds)  # the catalog beside the page comes along
    page = seeds / article.section.source_name
    page.write_text(page.read_text(encoding="utf-8").replace("与无锡合作30多年来", "与无锡合作40多年来"),
                    encoding="utf-8")
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = change_form_data(article, headline="中国电科来锡洽谈量子芯片")
    editor: list[OtherWriter] = []
    real_source_keys = loader.source_keys

    def edit_while_the_page_is_read(parsed):
        if not editor:  # the ingest has read the page's articles and writes them next
            editor.append(OtherWriter(lambda: admin_client.post(url, form)))
            editor[0].finished_or_blocked()
        return real_source_keys(parsed)

    monkeypatch.setattr(loader, "source_keys", edit_while_the_page_is_read)
    call_command("ingest", str(page), verbosity=0, no_progress=True)
    assert editor and editor[0].finish().status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body, article.edited) == (form["headline"], form["body"], True)
    outbox.flush()
    assert found(client, "headline:量子芯片") == {article.pk}
    assert consistency.find_drift().clean
