"""Running a search over Whoosh's segments with array arithmetic instead of matchers.

A results page needs more than its ten hits: how many stories match, facet
counts over every match, a month-by-city timeline, and the best ten by
relevance. Whoosh answers those by walking every matching document through
nested matcher, scorer and collector objects in Python, about 10 µs a document:
at 100,000 articles a common word matches tens of thousands. Here a compiled
query is evaluated on sorted NumPy arrays of document numbers (search.engine.evaluate),
posting lists decoded a whole list at a time; the per-document values (city, story,
date, field lengths, …) are arrays read once per process; counting is `bincount`,
ordering `argpartition`, and relevance is Whoosh's own BM25F formula computed over
whole posting arrays.

Arrays are read and cached per segment: segments never change once written
(deletions are applied from the segment's deleted set on every query), so they stay
valid until a merge removes the segment (`forget_segments`). A search, though, runs
once over the segments joined end to end (`Space`), in Whoosh's global document
numbers: an index fresh from a bulk ingest has twenty segments or more.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import os
import pickle
import threading
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.formats import Positions
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC as _MAGIC, W3LeafMatcher, _lenfield
from whoosh.filedb.compound import SubFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE as _INT, unpack_int
from whoosh.util.numeric import byte_to_length


_LOCK = threading.Lock()
_COLUMNS: dict[tuple[str, str], object] = {}  # (segment id, what) → per-document values
_UNDATED = 1 << 40  # sorts after every date
_EMPTY = np.zeros(0, dtype=np.int32)
POSTINGS_CACHE_BYTES = int(float(os.environ.get("SEARCH_POSTINGS_CACHE_MB", "48")) * 1024 * 1024)
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
SPARSE_RANKING = 4  # matches fewer than a term's documents / this: read only their blocks
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults, as the searcher would use


class _Recent:
    """Recently used values by (segment id, …) key, least recently used dropped first once
    their sizes (`size_of`, 1 each by default) pass `budget`; a value over a quarter of the
    budget is not kept. Segments never change their postings or terms, so entries stay valid
    until their segment is merged away (`forget`)."""

    def __init__(self, budget: int, size_of=lambda value: 1):
        self.budget = budget
        self.used = 0
        self._size_of = size_of
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        with _LOCK:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        size = self._size_of(value)
        if size > self.budget // 4:
            return
        with _LOCK:
            if key in self._items:
                return
            self._items[key] = value
            self.used += size
            while self.used > self.budget:
                _old, dropped = self._items.popitem(last=False)
                self.used -= self._size_of(dropped)

    def forget(self, live: set[str]) -> None:
        with _LOCK:
            for key in [key for key in self._items if key[0] not in live]:
                self.used -= self._size_of(self._items.pop(key))


# Decoded posting arrays of recently used terms, per segment, within a byte budget: a frequent
# word is decoded once per process, not once per query.
_POSTINGS = _Recent(POSTINGS_CACHE_BYTES, size_of=lambda arrays: sum(_held_bytes(array) for array in arrays))


def _held_bytes(array: np.ndarray) -> int:
    """Memory an array holds: nothing for a broadcast constant (weights of a presence-only field)."""
    return 0 if array.ndim == 1 and array.strides == (0,) else array.nbytes


# -- reading one segment's posting lists ----------------------------------------------
def postings(reader, fieldname: str, text: str, within: np.ndarray | None = None,
             ) -> tuple[np.ndarray, np.ndarray]:
    """Every posting of a term in one segment, deleted documents included: document
    numbers (ascending) and weights, read a whole block at a time, and cached. With
    `within` (ascending) and the list not cached, at least those documents' postings:
    only the blocks holding one of them are decoded (not cached), so ranking a few
    matches by a common word reads a few of its blocks."""
    key = (reader.segment().segment_id(), fieldname, text)
    cached = _POSTINGS.get(key)
    if cached is not None:
        return cached
    try:
        matcher = _open_postings(reader, fieldname, text)
    except TermNotFound:
        return _EMPTY, np.zeros(0, dtype=np.float32)
    if within is not None and isinstance(matcher, _DiskPostings):
        return _postings_in_blocks(matcher, within)
    if isinstance(matcher, (_DiskPostings, W3LeafMatcher)):
        result = _decode_blocks(matcher)
    else:
        docs, weights = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        result = np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32)
    _POSTINGS.put(key, result)
    return result


def _postings_in_blocks(matcher: _DiskPostings, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for count, _max_id, data in _blocks(matcher, wanted=within):
        if data is not None:
            docs.append(np.cumsum(np.asarray(data[0], dtype=np.int64)).astype(np.int32))
            weights.append(_block_weights(count, data[1]))
    if not docs:
        return _EMPTY, np.zeros(0, dtype=np.float32)
    return np.concatenate(docs), np.concatenate(weights)


def _decode_blocks(matcher: _DiskPostings | W3LeafMatcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh stores each block's ids as deltas from 0 and its weights as a tuple, one
    float, or nothing (all 1.0). The deltas of all blocks are joined, each block's
    first one rebased on the previous block's last id, and summed once. With `values`,
    the postings' values (encoded positions) are appended to it."""
    deltas: list = []
    weights: list = []
    last_id = 0
    all_ones = True
    for count, max_id, (block_ids, block_weights, block_values) in _blocks(matcher):
        if values is not None:
            values.extend(block_values)
        first = len(deltas)
        deltas.extend(block_ids)
        deltas[first] -= last_id
        last_id = max_id
        all_ones = all_ones and block_weights is None
        weights.append(_block_weights(count, block_weights))
    docs = np.cumsum(np.asarray(deltas, dtype=np.int64)).astype(np.int32)
    if not weights:
        return docs, np.zeros(0, dtype=np.float32)
    if all_ones:  # a presence-only field: one shared 1.0, not four bytes a posting
        return docs, np.broadcast_to(np.float32(1.0), (len(docs),))
    return docs, np.concatenate(weights)


def _block_weights(count: int, stored) -> np.ndarray:
    if stored is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(count, stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)


READ_AHEAD = 256 * 1024


@dataclass(frozen=True)
class _DiskPostings:
    """Where a term's posting list is in its segment's file (operating-system file, offset, bytes)."""

    fd: int
    offset: int
    length: int


def _open_postings(reader, fieldname: str, text: str):
    """A term's posting list in one segment: where it is in the segment file, else Whoosh's
    own matcher (postings inlined in the term's entry, an in-memory index). Raises
    TermNotFound. Whoosh's reader.postings() builds a matcher for every term and segment
    (a dozen small reads of the list's header and first block, and a set of the segment's
    deleted documents for a wrapper): at 100,000 articles in 36 segments, a fifth of a
    search's time. Only the term's entry is needed to find the list."""
    frequency, offset, length = _term_entry(reader, fieldname, text)
    if not frequency:
        raise TermNotFound(f"{fieldname}:{text!r}")
    if offset >= 0:
        raw = _raw_file(reader._terms._postfile)
        if raw is not None:
            return _DiskPostings(raw[0], raw[1] + offset, length)
    matcher = reader.postings(fieldname, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


_NO_TERM = (0, -1, 0)
# (documents holding the term (0: none), offset and length of its posting list in the segment's
# postings, offset -1 when inlined in the entry or not on disk): a plain tuple, as thousands are kept.
TermEntry = tuple[int, int, int]
TERM_ENTRIES = 10_000  # about 50 queries' words in 36 segments, about 2 MB


# Term entries recently read, by (segment id, field, term). A search reads a word's entry in every
# segment twice (to find its postings, and for its document frequency when ranking), a hash lookup
# in the terms file each time. File handles are not kept: a segment's file may be reopened with another.
_TERM_ENTRIES = _Recent(TERM_ENTRIES)


def _term_entry(reader, fieldname: str, text: str) -> TermEntry:
    """A term's entry in one segment's term table (cached), or Whoosh's document frequency
    alone where there is no on-disk table (an in-memory index)."""
    terms = getattr(reader, "_terms", None)
    if _raw_file(getattr(terms, "_postfile", None)) is None or fieldname not in reader.schema:
        return reader.doc_frequency(fieldname, text), -1, 0
    key = (reader.segment().segment_id(), fieldname, text)
    entry = _TERM_ENTRIES.get(key)
    if entry is not None:
        return entry
    try:
        info = terms.term_info(fieldname, reader._text_to_bytes(fieldname, text))
    except TermNotFound:
        entry = _NO_TERM
    else:
        offset, length = -1, 0
        if not info.is_inlined():
            offset, length = info.extent()
            if isinstance(length, tuple):  # Whoosh 2.7 reads the length as a 1-tuple (unpack without [0])
                length = length[0]
        entry = info.doc_frequency(), offset, length
    _TERM_ENTRIES.put(key, entry)
    return entry


def segment_doc_frequency(reader, fieldname: str, text: str) -> int:
    """Documents of one segment holding the term (deleted ones included, as Whoosh counts)."""
    return _term_entry(reader, fieldname, text)[0]


def _blocks(matcher: _DiskPostings | W3LeafMatcher, wanted: np.ndarray | None = None):
    """(postings, last id, (ids, weights, values)) of each block of a term's posting list.
    With `wanted` (ascending document numbers), a block holding none of them is not
    decoded: its third item is None.

    Whoosh reads a block with a seek and several small reads through two file wrappers
    (an integer, a pickle read byte-wise, the data): a tenth of a results page's time at
    100,000 articles. Here the list is read in large positioned reads from the segment
    file and the blocks are cut from memory."""
    if isinstance(matcher, _DiskPostings):
        fd, position = matcher.fd, matcher.offset
        # Most lists are a few hundred bytes: read just the list, up to READ_AHEAD at a time.
        buffer = os.pread(fd, min(matcher.length, READ_AHEAD) or READ_AHEAD, position)  # from `position`
        if buffer[:len(_MAGIC)] != _MAGIC:
            raise ValueError("no posting list at this offset")
        at = len(_MAGIC)  # where the next block starts in buffer
    else:
        raw = _raw_file(matcher._postfile)
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
        have(_INT)
        length = unpack_int(buffer[at:at + _INT])[0]
        last, length = length < 0, abs(length)
        have(_INT + length)
        block = io.BytesIO(buffer[at + _INT:at + _INT + length])
        count, max_id, _max_weight, compression, _min_length, _max_length = pickle.load(block)
        if wanted is not None and not _any_within(wanted, previous_max, max_id):
            yield count, max_id, None
        else:
            data = block.read()
            yield count, max_id, pickle.loads(zlib.decompress(data) if compression else data)
        previous_max = max_id
        at += _INT + length
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


def _raw_file(postfile) -> tuple[int, int] | None:
    """The operating-system file and the offset of a segment's postings in it, when on disk."""
    sub = getattr(postfile, "file", None)
    if not isinstance(sub, SubFile):
        return None
    try:
        return sub._file.fileno(), sub._offset
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def positions(reader, fieldname: str, text: str, within: np.ndarray | None = None,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """A term's postings in one segment with their word positions, for phrases: document
    numbers (ascending, deleted ones included), `starts` (document docs[i]'s positions are
    flat[starts[i]:starts[i + 1]], ascending) and the flat positions. With `within`
    (ascending), only the documents among those. None when the field stores no positions
    in the layout read here (then Whoosh's matcher is used)."""
    found = _encoded_positions(reader, fieldname, text, within)
    if found is None:
        return None
    decoded = _decode_positions(found[1])
    return None if decoded is None else (found[0], *decoded)


def _encoded_positions(reader, fieldname: str, text: str, within: np.ndarray | None,
                       ) -> tuple[np.ndarray, list[bytes]] | None:
    """Document numbers and still-encoded position values of a term's postings (in
    `within` only, if given: blocks holding none of those are not decoded). Positions
    are decoded later, for the documents that can still hold a phrase: at 100,000
    articles a common word's positions run to millions, and a phrase's candidates are
    a fraction of them."""
    try:
        matcher = _open_postings(reader, fieldname, text)
    except TermNotFound:
        return _EMPTY, []
    if not isinstance(matcher, (_DiskPostings, W3LeafMatcher)) or type(reader.schema[fieldname].format) is not Positions:
        return None
    if within is None:
        values: list[bytes] = []
        docs, weights = _decode_blocks(matcher, values)
        # The same blocks hold the weights: a phrase's words are ranked next, without a second read.
        _POSTINGS.put((reader.segment().segment_id(), fieldname, text), (docs, weights))
        return docs, values
    doc_parts: list[np.ndarray] = []
    values = []
    for _count, _max_id, data in _blocks(matcher, wanted=within):
        if data is None:
            continue
        block_ids, _weights, block_values = data
        ids = np.cumsum(np.asarray(block_ids, dtype=np.int64))
        kept = _positions_of(ids, within[np.searchsorted(within, ids[0]):np.searchsorted(within, ids[-1], "right")])
        doc_parts.append(ids[kept])
        values.extend(block_values[i] for i in kept.tolist())
    docs = np.concatenate(doc_parts).astype(np.int32) if doc_parts else _EMPTY
    return docs, values


def _positions_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where in ascending `ids` the `wanted` numbers it holds are."""
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    where = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return where[ids[where] == wanted]


_K, _M, _J = 0x4B, 0x4D, 0x4A  # pickle BININT1, BININT2, BININT
_VALUE_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)  # protocol 2, empty list, memo 0


def _decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Whoosh's position values, all at once: each is a 4-byte count, then a protocol-2
    pickle of the list of position deltas (small integers). Decoded with array
    operations, one pass per delta, instead of one pickle load per posting; None at
    anything else in the bytes."""
    if not values:
        return np.zeros(1, dtype=np.int64), _EMPTY
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    buf = np.frombuffer(b"".join(values) + b"\x00" * 8, dtype=np.uint8).astype(np.int64)
    at = np.zeros(len(values), dtype=np.int64)
    np.cumsum(lengths[:-1], out=at[1:])
    counts = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]
    if np.any(lengths < 12) or np.any(counts < 1):
        return None
    for i, byte in enumerate(_VALUE_HEAD.tolist()):
        if np.any(buf[at + 4 + i] != byte):
            return None
    several = counts > 1
    if np.any(buf[at[several] + 9] != ord("(")):
        return None
    cursor = at + 9 + several
    starts = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    deltas = np.zeros(int(starts[-1]), dtype=np.int64)
    for step in range(int(counts.max())):
        active = np.flatnonzero(counts > step)
        where = cursor[active]
        op = buf[where]
        one, two, four = op == _K, op == _M, op == _J
        if not np.all(one | two | four):
            return None
        value = np.where(one, buf[where + 1], buf[where + 1] | (buf[where + 2] << 8))
        if four.any():
            wide = where[four]
            raw = buf[wide + 1] | (buf[wide + 2] << 8) | (buf[wide + 3] << 16) | (buf[wide + 4] << 24)
            value[four] = np.where(raw >= 1 << 31, raw - (1 << 32), raw)
        deltas[starts[active] + step] = value
        cursor[active] = where + np.where(one, 2, np.where(two, 3, 5))
    ends = np.where(several, ord("e"), ord("a"))
    if np.any(buf[cursor] != ends) or np.any(cursor + 1 - at > lengths):
        return None
    totals = np.cumsum(deltas)
    before = np.concatenate(([0], totals[starts[1:-1] - 1])) if len(values) > 1 else np.zeros(1, dtype=np.int64)
    flat = totals - np.repeat(before, counts)
    # Positions within one article fit in 16 bits: half the cache for the same phrases.
    return starts, flat.astype(np.int16 if len(flat) and flat.max() < 1 << 15 else np.int32)


def live_mask(reader) -> np.ndarray | None:
    """False for the segment's deleted documents, or None when it has none."""
    segment = reader.segment()
    count = segment.deleted_count()
    if not count:
        return None
    key = (segment.segment_id(), f"live/{count}")
    cached = _COLUMNS.get(key)
    if cached is None:
        cached = np.ones(reader.doc_count_all(), dtype=bool)
        cached[np.fromiter(segment.deleted_docs(), dtype=np.int64, count=count)] = False
        with _LOCK:
            _COLUMNS[key] = cached
    return cached


# -- per-segment document values ------------------------------------------------------
class _Labels:
    """One process-wide number per value of a field, so that counts from every segment add
    up in one array instead of a dictionary walk per segment."""

    def __init__(self):
        self.names: list = []
        self._codes: dict = {}

    def code(self, name) -> int:
        code = self._codes.get(name)
        if code is None:
            with _LOCK:
                code = self._codes.get(name)
                if code is None:
                    code = self._codes[name] = len(self.names)
                    self.names.append(name)
        return code

    def codes(self, names: list) -> np.ndarray:
        return np.array([self.code(name) for name in names], dtype=np.int32)


_LABELS: dict[str, _Labels] = {}


def labels_of(what: str) -> _Labels:
    labels = _LABELS.get(what)
    if labels is None:
        with _LOCK:
            labels = _LABELS.setdefault(what, _Labels())
    return labels


def global_codes(reader, what: str) -> np.ndarray:
    """Each document's value of a one-value field as a process-wide number."""
    def build():
        codes, names = column_codes(reader, what) if what != "month/city" else month_city_codes(reader)
        return labels_of(what).codes(names)[codes]

    return _cached((reader.segment().segment_id(), "global/" + what), build)


def _cached(key, build):
    value = _COLUMNS.get(key)
    if value is None:
        value = build()
        with _LOCK:
            _COLUMNS[key] = value
    return value


def column_codes(reader, fieldname: str) -> tuple[np.ndarray, list[str]]:
    """One small integer per document naming its value, and the names: counting
    values becomes counting integers."""
    def build():
        labels: list[str] = []
        index: dict[str, int] = {}
        if not reader.has_column(fieldname):
            return np.zeros(reader.doc_count_all(), dtype=np.int32), [""]
        codes = []
        for value in reader.column_reader(fieldname):
            code = index.get(value)
            if code is None:
                code = index[value] = len(labels)
                labels.append(value)
            codes.append(code)
        return np.array(codes, dtype=np.int32), labels

    return _cached((reader.segment().segment_id(), fieldname), build)


def day_numbers(reader) -> np.ndarray:
    """Each document's date as a proleptic ordinal (0 when undated), for sorting and months."""
    def build():
        if not reader.has_column("date"):
            return np.zeros(reader.doc_count_all(), dtype=np.int32)
        fieldobj = reader.schema["date"]
        seen: dict[int, int] = {}
        days = []
        for raw in reader.column_reader("date", translate=False):
            ordinal = seen.get(raw)
            if ordinal is None:
                ordinal = seen[raw] = _ordinal(fieldobj, raw)
            days.append(ordinal)
        return np.array(days, dtype=np.int32)

    return _cached((reader.segment().segment_id(), "days"), build)


def month_city_codes(reader) -> tuple[np.ndarray, list]:
    """One code per document naming its (first day of month, city), None when undated."""
    def build():
        days = day_numbers(reader)
        cities, city_labels = column_codes(reader, "city")
        labels: list = []
        index: dict = {}
        codes = np.zeros(len(days), dtype=np.int32)
        for doc, (day, city) in enumerate(zip(days.tolist(), cities.tolist())):
            label = (dt.date.fromordinal(day).replace(day=1), city_labels[city]) if day else None
            code = index.get(label)
            if code is None:
                code = index[label] = len(labels)
                labels.append(label)
            codes[doc] = code
        return codes, labels

    return _cached((reader.segment().segment_id(), "month/city"), build)


def doc_values(reader, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
    """A several-values field per document of the segment, read from the field's posting
    lists (each value is a term): `starts` (document d's values are codes[starts[d]:starts[d + 1]])
    and the process-wide value codes."""
    def build():
        size = reader.doc_count_all()
        if fieldname not in reader.indexed_field_names():
            return np.zeros(size + 1, dtype=np.int64), _EMPTY
        labels = labels_of(fieldname)
        docs, codes = [], []
        for raw in reader.lexicon(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            holders = _all_postings(reader, fieldname, term)
            docs.append(holders)
            codes.append(np.full(len(holders), labels.code(term), dtype=np.int32))
        if not docs:
            return np.zeros(size + 1, dtype=np.int64), _EMPTY
        docs_flat, codes_flat = np.concatenate(docs), np.concatenate(codes)
        order = np.argsort(docs_flat, kind="stable")
        starts = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs_flat, minlength=size), out=starts[1:])
        return starts, codes_flat[order]

    return _cached((reader.segment().segment_id(), "values/" + fieldname), build)


def _all_postings(reader, fieldname: str, text: str) -> np.ndarray:
    """A term's documents without going through (or filling) the postings cache."""
    matcher = _open_postings(reader, fieldname, text)
    if isinstance(matcher, (_DiskPostings, W3LeafMatcher)):
        return _decode_blocks(matcher)[0]
    return np.fromiter(matcher.all_ids(), dtype=np.int32)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Each document's length in a text field, as Whoosh's scorer sees it (one byte, decoded)."""
    def build():
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(reader.doc_count_all(), dtype=np.float64)
        raw = np.fromiter(column, dtype=np.uint8, count=reader.doc_count_all())
        return _BYTE_LENGTHS[raw]

    return _cached((reader.segment().segment_id(), "length/" + fieldname), build)


def _ordinal(fieldobj, raw) -> int:
    try:
        value = fieldobj.from_column_value(raw)
    except (OverflowError, ValueError):
        return 0
    return value.toordinal() if isinstance(value, dt.datetime) else 0



def live_segments(searcher) -> set[str]:
    """The ids of the segments a searcher reads."""
    return {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()
            if hasattr(reader, "segment") and reader.segment() is not None}


def forget_segments(live: set[str]) -> None:
    """Drop what is cached for segments the index no longer has (merged away), and every
    joined array but those of the index's current segments (a save adds a segment: the
    arrays joined for the segments before it would otherwise stay for the process's life)."""
    with _LOCK:
        for key in [key for key in _COLUMNS if key[0] not in live]:
            del _COLUMNS[key]
        for key in [key for key in _JOINED if set(key[0]) != live]:
            del _JOINED[key]
    _POSTINGS.forget(live)
    _TERM_ENTRIES.forget(live)


# -- the searcher's segments as one array space ------------------------------------
_JOINED: dict[tuple[tuple[str, ...], str], object] = {}  # (segment ids, what) → joined values
DENSE_SHARE = 64  # a value held by at least 1/64 of the documents is counted from a bitmap


class Space:
    """The searcher's segments laid end to end, numbered as Whoosh numbers documents
    across segments. A query is evaluated once over the joined arrays, not once per
    segment: an index that ingest leaves in twenty segments would otherwise pay every
    array operation's fixed cost twenty times over."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = [(sub, offset) for sub, offset in searcher.leaf_searchers()
                       if sub.reader().segment() is not None]
        self.segment_ids = tuple(sub.reader().segment().segment_id() for sub, _ in self.leaves)
        self.size = searcher.reader().doc_count_all() if self.leaves else 0

    def joined(self, what: str, build):
        """`build(self)`, once per set of segments."""
        key = (self.segment_ids, what)
        value = _JOINED.get(key)
        if value is None:
            value = build(self)
            with _LOCK:
                _JOINED[key] = value
        return value

    def concatenated(self, what: str, per_segment, dtype) -> np.ndarray:
        """A per-document array of every segment (`per_segment(reader)`), joined."""
        def build(space):
            parts = [per_segment(sub.reader()) for sub, _ in space.leaves]
            return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)

        return self.joined(what, build)

    def _deleted_counts(self) -> tuple[int, ...]:
        return tuple(sub.reader().segment().deleted_count() for sub, _ in self.leaves)

    def live(self) -> np.ndarray | None:
        """False for deleted documents, or None when no segment has any. Deletions change
        without the segments changing, so only the latest mask is kept."""
        deleted = self._deleted_counts()
        if not any(deleted):
            return None
        cached = _JOINED.get((self.segment_ids, "live"))
        if cached is not None and cached[0] == deleted:
            return cached[1]
        parts = []
        for sub, _offset in self.leaves:
            mask = live_mask(sub.reader())
            parts.append(np.ones(sub.reader().doc_count_all(), dtype=bool) if mask is None else mask)
        mask = np.concatenate(parts)
        with _LOCK:
            _JOINED[(self.segment_ids, "live")] = (deleted, mask)
        return mask

    def story_sizes(self) -> np.ndarray:
        """Live documents per story code. Like the live mask, kept for the latest deletions only
        (a re-indexed article leaves its old document deleted, with the same story)."""
        deleted = self._deleted_counts()
        cached = _JOINED.get((self.segment_ids, "story/sizes"))
        if cached is not None and cached[0] == deleted:
            return cached[1]
        codes, live = self.codes("story"), self.live()
        sizes = np.bincount(codes if live is None else codes[live], minlength=len(labels_of("story").names))
        with _LOCK:
            _JOINED[(self.segment_ids, "story/sizes")] = (deleted, sizes)
        return sizes

    def postings(self, fieldname: str, text: str, within: np.ndarray | None = None,
                 ) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings in every segment (deleted documents included), in global numbers;
        with `within` (ascending global numbers), at least those of these documents."""
        docs, weights = [], []
        for sub, offset in self.leaves:
            reader = sub.reader()
            inside = None
            if within is not None:
                inside = within[np.searchsorted(within, offset):
                                np.searchsorted(within, offset + reader.doc_count_all())] - offset
                if not len(inside):
                    continue
            segment_docs, segment_weights = postings(reader, fieldname, text, inside)
            if len(segment_docs):
                docs.append(segment_docs + offset if offset else segment_docs)
                weights.append(segment_weights)
        if not docs:
            return _EMPTY, np.zeros(0, dtype=np.float32)
        if len(docs) == 1:
            return docs[0], weights[0]
        return np.concatenate(docs), np.concatenate(weights)

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Documents holding the term in all segments (deleted ones included, as Whoosh counts)."""
        return sum(segment_doc_frequency(sub.reader(), fieldname, text) for sub, _offset in self.leaves)

    def term_ids(self, fieldname: str, text: str) -> np.ndarray:
        """The live documents holding the term (ascending)."""
        docs = self.postings(fieldname, text)[0]
        live = self.live()
        return docs if live is None or not len(docs) else docs[live[docs]]

    def days(self) -> np.ndarray:
        return self.concatenated("days", day_numbers, np.int32)

    def codes(self, what: str) -> np.ndarray:
        """Process-wide value codes of a one-value field (or "month/city") per document."""
        return self.concatenated("global/" + what, lambda reader: global_codes(reader, what), np.int32)

    def lengths(self, fieldname: str) -> np.ndarray:
        return self.concatenated("length/" + fieldname, lambda reader: field_lengths(reader, fieldname), np.float64)

    def values(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """A several-values field as `starts` (document d's values are codes[starts[d]:starts[d + 1]])
        and the value codes."""
        def build(space):
            starts, codes, base = [], [], 0
            for sub, _offset in space.leaves:
                segment_starts, segment_codes = doc_values(sub.reader(), fieldname)
                starts.append(segment_starts[:-1] + base)
                codes.append(segment_codes)
                base += len(segment_codes)
            if not starts:
                return np.zeros(1, dtype=np.int64), _EMPTY
            return np.concatenate([*starts, [base]]).astype(np.int64), np.concatenate(codes)

        return self.joined("values/" + fieldname, build)

    def dense_values(self, fieldname: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The values that many documents hold (a place named in most articles) as bitmaps:
        (their codes, one packed row of bits per code), and the other values as (document,
        code) pairs. Counting a large match set is then a popcount per common value."""
        def build(space):
            starts, codes = space.values(fieldname)
            owners = np.repeat(np.arange(space.size, dtype=np.int32), np.diff(starts))
            holders = np.bincount(codes) if len(codes) else _EMPTY
            dense = np.flatnonzero(holders * DENSE_SHARE >= space.size).astype(np.int32)
            row = np.full(len(holders), -1, dtype=np.int32)
            row[dense] = np.arange(len(dense), dtype=np.int32)
            rows = row[codes]
            picked = rows >= 0
            width = (space.size + 7) // 8
            bitmaps = np.zeros((len(dense), width), dtype=np.uint8)
            if len(dense):
                chosen_owners = owners[picked]
                cells = rows[picked].astype(np.int64) * width + (chosen_owners >> 3)
                np.bitwise_or.at(bitmaps.reshape(-1), cells, (128 >> (chosen_owners & 7)).astype(np.uint8))
            return dense, bitmaps, owners[~picked], codes[~picked]

        return self.joined("dense/" + fieldname, build)

    def whoosh_ids(self, query: wq.Query) -> np.ndarray:
        """What Whoosh's own matcher finds (phrases), segment by segment."""
        parts = []
        for sub, offset in self.leaves:
            ids = np.fromiter(query.matcher(sub).all_ids(), dtype=np.int32)
            if len(ids):
                parts.append(ids + offset)
        return np.concatenate(parts) if parts else _EMPTY


# -- evaluating a compiled query ------------------------------------------------------
def evaluate(query: wq.Query, space: Space) -> np.ndarray:
    """Global numbers (ascending, unique) of the live documents `query` matches.

    Terms and the boolean operators the search compiles to are array operations;
    date ranges are read from the date column; anything else (phrases) is left to
    Whoosh's own matcher."""
    kind = type(query)
    if kind is wq.Term:
        return space.term_ids(query.fieldname, query.text)
    if kind is wq.And:
        result: np.ndarray | None = None
        for sub in sorted(query.subqueries, key=_cheap_first):
            ids = evaluate(sub, space)
            result = ids if result is None else _intersect(result, ids, space.size)
            if not len(result):
                return _EMPTY
        return _EMPTY if result is None else result
    if isinstance(query, wq.Or):  # every OR variant is a union
        sets = [ids for ids in (evaluate(sub, space) for sub in query.subqueries) if len(ids)]
        return _union(sets, space.size, query.minmatch or 1)
    if kind is wq.AndNot:
        positive = evaluate(query.a, space)
        return _minus(positive, evaluate(query.b, space), space.size) if len(positive) else _EMPTY
    if kind is wq.AndMaybe:
        return evaluate(query.a, space)
    if kind is wq.Require:
        return _intersect(evaluate(query.a, space), evaluate(query.b, space), space.size)
    if kind is wq.DateRange and query.fieldname == "date":
        return _date_range(space, query)
    if kind is wq.Phrase and query.slop == 1 and len(query.words) > 1:
        return _phrase(space, query)
    return space.whoosh_ids(query)


def _phrase(space: Space, query: wq.Phrase) -> np.ndarray:
    """Documents with the phrase's words at consecutive positions (as Whoosh's phrase
    matcher with slop 1), from each segment's position arrays: candidates hold every
    word; the i-th word's positions, shifted back by i, must meet at one start."""
    parts = []
    for sub, offset in space.leaves:
        reader = sub.reader()
        found = _phrase_in_segment(reader, query.fieldname, list(query.words))
        if found is None:  # positions not readable here: Whoosh's own matcher
            found = np.fromiter(query.matcher(sub).all_ids(), dtype=np.int32)
        if len(found):
            parts.append(found + offset)
    return np.concatenate(parts) if parts else _EMPTY


def _phrase_in_segment(reader, fieldname: str, words: list[str]) -> np.ndarray | None:
    """Rarest word first; each next word is read only in the blocks holding a document
    where the words so far stand in sequence, and its positions decoded for those
    documents only (a phrase with 的 in it touches 的 last, in a few documents). A
    match is a start where the i-th word's positions, shifted back by i, all meet."""
    distinct = sorted(dict.fromkeys(words), key=lambda word: segment_doc_frequency(reader, fieldname, word))
    shifts: dict[str, list[int]] = {}
    for shift, word in enumerate(words):
        shifts.setdefault(word, []).append(shift)
    possible = _cached_candidates(reader, fieldname, distinct)  # documents that may hold the phrase
    starts_at: np.ndarray | None = None  # (document << 32) | phrase start position, ascending
    for word in distinct:
        if possible is not None and not len(possible):
            return _EMPTY
        found = positions(reader, fieldname, word, within=possible)
        if found is None:
            return None
        docs, starts, flat = found
        owner = np.repeat(docs.astype(np.int64), np.diff(starts))
        for shift in shifts[word]:
            picked = flat.astype(np.int64) - shift
            inside = picked >= 0  # a word before the phrase's start cannot be in it
            keys = (owner[inside] << 32) | picked[inside]
            starts_at = keys if starts_at is None else _common(starts_at, keys)
        possible = np.unique(starts_at >> 32)
    found = possible.astype(np.int32)
    live = live_mask(reader)
    return found if live is None else found[live[found]]


def _cached_candidates(reader, fieldname: str, words: list[str]) -> np.ndarray | None:
    """The documents holding each of the words whose postings are cached (None if none is):
    a phrase asked again (the next page) reads only these documents' blocks."""
    segment = reader.segment().segment_id()
    candidates = None
    for word in words:
        cached = _POSTINGS.get((segment, fieldname, word))
        if cached is not None:
            candidates = cached[0] if candidates is None else _intersect(candidates, cached[0], reader.doc_count_all())
    return candidates


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted `a` ∩ sorted `b` for values of any size."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    where = np.searchsorted(b, a)
    where[where == len(b)] = len(b) - 1
    return a[b[where] == a]


def _cheap_first(query: wq.Query) -> int:
    """Evaluate an AND's plain terms first: an empty one ends it before a phrase is read."""
    return 0 if type(query) is wq.Term else 1


def _intersect(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Sorted unique `a` ∩ `b`: the few looked up in the many, or a mask over the space."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return _EMPTY
    if len(a) * 16 < len(b):
        where = np.searchsorted(b, a)
        where[where == len(b)] = len(b) - 1
        return a[b[where] == a]
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[mask[a]]


def _union(sets: list[np.ndarray], size: int, minmatch: int = 1) -> np.ndarray:
    """Documents in at least `minmatch` of the sorted unique `sets`."""
    if not sets:
        return _EMPTY
    if minmatch > 1:
        counts = np.zeros(size, dtype=np.int32)
        for ids in sets:
            counts[ids] += 1
        return np.flatnonzero(counts >= minmatch).astype(np.int32)
    if len(sets) == 1:
        return sets[0]
    if sum(len(ids) for ids in sets) * 16 < size:
        return np.unique(np.concatenate(sets)).astype(np.int32, copy=False)
    mask = np.zeros(size, dtype=bool)
    for ids in sets:
        mask[ids] = True
    return np.flatnonzero(mask).astype(np.int32)


def _minus(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    if not len(b):
        return a
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[~mask[a]]


def _date_range(space: Space, query: wq.DateRange) -> np.ndarray:
    days = space.days()
    start = query.startdate.toordinal() if query.startdate else 1
    end = query.enddate.toordinal() if query.enddate else _UNDATED
    docs = np.flatnonzero((days >= start) & (days <= end) & (days > 0)).astype(np.int32)
    live = space.live()
    return docs if live is None else docs[live[docs]]


# -- the matches of one search --------------------------------------------------------
@dataclass
class Matches:
    """Every document a compiled query (and filter) matches, in global numbers."""

    space: Space
    ids: np.ndarray  # ascending

    @property
    def searcher(self):
        return self.space.searcher

    @property
    def count(self) -> int:
        return len(self.ids)

    def global_ids(self) -> set[int]:
        return set(self.ids.tolist())

    def story_of(self, docnum: int) -> str:
        return labels_of("story").names[self.space.codes("story")[docnum]]

    def story_count(self) -> int:
        """Matches counted as stories: copies of one report count once; articles without a story key count alone."""
        if not len(self.ids):
            return 0
        codes = self.space.codes("story")[self.ids]
        alone = labels_of("story").code("")
        together = codes[codes != alone]
        stories = np.count_nonzero(np.bincount(together)) if len(together) else 0
        return int(len(codes) - len(together) + stories)

    def copied(self, docs: list[int]) -> bool:
        """Whether the story of any of these documents has other articles in the index (deleted
        ones may count: then the database finds no other copy). Most stories have one article,
        and a results page whose stories have no other copy needs no query for them."""
        picked = self.space.codes("story")[np.asarray(docs, dtype=np.int64)]
        return bool(np.any((picked != labels_of("story").code("")) & (self.space.story_sizes()[picked] > 1)))

    def value_counts(self, fieldname: str) -> Counter:
        """How many matching articles have each value of a one-value keyword field."""
        return _as_counter(self._bins(fieldname, self.space.codes(fieldname)[self.ids]), labels_of(fieldname).names)

    def multi_value_counts(self, fieldname: str, limit: int | None = None) -> Counter:
        """Counts for a several-values field (companies, industries, …); with `limit`, only the
        values with the `limit` highest counts (ties at the cut: the first by value)."""
        bins = self._value_bins(fieldname)
        names = labels_of(fieldname).names
        if limit is None or np.count_nonzero(bins) <= limit:
            return _as_counter(bins, names)
        cut = np.partition(bins, len(bins) - limit)[len(bins) - limit]
        rows = sorted(((names[code], int(bins[code])) for code in np.flatnonzero(bins >= max(cut, 1)).tolist()),
                      key=lambda row: (-row[1], row[0]))
        return Counter(dict(rows[:limit]))

    def _value_bins(self, fieldname: str) -> np.ndarray:
        """Matches holding each value of a several-values field (by value code)."""
        space, ids = self.space, self.ids
        if len(ids) * 16 < space.size:  # few matches: their values, looked up by range
            return self._bins(fieldname, _values_of(*space.values(fieldname), ids))
        dense, bitmaps, owners, codes = space.dense_values(fieldname)
        chosen = np.zeros(space.size, dtype=bool)
        chosen[ids] = True
        bins = self._bins(fieldname, codes[chosen[owners]])
        if len(dense):
            bins[dense] += np.bitwise_count(bitmaps & np.packbits(chosen)).sum(axis=1, dtype=np.int64)
        return bins

    @staticmethod
    def _bins(fieldname: str, codes: np.ndarray) -> np.ndarray:
        return np.bincount(codes, minlength=len(labels_of(fieldname).names))

    def month_city_counts(self, years_beyond: int | None = None) -> Counter:
        """(first day of month, city) → matching dated articles. With `years_beyond`, per year
        (keyed by January 1) when the months run over more than that many: a long timeline is
        drawn per year anyway, and a common word's 1,500 month-and-city cells would each cost a
        step in Python on the way there, against 150 year cells."""
        bins = self._bins("month/city", self.space.codes("month/city")[self.ids])
        names = labels_of("month/city").names[:len(bins)]  # codes are only ever added
        if years_beyond is not None:
            months, cities, city_names = _month_city_parts(names)
            dated = np.flatnonzero(bins * (months >= 0))
            if len(dated) and months[dated].max() - months[dated].min() >= years_beyond:
                width = len(city_names)
                per_year = np.bincount(months[dated] // 12 * width + cities[dated], weights=bins[dated])
                return Counter({
                    (dt.date(cell // width, 1, 1), city_names[cell % width]): int(per_year[cell])
                    for cell in np.flatnonzero(per_year).tolist()
                })
        counts = _as_counter(bins, names)
        counts.pop(None, None)
        return counts

    def by_date(self, limit: int, newest_first: bool) -> list[int]:
        """The first `limit` matches by date, undated ones last (ties: lower document number first)."""
        if not len(self.ids):
            return []
        days = self.space.days()[self.ids].astype(np.int64)
        keys = np.where(days > 0, -days if newest_first else days, _UNDATED)
        return _smallest(keys, self.ids.astype(np.int64), limit)

    def ranked(self, rank_query: wq.Query | None, limit: int) -> list[tuple[int, float]]:
        """The best `limit` matches by relevance (Whoosh's BM25F over the word terms, headline
        matches weigh most by field boost); matches no word term scores follow, newest first."""
        scored: list[tuple[int, float]] = []
        if not len(self.ids):
            return scored
        if rank_query is not None:
            terms = _rank_terms(rank_query)
            if terms is None:  # phrases (headline:/byline:): Whoosh's own collector
                results = self.searcher.search(rank_query, limit=limit, filter=self.global_ids())
                scored = [(hit.docnum, hit.score) for hit in results]
            else:
                scored = self._bm25(terms, limit)
        if len(scored) < limit:
            seen = {doc for doc, _ in scored}
            rest = [doc for doc in self.by_date(limit + len(seen), newest_first=True) if doc not in seen]
            scored.extend((doc, 0.0) for doc in rest[: limit - len(scored)])
        return scored

    def _bm25(self, terms: list[tuple[str, str]], limit: int) -> list[tuple[int, float]]:
        top = self.searcher
        total_docs = top.doc_count_all()
        position = np.full(self.space.size, -1, dtype=np.int64)  # where each match sits in self.ids
        position[self.ids] = np.arange(len(self.ids))
        scores = np.zeros(len(self.ids), dtype=np.float64)
        for fieldname, text in terms:
            frequency = self.space.doc_frequency(fieldname, text)
            if not frequency:
                continue
            idf = math.log(total_docs / (frequency + 1)) + 1
            average = top.avg_field_length(fieldname) or 1
            # A few matches of a common word: only the blocks that hold them are read.
            within = self.ids if len(self.ids) * SPARSE_RANKING < frequency else None
            docs, weights = self.space.postings(fieldname, text, within)
            where = position[docs]
            hit = where >= 0
            if not hit.any():
                continue
            tf = weights[hit].astype(np.float64)
            lengths = self.space.lengths(fieldname)[docs[hit]]
            norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average)
            scores[where[hit]] += idf * (tf * (BM25_K1 + 1)) / (tf + norm)  # a term's documents are unique
        positive = np.flatnonzero(scores > 0)
        if not len(positive):
            return []
        order = _smallest(-scores[positive], self.ids[positive].astype(np.int64), limit, positions=True)
        return [(int(self.ids[positive[i]]), float(scores[positive[i]])) for i in order]


_MONTH_CITY_PARTS: dict[int, tuple[np.ndarray, np.ndarray, list]] = {}


def _month_city_parts(names: list) -> tuple[np.ndarray, np.ndarray, list]:
    """For each month-and-city code: its month as year * 12 + month - 1 (-1: undated) and its
    city's number; and the cities by number. Kept per number of codes (codes are only added)."""
    parts = _MONTH_CITY_PARTS.get(len(names))
    if parts is None:
        city_names = sorted({name[1] for name in names if name is not None})
        city_number = {city: number for number, city in enumerate(city_names)}
        months = np.array([name[0].year * 12 + name[0].month - 1 if name else -1 for name in names],
                          dtype=np.int64)
        cities = np.array([city_number[name[1]] if name else 0 for name in names], dtype=np.int64)
        parts = months, cities, city_names
        with _LOCK:
            _MONTH_CITY_PARTS.clear()
            _MONTH_CITY_PARTS[len(months)] = parts
    return parts


def _values_of(starts: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The value codes of the documents `ids`."""
    if not len(ids) or not len(codes):
        return _EMPTY
    first = starts[ids]
    lengths = starts[ids + 1] - first
    total = int(lengths.sum())
    if not total:
        return _EMPTY
    shift = np.repeat(first - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return codes[shift + np.arange(total)]


def _smallest(keys: np.ndarray, docs: np.ndarray, limit: int, positions: bool = False) -> list[int]:
    """The `limit` documents with the smallest keys (ties: lower document number first)."""
    if not len(keys) or limit <= 0:
        return []
    if limit < len(keys):
        cut = np.partition(keys, limit - 1)[limit - 1]
        candidates = np.flatnonzero(keys <= cut)
    else:
        candidates = np.arange(len(keys))
    order = candidates[np.lexsort((docs[candidates], keys[candidates]))][:limit]
    return order.tolist() if positions else docs[order].tolist()


def _as_counter(bins: np.ndarray, names: list) -> Counter:
    return Counter({names[code]: int(bins[code]) for code in np.flatnonzero(bins).tolist()})


def _rank_terms(query: wq.Query) -> list[tuple[str, str]] | None:
    """The (field, word) terms of a ranking query that is a term or an OR of terms; None otherwise."""
    if type(query) is wq.Term:
        return [(query.fieldname, query.text)]
    if isinstance(query, wq.Or):
        terms = []
        for sub in query.subqueries:
            inner = _rank_terms(sub)
            if inner is None:
                return None
            terms.extend(inner)
        return terms
    return None


def matches(searcher, query: wq.Query, filter_: wq.Query | None) -> Matches:
    """The documents matching query AND filter."""
    space = Space(searcher)
    if not space.leaves:
        return Matches(space, _EMPTY)  # an empty index
    ids = evaluate(query, space)
    if len(ids) and filter_ is not None:
        ids = _intersect(ids, evaluate(filter_, space), space.size)
    return Matches(space, ids)


def collapsed(found: Matches, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The ranking with one document per story (the best placed)."""
    seen: set[str] = set()
    kept = []
    for doc, score in ranked:
        story = found.story_of(doc)
        if story:
            if story in seen:
                continue
            seen.add(story)
        kept.append((doc, score))
    return kept
