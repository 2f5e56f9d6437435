"""The index follows the database: admin saves and deletes are searchable as
soon as they commit, rollbacks leave nothing, a busy index loses nothing."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from archive.models import Article
from search.indexing import outbox
from search.models import PendingIndexChange
from tests.test_admin import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.database]

API = reverse("archive:api_article_list")


def found(client, query: str) -> set[int]:
    return {row["id"] for row in client.get(API, {"q": query, "page_size": 100}).json()["results"]}


def test_ingest_indexes_everything(seeded):
    assert outbox.pending_count() == 0
    assert outbox.backend().document_count() == Article.objects.count() == 18


def test_admin_edit_is_searchable_after_commit(admin_client, client, seeded, django_capture_on_commit_callbacks):
    article = Article.objects.get(headline="中国电科来锡考察")
    url = reverse("admin:archive_article_change", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, change_form_data(article, headline="中国电科来锡洽谈量子芯片"))
    assert response.status_code == 302
    assert found(client, "headline:量子芯片") == {article.pk}
    assert article.pk not in found(client, "headline:考察")
    assert outbox.pending_count() == 0


def test_admin_delete_is_gone_after_commit(admin_client, client, seeded, django_capture_on_commit_callbacks):
    article = Article.objects.get(headline__startswith="摩尔线程")
    assert article.pk in found(client, "摩尔线程")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:archive_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert found(client, "摩尔线程") == set()


def test_rolled_back_save_leaves_no_trace(client, seeded, django_capture_on_commit_callbacks):
    article = Article.objects.get(headline="中国电科来锡考察")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            article.headline = "幽灵标题"
            article.save()
            raise RuntimeError("editor's save failed")
    assert callbacks == []
    assert not PendingIndexChange.objects.exists()
    outbox.flush()
    assert found(client, "幽灵标题") == set()


def test_delete_while_another_writer_holds_the_index(client, seeded, settings, django_capture_on_commit_callbacks):
    settings.SEARCH_COMMIT_FLUSH_TIMEOUT = 0.2
    article = Article.objects.get(headline__startswith="摩尔线程")
    article_pk = article.pk
    other_writer = outbox.backend().index.writer()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            article.delete()
        queued = set(PendingIndexChange.objects.values_list("article_id", flat=True))
        assert queued == {article_pk}  # queued, not lost
    finally:
        other_writer.cancel()
    assert outbox.flush() == 1
    assert found(client, "摩尔线程") == set()


def test_ingest_flushes_changes_queued_by_others(settings, client, seeded):
    article = Article.objects.get(headline="中国电科来锡考察")
    Article.objects.filter(pk=article.pk).update(headline="中国电科来锡参观")
    PendingIndexChange.objects.create(article_id=article.pk)
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR / "000_8ab7af27befc82c2.txt"), verbosity=0)
    assert outbox.pending_count() == 0
    assert found(client, "headline:参观") == {article.pk}


def test_rebuild_and_update_index_commands(client, seeded):
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert outbox.backend().document_count() == 18
    assert len(found(client, "恽淇丞")) == 6
    Article.objects.filter(headline="中国电科来锡考察").update(headline="中国电科来锡交流")
    call_command("update_index", verbosity=0)
    assert len(found(client, "headline:交流")) == 1
    assert outbox.backend().document_count() == 18


def test_a_save_writes_a_short_queue_but_leaves_a_bulk_backlog(client, seeded, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    """After a save its own article is searchable; what an earlier save left queued is written
    with it, but a longer queue (a bulk ingest's backlog) is left for the ingest to write."""
    monkeypatch.setattr(outbox, "FOLLOW_UP_ARTICLES", 3)
    left, backlog, edited = Article.objects.order_by("pk")[:3]
    Article.objects.filter(pk=left.pk).update(headline="qzleft 上次保存留下的标题")
    PendingIndexChange.objects.create(article_id=left.pk)
    with django_capture_on_commit_callbacks(execute=True):
        edited.headline = "qzedited 编辑改过的标题"
        edited.save()
    assert found(client, "headline:qzedited") == {edited.pk}
    assert found(client, "headline:qzleft") == {left.pk}  # a short queue: written too
    assert outbox.pending_count() == 0

    others = list(Article.objects.exclude(pk=edited.pk).values_list("pk", flat=True))[:5]
    Article.objects.filter(pk=backlog.pk).update(headline="qzbacklog 批量导入的标题")
    PendingIndexChange.objects.bulk_create(PendingIndexChange(article_id=pk) for pk in [backlog.pk, *others])
    with django_capture_on_commit_callbacks(execute=True):
        edited.headline = "qzagain 编辑再次改过的标题"
        edited.save()
    assert found(client, "headline:qzagain") == {edited.pk}
    assert found(client, "headline:qzbacklog") == set()  # the backlog waits for its own flush
    assert set(PendingIndexChange.objects.values_list("article_id", flat=True)) == {backlog.pk, *others}


def test_article_documents_are_read_a_chunk_at_a_time_in_id_order(seeded, monkeypatch, django_assert_num_queries):
    """A batch's documents, read lazily: one None in place of an article gone since it was queued,
    so that a split by position (search/engines/whoosh/segment_writer.py) gives each process the ids it was meant to."""
    monkeypatch.setattr(outbox.ArticleDocuments, "CHUNK", 4)
    ids = sorted(Article.objects.values_list("pk", flat=True))
    gone = ids[5]
    Article.objects.filter(pk=gone).delete()
    documents = outbox.ArticleDocuments(outbox.backend(), outbox.article_index(), ids)
    assert len(documents) == len(ids) == 18
    with django_assert_num_queries(0):
        second_half = documents[9:]  # a slice reads nothing yet
    read = list(documents)
    assert [doc and doc["django_id"] for doc in read] == [None if pk == gone else str(pk) for pk in ids]
    assert [doc["django_id"] for doc in second_half] == [str(pk) for pk in ids[9:]]
    assert documents[5] is None and documents[6]["django_id"] == str(ids[6])


def test_the_first_indexing_child_takes_what_is_queued_until_it_writes_a_full_batch(monkeypatch):
    """Beside the parsing, the first child starts with `first` articles queued instead of a full
    batch (one core idle meanwhile); from its first full batch on it writes only full ones."""
    import threading

    from search.indexing import background

    queued = [1000]
    arrivals = iter([1400, 2500, 6000, 3000])  # what the parsing queues while each batch is written
    written = []

    def flush_batch(articles, **options):
        taken = min(articles, queued[0])
        written.append(taken)
        queued[0] += next(arrivals, 0) - taken
        return taken

    monkeypatch.setattr(outbox, "forget_parent_connections", lambda: None)
    monkeypatch.setattr(outbox, "has_full_batch", lambda articles: queued[0] >= articles)
    monkeypatch.setattr(outbox, "flush_batch", flush_batch)
    background._flush_in_child(5000, 1000, threading.Event())
    assert written == [1000, 1400, 2500, 5000]
    assert queued == [4000]  # a partial batch is left once a full one has been written
    assert background.BackgroundFlusher(5000).first == 1000
    assert background.BackgroundFlusher(3, first=10).first == 3
