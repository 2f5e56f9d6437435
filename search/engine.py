"""Running a search over Whoosh's segments with array arithmetic instead of matchers.

A results page needs more than its ten hits: how many stories match, facet
counts over every match, a month-by-city timeline, and the best ten by
relevance. Whoosh answers those by walking every matching document through
nested matcher, scorer and collector objects in Python, about 10 µs a document:
at 100,000 articles a common word matches tens of thousands. Here a compiled
query is evaluated per segment on sorted NumPy arrays of document numbers,
decoded a posting list at a time (search.engine.evaluate); the per-document
values (city, story, date, field lengths, …) are per-segment arrays read once
per process; counting is `bincount`, ordering `argpartition`, and relevance is
Whoosh's own BM25F formula computed over whole posting arrays.

Everything works on segment-local document numbers; segments never change once
written (deletions are applied from the segment's deleted set on every query),
so the per-segment caches stay valid until a merge removes the segment
(`forget_segments`).
"""
from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import os
import pickle
import threading
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.filedb.compound import SubFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE as _INT, unpack_int
from whoosh.util.numeric import byte_to_length


_LOCK = threading.Lock()
_COLUMNS: dict[tuple[str, str], object] = {}  # (segment id, what) → per-document values
_UNDATED = 1 << 40  # sorts after every date
_EMPTY = np.zeros(0, dtype=np.int32)
POSTINGS_CACHE_BYTES = 48 * 1024 * 1024
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults, as the searcher would use


class _PostingsCache:
    """Decoded posting arrays of recently used terms, per segment, within a byte budget:
    a frequent word is decoded once per process, not once per query."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        with _LOCK:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        size = sum(array.nbytes for array in value)
        if size > self.budget // 4:
            return
        with _LOCK:
            if key in self._items:
                return
            self._items[key] = value
            self.used += size
            while self.used > self.budget:
                _old, dropped = self._items.popitem(last=False)
                self.used -= sum(array.nbytes for array in dropped)

    def forget(self, live: set[str]) -> None:
        with _LOCK:
            for key in [key for key in self._items if key[0] not in live]:
                self.used -= sum(array.nbytes for array in self._items.pop(key))


_POSTINGS = _PostingsCache(POSTINGS_CACHE_BYTES)


# -- evaluating a compiled query on one segment -----------------------------------
def postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Every posting of a term in one segment, deleted documents included: document
    numbers (ascending) and weights, read a whole block at a time."""
    key = (reader.segment().segment_id(), fieldname, text)
    cached = _POSTINGS.get(key)
    if cached is not None:
        return cached
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return _EMPTY, np.zeros(0, dtype=np.float32)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
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


def _decode_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh stores each block's ids as deltas from 0 and its weights as a tuple, one
    float, or nothing (all 1.0). The deltas of all blocks are joined, each block's
    first one rebased on the previous block's last id, and summed once."""
    deltas: list = []
    weights: list = []
    last_id = 0
    for count, max_id, (block_ids, block_weights, _values) in _blocks(matcher):
        first = len(deltas)
        deltas.extend(block_ids)
        deltas[first] -= last_id
        last_id = max_id
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
    docs = np.cumsum(np.asarray(deltas, dtype=np.int64)).astype(np.int32)
    return docs, np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)


READ_AHEAD = 256 * 1024


def _blocks(matcher: W3LeafMatcher):
    """(postings, last id, (ids, weights, values)) of each block of a term's posting list.

    Whoosh reads a block with a seek and several small reads through two file wrappers
    (an integer, a pickle read byte-wise, the data): a tenth of a results page's time at
    100,000 articles. Here the list is read in large positioned reads from the segment
    file and the blocks are cut from memory."""
    raw = _raw_file(matcher._postfile)
    if raw is None:  # an in-memory index: Whoosh's own block reading
        while True:
            if matcher._data is None:
                matcher._read_data()
            yield matcher._blocklength, matcher._maxid, matcher._data
            if matcher._lastblock:
                return
            matcher._goto(matcher._nextoffset)
    fd, base = raw
    position = base + matcher._baseoffset  # file position of buffer[0]
    buffer = b""
    at = 0  # where the next block starts in buffer

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
        data = block.read()
        yield count, max_id, pickle.loads(zlib.decompress(data) if compression else data)
        at += _INT + length
        if last:
            return


def _raw_file(postfile) -> tuple[int, int] | None:
    """The operating-system file and the offset of a segment's postings in it, when on disk."""
    sub = getattr(postfile, "file", None)
    if not isinstance(sub, SubFile):
        return None
    try:
        return sub._file.fileno(), sub._offset
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


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


def term_ids(reader, fieldname: str, text: str) -> np.ndarray:
    """Segment-local numbers of the live documents holding the term (ascending)."""
    docs = postings(reader, fieldname, text)[0]
    live = live_mask(reader)
    return docs if live is None or not len(docs) else docs[live[docs]]


def evaluate(query: wq.Query, searcher) -> np.ndarray:
    """Segment-local numbers (ascending, unique) of the documents `query` matches in
    this segment's searcher.

    Terms and the boolean operators the search compiles to are array operations;
    date ranges are read from the date column; anything else (phrases) is left to
    Whoosh's own matcher."""
    kind = type(query)
    if kind is wq.Term:
        return term_ids(searcher.reader(), query.fieldname, query.text)
    if kind is wq.And:
        result: np.ndarray | None = None
        for sub in sorted(query.subqueries, key=_cheap_first):
            ids = evaluate(sub, searcher)
            result = ids if result is None else np.intersect1d(result, ids, assume_unique=True)
            if not len(result):
                return _EMPTY
        return _EMPTY if result is None else result
    if isinstance(query, wq.Or):  # every OR variant is a union
        sets = [evaluate(sub, searcher) for sub in query.subqueries]
        sets = [ids for ids in sets if len(ids)]
        if not sets:
            return _EMPTY
        if query.minmatch and query.minmatch > 1:
            docs, counts = np.unique(np.concatenate(sets), return_counts=True)
            return docs[counts >= query.minmatch].astype(np.int32)
        return sets[0] if len(sets) == 1 else np.unique(np.concatenate(sets)).astype(np.int32)
    if kind is wq.AndNot:
        positive = evaluate(query.a, searcher)
        if not len(positive):
            return _EMPTY
        return np.setdiff1d(positive, evaluate(query.b, searcher), assume_unique=True)
    if kind is wq.AndMaybe:
        return evaluate(query.a, searcher)
    if kind is wq.Require:
        return np.intersect1d(evaluate(query.a, searcher), evaluate(query.b, searcher), assume_unique=True)
    if kind is wq.DateRange and query.fieldname == "date":
        return _date_range(searcher.reader(), query)
    return np.fromiter(query.matcher(searcher).all_ids(), dtype=np.int32)


def _cheap_first(query: wq.Query) -> int:
    """Evaluate an AND's plain terms first: an empty one ends it before a phrase is read."""
    return 0 if type(query) is wq.Term else 1


def _date_range(reader, query: wq.DateRange) -> np.ndarray:
    days = day_numbers(reader)
    start = query.startdate.toordinal() if query.startdate else 1
    end = query.enddate.toordinal() if query.enddate else _UNDATED
    docs = np.flatnonzero((days >= start) & (days <= end) & (days > 0)).astype(np.int32)
    live = live_mask(reader)
    return docs if live is None else docs[live[docs]]


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


def _values_of(starts: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The value codes of the documents `ids` (ascending)."""
    lengths = starts[ids + 1] - starts[ids]
    total = int(lengths.sum())
    if not total:
        return _EMPTY
    if total * 4 > len(codes):  # many documents: one pass over the segment's values
        chosen = np.zeros(len(starts) - 1, dtype=bool)
        chosen[ids] = True
        return codes[np.repeat(chosen, np.diff(starts))]
    first = np.repeat(starts[ids] - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return codes[first + np.arange(total)]


def _all_postings(reader, fieldname: str, text: str) -> np.ndarray:
    """A term's documents without going through (or filling) the postings cache."""
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
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
    """Drop what is cached for segments the index no longer has (merged away)."""
    with _LOCK:
        for key in [key for key in _COLUMNS if key[0] not in live]:
            del _COLUMNS[key]
    _POSTINGS.forget(live)


# -- the matches of one search --------------------------------------------------------
@dataclass
class SegmentMatches:
    searcher: object
    offset: int
    ids: np.ndarray  # ascending segment-local document numbers

    @property
    def reader(self):
        return self.searcher.reader()


@dataclass
class Matches:
    """Every document a compiled query (and filter) matches, segment by segment."""

    searcher: object
    segments: list[SegmentMatches]
    _offsets: list[int] = field(default_factory=list)

    def __post_init__(self):
        self._offsets = [segment.offset for segment in self.segments]

    @property
    def count(self) -> int:
        return sum(len(segment.ids) for segment in self.segments)

    def global_ids(self) -> set[int]:
        return {segment.offset + doc for segment in self.segments for doc in segment.ids.tolist()}

    def _segment_of(self, docnum: int) -> SegmentMatches:
        return self.segments[bisect.bisect_right(self._offsets, docnum) - 1]

    def story_of(self, docnum: int) -> str:
        segment = self._segment_of(docnum)
        codes, labels = column_codes(segment.reader, "story")
        return labels[codes[docnum - segment.offset]]

    def story_count(self) -> int:
        """Matches counted as stories: copies of one report count once; articles without a story key count alone."""
        if not self.segments:
            return 0
        codes = np.concatenate([global_codes(segment.reader, "story")[segment.ids] for segment in self.segments])
        alone = labels_of("story").code("")
        return int(np.count_nonzero(codes == alone)) + len(np.unique(codes[codes != alone]))

    def value_counts(self, fieldname: str) -> Counter:
        """How many matching articles have each value of a one-value keyword field."""
        bins = self._bins(fieldname, [global_codes(s.reader, fieldname)[s.ids] for s in self.segments])
        return _as_counter(bins, labels_of(fieldname).names)

    def multi_value_counts(self, fieldname: str, limit: int | None = None) -> Counter:
        """Counts for a several-values field (companies, industries, …); with `limit`, only the
        values with the `limit` highest counts (ties at the cut: the first by value)."""
        chosen_codes = [_values_of(*doc_values(segment.reader, fieldname), segment.ids) for segment in self.segments]
        bins = self._bins(fieldname, chosen_codes)
        names = labels_of(fieldname).names
        if limit is None or np.count_nonzero(bins) <= limit:
            return _as_counter(bins, names)
        cut = np.partition(bins, len(bins) - limit)[len(bins) - limit]
        rows = sorted(((names[code], int(bins[code])) for code in np.flatnonzero(bins >= max(cut, 1)).tolist()),
                      key=lambda row: (-row[1], row[0]))
        return Counter(dict(rows[:limit]))

    @staticmethod
    def _bins(fieldname: str, code_arrays: list[np.ndarray]) -> np.ndarray:
        size = len(labels_of(fieldname).names)
        if not code_arrays:
            return np.zeros(size, dtype=np.int64)
        return np.bincount(np.concatenate(code_arrays), minlength=size)

    def month_city_counts(self) -> Counter:
        """(first day of month, city) → matching dated articles."""
        bins = self._bins("month/city", [global_codes(s.reader, "month/city")[s.ids] for s in self.segments])
        counts = _as_counter(bins, labels_of("month/city").names)
        counts.pop(None, None)
        return counts

    def by_date(self, limit: int, newest_first: bool) -> list[int]:
        """The first `limit` matches by date, undated ones last (ties: lower document number first)."""
        keys, docs = [], []
        for segment in self.segments:
            days = day_numbers(segment.reader)[segment.ids].astype(np.int64)
            key = np.where(days > 0, -days if newest_first else days, _UNDATED)
            keys.append(key)
            docs.append(segment.ids.astype(np.int64) + segment.offset)
        if not keys:
            return []
        return _smallest(np.concatenate(keys), np.concatenate(docs), limit)

    def ranked(self, rank_query: wq.Query | None, limit: int) -> list[tuple[int, float]]:
        """The best `limit` matches by relevance (Whoosh's BM25F over the word terms, headline
        matches weigh most by field boost); matches no word term scores follow, newest first."""
        scored: list[tuple[int, float]] = []
        if not self.segments:
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
        stats = {}
        for fieldname, text in set(terms):
            frequency = top.doc_frequency(fieldname, text)
            if frequency:
                idf = math.log(total_docs / (frequency + 1)) + 1
                stats[(fieldname, text)] = (idf, top.avg_field_length(fieldname) or 1)
        all_scores, all_docs = [], []
        for segment in self.segments:
            reader = segment.reader
            scores = np.zeros(len(segment.ids), dtype=np.float64)
            for term in terms:
                if term not in stats:
                    continue
                idf, average = stats[term]
                docs, weights = postings(reader, *term)
                if not len(docs):
                    continue
                where = np.searchsorted(segment.ids, docs)
                where[where == len(segment.ids)] = 0
                hit = segment.ids[where] == docs
                if not hit.any():
                    continue
                tf = weights[hit].astype(np.float64)
                lengths = field_lengths(reader, term[0])[docs[hit]]
                norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average)
                scores[where[hit]] += idf * (tf * (BM25_K1 + 1)) / (tf + norm)
            positive = scores > 0
            all_scores.append(scores[positive])
            all_docs.append(segment.ids[positive].astype(np.int64) + segment.offset)
        if not all_scores:
            return []
        scores = np.concatenate(all_scores)
        docs = np.concatenate(all_docs)
        order = _smallest(-scores, docs, limit, positions=True)
        return [(int(docs[i]), float(scores[i])) for i in order]


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
    segments = []
    for subsearcher, offset in searcher.leaf_searchers():
        if subsearcher.reader().segment() is None:
            continue  # an empty index
        ids = evaluate(query, subsearcher)
        if len(ids) and filter_ is not None:
            ids = np.intersect1d(ids, evaluate(filter_, subsearcher), assume_unique=True)
        if len(ids):
            segments.append(SegmentMatches(subsearcher, offset, ids))
    return Matches(searcher, segments)


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
