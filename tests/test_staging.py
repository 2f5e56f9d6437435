"""Large index batches are built beside the index and attached under a short lock
(search/engines/whoosh/staging.py): the index stays writable meanwhile, old entries are replaced,
and an edit indexed while the batch was being built is not overwritten by it."""
from __future__ import annotations

import os

import pytest
from django.urls import reverse

from archive.models import Article
from search.engines.whoosh import staging
from search.engines.whoosh.fileformat import segments_of
from search.indexing import consistency, outbox

pytestmark = [pytest.mark.django_db, pytest.mark.database]

API = reverse("archive:api_article_list")


def found(client, query: str) -> set[int]:
    return {row["id"] for row in client.get(API, {"q": query, "page_size": 100}).json()["results"]}


@pytest.fixture(params=[2, 500], ids=["two-processes", "one-process"])
def staged_batches(monkeypatch, request):
    """Batches of two articles or more take the staged path (normally from STAGED_FROM = 50),
    analysed by two processes or (below staging.PARALLEL_FROM) one."""
    monkeypatch.setattr(outbox, "STAGED_FROM", 2)
    monkeypatch.setattr(staging, "PARALLEL_FROM", request.param)


def test_a_staged_batch_replaces_the_old_entries(client, seeded, staged_batches):
    article = Article.objects.get(headline="中国电科来锡考察")
    Article.objects.filter(pk=article.pk).update(headline="中国电科来锡洽谈量子芯片")
    ids = list(Article.objects.values_list("pk", flat=True))
    outbox.write_articles(ids)
    assert outbox.backend().document_count() == len(ids) == 18
    assert found(client, "headline:量子芯片") == {article.pk}
    assert article.pk not in found(client, "headline:考察")
    assert not any(staging.staging_root(outbox.backend().path).iterdir())  # the staging folder is gone
    assert consistency.find_drift().clean


def test_the_index_can_be_written_while_a_batch_is_built(client, seeded, staged_batches, monkeypatch):
    """An admin save's index write goes through during the build, and, being newer, survives the attach."""
    edited = Article.objects.get(headline="中国电科来锡考察")
    build = staging.build_segments
    seen = {}

    def build_then_edit(search_backend, documents, count, *options):
        folder, segments = build(search_backend, documents, count, *options)  # holds the old headline
        Article.objects.filter(pk=edited.pk).update(headline="中国电科来锡洽谈量子芯片")
        with search_backend.writer(timeout=0):  # would raise LockError if the batch held the lock
            seen["lock free"] = True
        outbox.write_articles([edited.pk])  # one article: the ordinary, locked path
        return folder, segments

    monkeypatch.setattr(staging, "build_segments", build_then_edit)
    ids = list(Article.objects.values_list("pk", flat=True))
    outbox.write_articles(ids)
    assert seen == {"lock free": True}
    assert found(client, "headline:量子芯片") == {edited.pk}
    assert edited.pk not in found(client, "headline:考察")
    assert outbox.backend().document_count() == 18
    assert consistency.find_drift().clean


def test_a_batch_asked_for_one_process_is_one_segment(seeded, monkeypatch):
    """What the ingest's background child asks for while the parent still parses."""
    monkeypatch.setattr(outbox, "STAGED_FROM", 2)
    monkeypatch.setattr(staging, "PARALLEL_FROM", 2)
    before = len(segments_of(outbox.backend().index))
    ids = list(Article.objects.values_list("pk", flat=True))
    outbox.write_articles(ids, processes=1)
    assert len(segments_of(outbox.backend().index)) == before + 1
    outbox.write_articles(ids, processes=2)
    assert len(segments_of(outbox.backend().index)) == before + 3
    assert outbox.backend().document_count() == 18
    assert consistency.find_drift().clean


def test_garbage_collection_is_back_on_after_a_staged_batch(seeded, monkeypatch):
    import gc

    monkeypatch.setattr(outbox, "STAGED_FROM", 2)
    ids = list(Article.objects.values_list("pk", flat=True))
    outbox.write_articles(ids)
    assert gc.isenabled()
    monkeypatch.setattr(staging, "build_segments", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        outbox.write_articles(ids)
    assert gc.isenabled()


def test_abandoned_staging_folders_are_removed(seeded):
    root = staging.staging_root(outbox.backend().path)
    dead = root / "999999999-deadbeef"
    mine = root / f"{os.getpid()}-cafebabe"
    dead.mkdir(parents=True)
    mine.mkdir()
    staging.remove_abandoned(outbox.backend().path)
    assert not dead.exists() and mine.exists()
    mine.rmdir()


def test_ordinary_commits_merge_only_small_segments(seeded):
    from whoosh.filedb.filestore import RamStorage

    schema = outbox.backend().schema
    ix = RamStorage().create_index(schema)
    for number in range(staging.MERGE_WHEN):
        writer = ix.writer()
        writer.add_document(id=f"archive.article.{number}", django_ct="archive.article", django_id=str(number))
        writer.commit(mergetype=staging.merge_small_segments)
    assert len(segments_of(ix)) == staging.MERGE_WHEN  # not yet: the policy sees the segments already there
    writer = ix.writer()
    writer.add_document(id="archive.article.99", django_ct="archive.article", django_id="99")
    writer.commit(mergetype=staging.merge_small_segments)
    assert len(segments_of(ix)) == 1 and ix.doc_count() == staging.MERGE_WHEN + 1


def test_an_article_deleted_while_a_batch_is_built_stays_deleted(client, seeded, staged_batches, monkeypatch):
    gone = Article.objects.get(headline__startswith="摩尔线程")
    build = staging.build_segments

    def build_then_delete(search_backend, documents, count, *options):
        folder, segments = build(search_backend, documents, count, *options)  # still holds the article
        Article.objects.filter(pk=gone.pk).delete()
        outbox.write_articles([gone.pk])  # its entry removed by the ordinary path
        return folder, segments

    monkeypatch.setattr(staging, "build_segments", build_then_delete)
    outbox.write_articles(list(Article.objects.values_list("pk", flat=True)))
    assert gone.pk not in found(client, "摩尔线程")
    assert outbox.backend().document_count() == 17
    assert consistency.find_drift().clean


def test_ordinary_commits_leave_larger_segments_to_compact_index(client, seeded):
    """Segments of TINY_SEGMENT documents or more are not merged by saves; compact_index merges
    them, and search finds the same articles afterwards."""
    from io import StringIO

    from django.core.management import call_command

    search_backend = outbox.backend()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 6):  # three more segments of 6 (18 seed articles)
        outbox.write_articles(ids[start:start + 6])
    sizes = [segment.doc_count_all() for segment in segments_of(search_backend.index)]
    assert len(sizes) >= 3 and all(size >= 6 for size in sizes)
    before = found(client, "武进")
    out = StringIO()
    call_command("compact_index", "--below", "100", stdout=out)
    assert len(segments_of(search_backend.index)) == 1
    assert f"Segments: {len(sizes)} before, 1 after" in out.getvalue()
    assert found(client, "武进") == before and before
    assert search_backend.document_count() == 18 and consistency.find_drift().clean


def test_compact_index_refuses_a_nonsense_size(seeded):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 2"):
        call_command("compact_index", "--below", "1")


def test_compact_index_gives_up_cleanly_when_the_index_is_busy(seeded):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    other_writer = outbox.backend().index.writer()
    try:
        with pytest.raises(CommandError, match="busy"):
            call_command("compact_index", "--timeout", "0.1")
    finally:
        other_writer.cancel()
    assert outbox.backend().document_count() == 18
