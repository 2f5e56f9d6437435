"""The Whoosh internals search/engines/whoosh/fileformat.py relies on, pinned for the Whoosh
version requirements.txt names: an upgrade that changes any of them fails here first."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
import whoosh
from whoosh import codec as whoosh_codec
from whoosh import system
from whoosh.codec import whoosh3
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.compound import SubFile
from whoosh.index import FileIndex

from search.engines.whoosh import fileformat

PINNED = (2, 7, 4)


@pytest.fixture
def small_index(tmp_path):
    """An on-disk index of 300 documents written through the archive's storage and codec."""
    storage = fileformat.ArchiveFileStorage(str(tmp_path))
    index = storage.create_index(Schema(id=ID(stored=True), body=TEXT(phrase=True)))
    writer = index.writer(codec=fileformat.codec())
    for number in range(300):
        words = ["common"] + (["rare"] if number % 7 == 0 else [])
        writer.add_document(id=str(number), body=" ".join(words))
    writer.commit()
    with index.searcher() as searcher:
        yield index, searcher


def test_the_pinned_version():
    assert whoosh.__version__ == PINNED, "a new Whoosh: check every assumption below, then move the pin"


def test_module_level_names():
    assert system._INT_SIZE == 4
    assert whoosh3._lenfield("body") != "body" and isinstance(whoosh3._lenfield("body"), str)
    assert isinstance(whoosh3.WHOOSH3_HEADER_MAGIC, bytes) and whoosh3.LENGTHS_COLUMN is not None
    assert whoosh_codec.default_codec().__class__ is whoosh3.W3Codec


def test_classes_have_the_private_methods_used():
    for name in ("_write_block", "_mini_ids", "_mini_weights", "_mini_values", "_new_block"):
        assert callable(getattr(whoosh3.W3PostingsWriter, name)), name
    for name in ("_read_data", "_goto"):
        assert callable(getattr(whoosh3.W3LeafMatcher, name)), name
    assert callable(FileIndex._segments)
    assert inspect.signature(whoosh3.W3PostingsWriter._write_block).parameters.keys() == {"self", "last"}


def test_readers_and_writers_have_the_private_attributes_used(small_index):
    index, searcher = small_index
    reader = searcher.reader()
    assert isinstance(reader._terms._postfile.file, SubFile)
    assert isinstance(reader._text_to_bytes("body", "common"), bytes)
    assert fileformat.lengths_column(reader, "body") is not None
    sub = reader._terms._postfile.file
    assert sub._file.fileno() >= 0 and sub._offset >= 0
    writer = index.writer(codec=fileformat.codec())
    try:
        field_writer = writer.codec.field_writer(writer.storage, writer.newsegment)
        field_writer.start_field("body", index.schema["body"])
        parts = fileformat.term_writer_parts(field_writer)
        assert parts.block_limit > 0 and parts.compression == 0 and parts.term_index is not None
        field_writer.finish_field()
        field_writer.close()
    finally:
        writer.cancel()
    assert [segment.doc_count_all() for segment in fileformat.segments_of(index)] == [300]


def test_posting_blocks_read_back_as_whoosh_reads_them(small_index):
    """A posting list over several blocks, read by fileformat.blocks, gives Whoosh's own ids."""
    _index, searcher = small_index
    reader = searcher.reader()
    for word in ("common", "rare"):
        info = fileformat.term_info(reader, "body", word)
        offset, length = info.extent()
        length = length[0] if isinstance(length, tuple) else length
        postings = fileformat.open_postings_at(reader, "body", word, (info.doc_frequency(), offset, length))
        assert isinstance(postings, fileformat.DiskPostings)
        ids: list[int] = []
        last = -1
        for count, max_id, (block_ids, _weights, _values) in fileformat.blocks(postings):
            docs = np.cumsum(np.asarray(block_ids, dtype=np.int64)).tolist()  # each block's ids count from 0
            assert len(docs) == count and docs[-1] == max_id and docs[0] > last
            ids += docs
            last = max_id
        assert ids[-1] == last
        assert sorted(set(ids)) == list(reader.postings("body", word).all_ids())


def test_a_segment_file_keeps_its_columns_in_memory(small_index, tmp_path):
    """The `__class__` swap: a compound segment file opens as one whose column files are
    read into memory."""
    index, _searcher = small_index
    storage = fileformat.ArchiveFileStorage(str(tmp_path))
    (segment,) = fileformat.segments_of(index)
    with storage.open_file(segment.make_filename(".seg")) as handle:
        assert type(handle).__name__ == "_SegmentFile"
