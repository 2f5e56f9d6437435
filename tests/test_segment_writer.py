"""search/engines/whoosh/segment_writer.py writes the segment Whoosh's own writer would write for the same
documents: every term, posting, weight, position value, field length, stored field
and column, for the project's real schema and the seed articles."""
from __future__ import annotations

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import SegmentReader

from archive.models import Article
from search.engines.whoosh import segment_writer
from search.engines.whoosh.fileformat import ArchiveFileStorage, codec
from search.indexing import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_documents(seeded) -> list[dict]:
    index, backend = outbox.article_index(), outbox.backend()
    docs = [backend.document(index, article) for article in index.index_queryset()]
    # a Traditional text, a repeated word (positions), letters and numbers, an empty multi-value
    docs.append({**docs[0], "id": "archive.article.999", "django_id": "999",
                 "text": "武進(jìn)區 5G 半導體 半導體 iPhone16", "headline": "半導體", "chars": "武進區半導體",
                 "company": "常州银河半导体,常州银河半导体"})
    return docs


def _whoosh_segment(schema, docs, with_codec=None):
    """Written by Whoosh's own SegmentWriter (stock W3 unless `with_codec`)."""
    storage = RamStorage()
    index = storage.create_index(schema)
    writer = index.writer(codec=with_codec or W3Codec(compression=0))
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return storage, index._read_toc().segments[0]


def _built_segment(schema, docs, two: bool, folder):
    """Written to files: the second process of a two-process build writes its own."""
    storage = ArchiveFileStorage(str(folder))
    build = segment_writer.build_in_two if two else segment_writer.build
    return storage, build(storage, schema, "MAIN", codec(), docs)


def _contents(reader: SegmentReader) -> dict:
    postings = {}
    for fieldname, btext in reader.all_terms():
        info = reader.term_info(fieldname, btext)
        matcher = reader.postings(fieldname, btext)
        rows = []
        while matcher.is_active():
            rows.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        postings[(fieldname, btext)] = (info.weight(), info.doc_frequency(), info.min_length(),
                                        info.max_length(), info.max_weight(), info.min_id(), info.max_id(), rows)
    fields = sorted(reader.schema.names())
    return {
        "postings": postings,
        "stored": [reader.stored_fields(doc) for doc in range(reader.doc_count_all())],
        "lengths": {name: [reader.doc_field_length(doc, name) for doc in range(reader.doc_count_all())]
                    for name in fields},
        "totals": {name: reader.field_length(name) for name in fields},
        "columns": {name: list(reader.column_reader(name)) for name in fields if reader.has_column(name)},
    }


def _read(storage, schema, segment) -> dict:
    reader = SegmentReader(storage, schema, segment)
    try:
        return _contents(reader)
    finally:
        reader.close()


@pytest.mark.parametrize("copies", [1, 16], ids=["seeds", "posting-lists-over-several-blocks"])
def test_a_built_segment_matches_whooshs_own(seed_documents, tmp_path, copies):
    """16 copies: common terms have over 300 postings, past Whoosh's 128-posting blocks."""
    schema = outbox.backend().schema
    seed_documents = [{**doc, "id": f"{doc['id']}.{copy}"} for copy in range(copies) for doc in seed_documents]
    whoosh_storage, whoosh_segment = _whoosh_segment(schema, seed_documents)
    expected = _read(whoosh_storage, schema, whoosh_segment)
    storage, built = _built_segment(schema, seed_documents, False, tmp_path)
    assert len(built) == 1 and built[0].doc_count_all() == len(seed_documents)
    actual = _read(storage, schema, built[0])
    assert actual["postings"].keys() == expected["postings"].keys()
    assert actual == expected
    assert ("text", "半导体".encode()) in actual["postings"]  # the Traditional text was folded
    longest = max(len(rows) for *_stats, rows in actual["postings"].values())
    assert longest == len(seed_documents) > 128 or copies == 1


def test_two_processes_split_the_batch_in_order(seed_documents, tmp_path):
    schema = outbox.backend().schema
    storage, built = _built_segment(schema, seed_documents, True, tmp_path)
    assert [segment.doc_count_all() for segment in built] == [len(seed_documents) // 2,
                                                              len(seed_documents) - len(seed_documents) // 2]
    identifiers = []
    for segment in built:
        identifiers += [row["id"] for row in _read(storage, schema, segment)["stored"]]
    assert identifiers == [doc["id"] for doc in seed_documents]


def _stored_ids(storage, schema, built) -> list[list[str]]:
    return [[row["id"] for row in _read(storage, schema, segment)["stored"]] for segment in built]


def test_a_one_process_build_takes_a_second_once_it_may(seed_documents, tmp_path, monkeypatch):
    """An ingest's indexing child asks, every few documents, whether the parsing is over; from
    then on the rest of its batch is shared with a second process."""
    monkeypatch.setattr(segment_writer, "SPLIT_CHECK", 4)
    monkeypatch.setattr(segment_writer, "MIN_SPLIT", 2)
    answers = iter([False, False])  # the third look (after 8 documents) finds a free core
    schema = outbox.backend().schema
    storage = ArchiveFileStorage(str(tmp_path))
    built = segment_writer.build_in_two(storage, schema, "MAIN", codec(), seed_documents,
                                  split_when=lambda: next(answers, True))
    rest = len(seed_documents) - 8
    assert [segment.doc_count_all() for segment in built] == [8 + rest // 2, rest - rest // 2]
    assert sum(_stored_ids(storage, schema, built), []) == [doc["id"] for doc in seed_documents]


def test_a_one_process_build_that_never_may_split_writes_one_segment(seed_documents, tmp_path, monkeypatch):
    monkeypatch.setattr(segment_writer, "SPLIT_CHECK", 4)
    monkeypatch.setattr(segment_writer, "MIN_SPLIT", 2)
    schema = outbox.backend().schema
    storage = ArchiveFileStorage(str(tmp_path))
    built = segment_writer.build_in_two(storage, schema, "MAIN", codec(), seed_documents, split_when=lambda: False)
    assert _stored_ids(storage, schema, built) == [[doc["id"] for doc in seed_documents]]


def test_too_few_documents_left_are_not_split(seed_documents, tmp_path, monkeypatch):
    monkeypatch.setattr(segment_writer, "SPLIT_CHECK", 4)
    monkeypatch.setattr(segment_writer, "MIN_SPLIT", len(seed_documents) - 3)  # enough at the first look only
    answers = iter([False])  # a free core from the second look on, when 4 fewer documents are left
    schema = outbox.backend().schema
    storage = ArchiveFileStorage(str(tmp_path))
    built = segment_writer.build_in_two(storage, schema, "MAIN", codec(), seed_documents,
                                  split_when=lambda: next(answers, True))
    assert [segment.doc_count_all() for segment in built] == [len(seed_documents)]


def test_documents_gone_before_the_build_are_skipped_without_moving_the_split(seed_documents, tmp_path):
    """A lazy batch gives None for an article deleted since it was queued; the split is by
    position, so every remaining document is written once, in order, by one of the processes."""
    with_gaps = [None if i in (1, 12) else doc for i, doc in enumerate(seed_documents)]
    schema = outbox.backend().schema
    storage = ArchiveFileStorage(str(tmp_path))
    built = segment_writer.build_in_two(storage, schema, "MAIN", codec(), with_gaps)
    half = len(with_gaps) // 2
    assert _stored_ids(storage, schema, built) == [
        [doc["id"] for doc in with_gaps[:half] if doc], [doc["id"] for doc in with_gaps[half:] if doc]]


def test_an_unknown_field_is_refused(seeded):
    from whoosh.fields import UnknownFieldError

    schema = outbox.backend().schema
    builder = segment_writer.SegmentBuilder(RamStorage(), schema, "MAIN", codec())
    with pytest.raises(UnknownFieldError):
        builder.add_document(id="archive.article.1", nonsense="x")


def test_a_failure_in_the_second_process_is_raised_in_the_first(seed_documents, tmp_path):
    schema = outbox.backend().schema
    broken = seed_documents + [{"id": "archive.article.1000", "nonsense": "x"}]
    with pytest.raises(RuntimeError, match="UnknownFieldError"):
        segment_writer.build_in_two(ArchiveFileStorage(str(tmp_path)), schema, "MAIN", codec(), broken)


def test_staged_batches_are_searchable_after_the_attach(client, seeded):
    """The ingest path end to end: seed articles rewritten as one staged batch are found."""
    ids = list(Article.objects.values_list("pk", flat=True))
    outbox._write_staged(outbox.backend(), outbox.article_index(), ids, timeout=None)
    response = client.get("/api/articles/", {"q": "武進"})
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_position_values_are_stored_as_bytes_not_protocol_2_calls(seed_documents, tmp_path):
    """Protocol 2 pickles each position value as a call to _codecs.encode (twice the bytes and
    eight times the load time of a bytes opcode). Neither the bulk builder nor Whoosh's writer
    with the archive's codec (merges) may write that, and both read back as stock W3 does."""
    schema = outbox.backend().schema
    protocol_2_bytes = b"_codecs\nencode"

    def written(storage) -> bytes:
        return b"".join(bytes(storage.files[name]) for name in storage.list())

    stock_storage, stock_segment = _whoosh_segment(schema, seed_documents)
    assert protocol_2_bytes in written(stock_storage)
    archive_storage, archive_segment = _whoosh_segment(schema, seed_documents, with_codec=codec())
    assert protocol_2_bytes not in written(archive_storage)
    assert _read(archive_storage, schema, archive_segment) == _read(stock_storage, schema, stock_segment)
    _built_segment(schema, seed_documents, False, tmp_path)
    built = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert built and protocol_2_bytes not in built
