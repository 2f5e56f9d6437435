"""The values of multi-valued fields (industry, company, person, place) per document.

Whoosh's overlapping field facet walks the field's whole term list and every
posting list on every query — about 200 ms at 5,000 articles whatever the
hits. Segments never change once written, so each segment's document →
values map is read once per process and kept (search/engine.py counts from it).
"""
from __future__ import annotations

import threading
from collections import defaultdict


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


def forget_other_segments(searcher) -> set[str]:
    """Drop cached maps of segments the current index no longer has (merged away);
    returns the ids of the segments it has."""
    live = {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()
            if hasattr(reader, "segment") and reader.segment() is not None}
    with _LOCK:
        for key in [key for key in _CACHE if key[0] not in live]:
            del _CACHE[key]
    return live
