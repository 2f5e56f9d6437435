"""Counting multi-valued facets (industry, company, person, place) quickly.

Whoosh's overlapping field facet walks the field's whole term list and every
posting list on every query — about 200 ms at 5,000 articles whatever the
hits. Segments never change once written, so each segment's document →
values map is read once per process and kept; a query then only looks up
the documents it matched.
"""
from __future__ import annotations

import threading
from collections import defaultdict

from whoosh import sorting

_CACHE: dict[tuple[str, str], dict[int, tuple[str, ...]]] = {}
_LOCK = threading.Lock()


def segment_values(reader, fieldname: str) -> dict[int, tuple[str, ...]]:
    """Local document number → the field's values, for one segment (cached)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return {}  # an empty index has no segment, and no values
    key = (segment.segment_id(), fieldname)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    values: dict[int, list[str]] = defaultdict(list)
    if fieldname in reader.indexed_field_names():
        for raw in reader.lexicon(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            for docnum in reader.postings(fieldname, raw).all_ids():
                values[docnum].append(term)
    frozen = {docnum: tuple(terms) for docnum, terms in values.items()}
    with _LOCK:
        _CACHE[key] = frozen
    return frozen


def forget_other_segments(searcher) -> None:
    """Drop cached maps of segments the current index no longer has (merged away)."""
    live = {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()
            if hasattr(reader, "segment") and reader.segment() is not None}
    with _LOCK:
        for key in [key for key in _CACHE if key[0] not in live]:
            del _CACHE[key]


class CachedKeywordFacet(sorting.FacetType):
    """A facet over a multi-valued keyword field, counted from the per-segment cache."""

    def __init__(self, fieldname: str, maptype=None):
        self.fieldname = fieldname
        self.maptype = maptype

    def categorizer(self, global_searcher):
        return _CachedKeywordCategorizer(self.fieldname)


class _CachedKeywordCategorizer(sorting.Categorizer):
    allow_overlap = True

    def __init__(self, fieldname: str):
        self.fieldname = fieldname
        self._values: dict[int, tuple[str, ...]] = {}

    def set_searcher(self, segment_searcher, docoffset):
        self._values = segment_values(segment_searcher.reader(), self.fieldname)

    def keys_for(self, matcher, docnum):
        return self._values.get(docnum, ())

    def key_for(self, matcher, docnum):
        raise NotImplementedError("a multi-valued facet has several keys per document")
