"""The searcher's segments joined end to end as one array space, in Whoosh's global
document numbers: an index fresh from a bulk ingest has twenty segments or more, and a
search runs once over all of them."""
from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.engines.whoosh.caches import JOINED, LOCK
from search.engines.whoosh.columns import (
    day_numbers,
    doc_values,
    field_lengths,
    global_codes,
    labels_of,
    live_mask,
)
from search.engines.whoosh.docsets import EMPTY
from search.engines.whoosh.postings import postings, segment_doc_frequency

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
        value = JOINED.get(key)
        if value is None:
            value = build(self)
            with LOCK:
                JOINED[key] = value
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
        cached = JOINED.get((self.segment_ids, "live"))
        if cached is not None and cached[0] == deleted:
            return cached[1]
        parts = []
        for sub, _offset in self.leaves:
            mask = live_mask(sub.reader())
            parts.append(np.ones(sub.reader().doc_count_all(), dtype=bool) if mask is None else mask)
        mask = np.concatenate(parts)
        with LOCK:
            JOINED[(self.segment_ids, "live")] = (deleted, mask)
        return mask

    def story_sizes(self) -> np.ndarray:
        """Live documents per story code. Like the live mask, kept for the latest deletions only
        (a re-indexed article leaves its old document deleted, with the same story)."""
        deleted = self._deleted_counts()
        cached = JOINED.get((self.segment_ids, "story/sizes"))
        if cached is not None and cached[0] == deleted:
            return cached[1]
        codes, live = self.codes("story"), self.live()
        sizes = np.bincount(codes if live is None else codes[live], minlength=len(labels_of("story").names))
        with LOCK:
            JOINED[(self.segment_ids, "story/sizes")] = (deleted, sizes)
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
            return EMPTY, np.zeros(0, dtype=np.float32)
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
                return np.zeros(1, dtype=np.int64), EMPTY
            return np.concatenate([*starts, [base]]).astype(np.int64), np.concatenate(codes)

        return self.joined("values/" + fieldname, build)

    def dense_values(self, fieldname: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The values that many documents hold (a place named in most articles) as bitmaps:
        (their codes, one packed row of bits per code), and the other values as (document,
        code) pairs. Counting a large match set is then a popcount per common value."""
        def build(space):
            starts, codes = space.values(fieldname)
            owners = np.repeat(np.arange(space.size, dtype=np.int32), np.diff(starts))
            holders = np.bincount(codes) if len(codes) else EMPTY
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
        return np.concatenate(parts) if parts else EMPTY
