"""Whoosh's on-disk format, read and written directly: the ONE module that knows it.

Everything here leans on Whoosh internals (private names: `_INT_SIZE`, `_lenfield`,
`reader._terms._postfile`, `SubFile._file`, the W3 matcher's `_read_data`/`_goto`,
`W3PostingsWriter._write_block`, `index._segments()`, a runtime `__class__` swap of a
segment file, …) for speed the public API cannot give: posting blocks read in large
positioned reads, segments written without Whoosh's general pool, column files kept in
memory. tests/test_whoosh_format.py pins these assumptions for the pinned Whoosh version,
and tests/test_code_health.py fails if a private Whoosh name appears anywhere else, so a
Whoosh upgrade fails loudly here and nowhere else.
"""
from __future__ import annotations

import io
import os
import pickle
import zlib
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import length_to_byte

# The protocol of a block's data tuple. Whoosh writes protocol 2, which has no opcode for
# bytes: each position value is pickled as a call to _codecs.encode, bigger and much slower
# to load than protocol 5's bytes (docs/performance.md). Whoosh reads any protocol.
DATA_PROTOCOL = 5


# -- storage: files and the codec --------------------------------------------------------
class _PositionTrackingFile:
    """A write-only file that knows its own position: Whoosh asks tell() after nearly
    every posting block, and a buffered file answers that with a system call."""

    def __init__(self, raw):
        self._raw = raw
        self._pos = raw.tell()

    def write(self, data) -> int:
        written = self._raw.write(data)
        self._pos += written
        return written

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _SegmentFile(StructFile):
    """A compound segment file whose column files (per-document values: dates, cities,
    story keys, field lengths) are read into memory when the segment is opened.
    Sorting, collapsing, faceting and scoring read one value per matching document;
    from the file each read was a seek and a read, most of a results page's time.
    Columns are a few bytes per document."""

    def subset(self, offset, length, name=None):
        if name and name.endswith(".col"):
            return BufferFile(self.get(offset, length), name=name)
        return super().subset(offset, length, name=name)


class ArchiveFileStorage(FileStorage):
    """File storage without mmap (mmap made Whoosh copy postings into memory on every
    open and tripled the web process's memory), whose new files track their own
    position and whose segments keep their columns in memory."""

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False)

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        structfile = super().create_file(name, excl=excl, mode=mode, **kwargs)
        if not excl and mode == "wb":
            structfile.file = _PositionTrackingFile(structfile.file)
        return structfile

    def open_file(self, name, **kwargs):
        structfile = super().open_file(name, **kwargs)
        if name.endswith(".seg") and type(structfile) is StructFile:
            structfile.__class__ = _SegmentFile
        return structfile


def codec() -> W3Codec:
    """Whoosh's codec with posting blocks stored uncompressed: decompressing was a large
    part of reading a posting list at query time, for a bigger index on disk."""
    return ArchiveCodec(compression=0)


class ArchiveCodec(W3Codec):
    """W3, with posting blocks pickled as search/engines/whoosh/segment_writer.py writes them (DATA_PROTOCOL), so
    segments Whoosh itself writes — merges, `compact_index`, small batches under the lock —
    load as fast as the bulk ones. Files stay readable by Whoosh's own W3 reader."""

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


class _PostingsWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        """One block as W3PostingsWriter writes it (header tag before the first, length with
        the last one's sign flipped, pickled block statistics, pickled data), only the data
        in DATA_PROTOCOL rather than protocol 2."""
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), DATA_PROTOCOL)
        if self._compression:
            data = zlib.compress(data, self._compression)
        ids = self._ids
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, self._compression,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        postfile.write_int(-size if last else size)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()


# -- reading posting lists ----------------------------------------------------------------
READ_AHEAD = 256 * 1024


@dataclass(frozen=True)
class DiskPostings:
    """Where a term's posting list is in its segment's file (operating-system file, offset, bytes)."""

    fd: int
    offset: int
    length: int


def open_postings_at(reader, fieldname: str, text: str, entry: tuple[int, int, int]):
    """A term's posting list in one segment: where it is in the segment file, else Whoosh's
    own matcher (postings inlined in the term's entry, an in-memory index). Raises
    TermNotFound. Whoosh's reader.postings() builds a matcher for every term and segment
    (a dozen small reads of the list's header and first block, and a set of the segment's
    deleted documents for a wrapper), a cost that grows with the number of segments. Only
    the term's entry is needed to find the list."""
    frequency, offset, length = entry
    if not frequency:
        raise TermNotFound(f"{fieldname}:{text!r}")
    if offset >= 0:
        raw = raw_file(reader._terms._postfile)
        if raw is not None:
            return DiskPostings(raw[0], raw[1] + offset, length)
    matcher = reader.postings(fieldname, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def blocks(matcher: DiskPostings | W3LeafMatcher, wanted: np.ndarray | None = None):
    """(postings, last id, (ids, weights, values)) of each block of a term's posting list.
    With `wanted` (ascending document numbers), a block holding none of them is not
    decoded: its third item is None.

    Whoosh reads a block with a seek and several small reads through two file wrappers
    (an integer, a pickle read byte-wise, the data). Here the list is read in large positioned reads from the segment
    file and the blocks are cut from memory."""
    if isinstance(matcher, DiskPostings):
        fd, position = matcher.fd, matcher.offset
        # Most lists are a few hundred bytes: read just the list, up to READ_AHEAD at a time.
        buffer = os.pread(fd, min(matcher.length, READ_AHEAD) or READ_AHEAD, position)  # from `position`
        if buffer[:len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
            raise ValueError("no posting list at this offset")
        at = len(WHOOSH3_HEADER_MAGIC)  # where the next block starts in buffer
    else:
        raw = raw_file(matcher._postfile)
        if raw is None:  # an in-memory index: Whoosh's own block reading
            yield from _matcher_blocks(matcher)
            return
        fd, position, buffer, at = raw[0], raw[1] + matcher._baseoffset, b"", 0
    previous_max = -1

    def have(size: int) -> None:
        nonlocal buffer, position, at
        if len(buffer) - at < size:
            more = os.pread(fd, max(READ_AHEAD, size), position + len(buffer))
            buffer, position, at = buffer[at:] + more, position + at, 0
            if len(buffer) < size:
                raise EOFError("posting list ends inside a block")

    while True:
        have(_INT_SIZE)
        length = unpack_int(buffer[at:at + _INT_SIZE])[0]
        last, length = length < 0, abs(length)
        have(_INT_SIZE + length)
        block = io.BytesIO(buffer[at + _INT_SIZE:at + _INT_SIZE + length])
        count, max_id, _max_weight, compression, _min_length, _max_length = pickle.load(block)
        if wanted is not None and not _any_within(wanted, previous_max, max_id):
            yield count, max_id, None
        else:
            data = block.read()
            yield count, max_id, pickle.loads(zlib.decompress(data) if compression else data)
        previous_max = max_id
        at += _INT_SIZE + length
        if last:
            return


def _matcher_blocks(matcher: W3LeafMatcher):
    while True:
        if matcher._data is None:
            matcher._read_data()
        yield matcher._blocklength, matcher._maxid, matcher._data
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _any_within(docs: np.ndarray, after: int, upto: int) -> bool:
    """Whether ascending `docs` holds a number in (after, upto]."""
    at = int(np.searchsorted(docs, after, side="right"))
    return at < len(docs) and docs[at] <= upto


def raw_file(postfile) -> tuple[int, int] | None:
    """The operating-system file and the offset of a segment's postings in it, when on disk."""
    sub = getattr(postfile, "file", None)
    if not isinstance(sub, SubFile):
        return None
    try:
        return sub._file.fileno(), sub._offset
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def term_info(reader, fieldname: str, text: str):
    """A term's entry in one segment's on-disk term table (raises TermNotFound)."""
    return reader._terms.term_info(fieldname, reader._text_to_bytes(fieldname, text))


def has_term_table(reader, fieldname: str) -> bool:
    """Whether the segment has an on-disk term table and postings file for this field."""
    terms = getattr(reader, "_terms", None)
    return raw_file(getattr(terms, "_postfile", None)) is not None and fieldname in reader.schema


def lengths_column(reader, fieldname: str):
    """The segment's column of one-byte field lengths of `fieldname` (None if absent)."""
    return reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)


# -- writing and listing segments -----------------------------------------------------------
@dataclass(frozen=True)
class TermWriterParts:
    """What writing a field's terms directly needs of Whoosh's per-document field writer."""

    block_limit: int
    compression: int
    term_index: object  # the terms file's hash writer
    postings_file: object
    field_id: int


def term_writer_parts(writer) -> TermWriterParts:
    postings = writer._postwriter
    if postings._inlinelimit > 1 or postings._byteids:  # pragma: no cover - not the codec codec() makes
        raise ValueError("the direct term writer needs W3 postings without inlining and with integer ids")
    return TermWriterParts(postings._blocklimit, postings._compression, writer._tindex, writer._postfile,
                           writer._fieldid)


def segments_of(index) -> list:
    """The index's current segments, as its TOC lists them."""
    return index._segments()


def refreshed(searcher, index):
    """The searcher for the index's latest commit (this one when nothing changed).

    Not Searcher.refresh(): Whoosh 2.7.4 reopens every segment there anyway (its map of
    readers to reuse is keyed by generation and looked up by segment id), and
    whoosh-reloaded 2.7.5 "reuses" by keeping every segment the old reader had, merged away
    or not (after compact_index a searcher counted each article twice) and fails on an empty
    index. A fresh searcher is what 2.7.4 gave, on either version."""
    if searcher.up_to_date():
        return searcher
    fresh = index.searcher()
    searcher.close()
    return fresh


def before_table_of_contents(writer, hook) -> None:
    """Have a SegmentWriter call `hook(segments)` just before it writes its new table of
    contents: its new segment's files are complete and the index lock is still held
    (search/engines/whoosh/integrity.py records their checksums there)."""
    write_toc = writer._commit_toc

    def commit_toc(segments):
        hook(segments)
        write_toc(segments)

    writer._commit_toc = commit_toc
