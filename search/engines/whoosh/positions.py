"""Word positions of a term's postings, decoded in bulk, for phrase matching."""
from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.reading import TermNotFound

from search.engines.whoosh import fileformat
from search.engines.whoosh.caches import POSTINGS
from search.engines.whoosh.columns import live_mask
from search.engines.whoosh.docsets import EMPTY, common, intersect
from search.engines.whoosh.postings import decode_blocks, open_postings, segment_doc_frequency


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
        matcher = open_postings(reader, fieldname, text)
    except TermNotFound:
        return EMPTY, []
    if not isinstance(matcher, (fileformat.DiskPostings, W3LeafMatcher)) or type(reader.schema[fieldname].format) is not Positions:
        return None
    if within is None:
        values: list[bytes] = []
        docs, weights = decode_blocks(matcher, values)
        # The same blocks hold the weights: a phrase's words are ranked next, without a second read.
        POSTINGS.put((reader.segment().segment_id(), fieldname, text), (docs, weights))
        return docs, values
    doc_parts: list[np.ndarray] = []
    values = []
    for _count, _max_id, data in fileformat.blocks(matcher, wanted=within):
        if data is None:
            continue
        block_ids, _weights, block_values = data
        ids = np.cumsum(np.asarray(block_ids, dtype=np.int64))
        kept = _positions_of(ids, within[np.searchsorted(within, ids[0]):np.searchsorted(within, ids[-1], "right")])
        doc_parts.append(ids[kept])
        values.extend(block_values[i] for i in kept.tolist())
    docs = np.concatenate(doc_parts).astype(np.int32) if doc_parts else EMPTY
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
        return np.zeros(1, dtype=np.int64), EMPTY
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


def phrase_in_segment(reader, fieldname: str, words: list[str]) -> np.ndarray | None:
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
            return EMPTY
        found = positions(reader, fieldname, word, within=possible)
        if found is None:
            return None
        docs, starts, flat = found
        owner = np.repeat(docs.astype(np.int64), np.diff(starts))
        for shift in shifts[word]:
            picked = flat.astype(np.int64) - shift
            inside = picked >= 0  # a word before the phrase's start cannot be in it
            keys = (owner[inside] << 32) | picked[inside]
            starts_at = keys if starts_at is None else common(starts_at, keys)
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
        cached = POSTINGS.get((segment, fieldname, word))
        if cached is not None:
            candidates = cached[0] if candidates is None else intersect(candidates, cached[0], reader.doc_count_all())
    return candidates
