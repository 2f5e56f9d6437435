"""Reading one segment's posting lists as NumPy arrays, a whole list at a time, cached."""
from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from search.engines.whoosh import fileformat
from search.engines.whoosh.caches import NO_TERM, POSTINGS, RECENT_TERM_ENTRIES, TermEntry
from search.engines.whoosh.docsets import EMPTY


def postings(reader, fieldname: str, text: str, within: np.ndarray | None = None,
             ) -> tuple[np.ndarray, np.ndarray]:
    """Every posting of a term in one segment, deleted documents included: document
    numbers (ascending) and weights, read a whole block at a time, and cached. With
    `within` (ascending) and the list not cached, at least those documents' postings:
    only the blocks holding one of them are decoded (not cached), so ranking a few
    matches by a common word reads a few of its blocks."""
    key = (reader.segment().segment_id(), fieldname, text)
    cached = POSTINGS.get(key)
    if cached is not None:
        return cached
    try:
        matcher = open_postings(reader, fieldname, text)
    except TermNotFound:
        return EMPTY, np.zeros(0, dtype=np.float32)
    if within is not None and isinstance(matcher, fileformat.DiskPostings):
        return _postings_in_blocks(matcher, within)
    if isinstance(matcher, (fileformat.DiskPostings, W3LeafMatcher)):
        result = decode_blocks(matcher)
    else:
        docs, weights = [], []
        while matcher.is_active():
            docs.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        result = np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float32)
    POSTINGS.put(key, result)
    return result


def _postings_in_blocks(matcher: fileformat.DiskPostings, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for count, _max_id, data in fileformat.blocks(matcher, wanted=within):
        if data is not None:
            docs.append(np.cumsum(np.asarray(data[0], dtype=np.int64)).astype(np.int32))
            weights.append(_block_weights(count, data[1]))
    if not docs:
        return EMPTY, np.zeros(0, dtype=np.float32)
    return np.concatenate(docs), np.concatenate(weights)


def decode_blocks(matcher: fileformat.DiskPostings | W3LeafMatcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh stores each block's ids as deltas from 0 and its weights as a tuple, one
    float, or nothing (all 1.0). The deltas of all blocks are joined, each block's
    first one rebased on the previous block's last id, and summed once. With `values`,
    the postings' values (encoded positions) are appended to it."""
    deltas: list = []
    weights: list = []
    last_id = 0
    all_ones = True
    for count, max_id, (block_ids, block_weights, block_values) in fileformat.blocks(matcher):
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


def term_entry(reader, fieldname: str, text: str) -> TermEntry:
    """A term's entry in one segment's term table (cached), or Whoosh's document frequency
    alone where there is no on-disk table (an in-memory index)."""
    if not fileformat.has_term_table(reader, fieldname):
        return reader.doc_frequency(fieldname, text), -1, 0
    key = (reader.segment().segment_id(), fieldname, text)
    entry = RECENT_TERM_ENTRIES.get(key)
    if entry is not None:
        return entry
    try:
        info = fileformat.term_info(reader, fieldname, text)
    except TermNotFound:
        entry = NO_TERM
    else:
        offset, length = -1, 0
        if not info.is_inlined():
            offset, length = info.extent()
            if isinstance(length, tuple):  # Whoosh 2.7 reads the length as a 1-tuple (unpack without [0])
                length = length[0]
        entry = info.doc_frequency(), offset, length
    RECENT_TERM_ENTRIES.put(key, entry)
    return entry


def open_postings(reader, fieldname: str, text: str):
    """A term's posting list in one segment (fileformat.open_postings_at); raises TermNotFound."""
    return fileformat.open_postings_at(reader, fieldname, text, term_entry(reader, fieldname, text))


def segment_doc_frequency(reader, fieldname: str, text: str) -> int:
    """Documents of one segment holding the term (deleted ones included, as Whoosh counts)."""
    return term_entry(reader, fieldname, text)[0]


def all_postings(reader, fieldname: str, text: str) -> np.ndarray:
    """A term's documents without going through (or filling) the postings cache."""
    matcher = open_postings(reader, fieldname, text)
    if isinstance(matcher, (fileformat.DiskPostings, W3LeafMatcher)):
        return decode_blocks(matcher)[0]
    return np.fromiter(matcher.all_ids(), dtype=np.int32)
