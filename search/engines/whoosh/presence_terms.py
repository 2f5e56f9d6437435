"""The term records of a presence-only field (Existence format: no frequencies, no positions),
written as Whoosh 2.7.4's W3 codec writes them, for a segment of new documents.

The pair field (`grams`) is most of a segment's terms, and two thirds of its terms occur in one
document only (a pair across two words, a name): per-term work, not per-posting work, is what
costs. A one-posting term's whole posting list (header, block info and block) depends only on
its document, so it is built once per document and reused for every such term; longer lists
take the general path. tests/test_segment_writer.py reads the result back against Whoosh's
own writer, term by term.
"""
from __future__ import annotations

from array import array
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte

from search.engines.whoosh.fileformat import DATA_PROTOCOL, TermWriterParts
from search.engines.whoosh.term_table import POSTINGS_EXTENT, TERMINFO, TermTable


class _OnePosting:
    """A one-document posting list's bytes and term-info record, per document."""

    def __init__(self, boost: float, lengths: dict[int, int]) -> None:
        self.boost, self.lengths = boost, lengths
        self.weights = None if boost == 1.0 else boost  # W3's mini weights
        self._cache: dict[int, tuple[bytes, bytes]] = {}

    def __call__(self, docnum: int) -> tuple[bytes, bytes]:
        found = self._cache.get(docnum)
        if found is None:
            length = self.lengths.get(docnum)
            low = length_to_byte(length)
            info = dumps((1, docnum, self.boost, 0, low, length_to_byte(length or 0)), 2)
            data = dumps(((docnum,), self.weights, None), DATA_PROTOCOL)
            block = WHOOSH3_HEADER_MAGIC + pack_int(-(len(info) + len(data))) + info + data
            terminfo = TERMINFO.pack(False, self.boost, 1, low, length_to_byte(length or 0), self.boost,
                                     docnum, docnum)
            found = self._cache[docnum] = (block, terminfo)
        return found


def write_presence_field(parts: TermWriterParts, boost: float, by_term: dict[str, list[int]],
                         lengths: dict[int, int]) -> None:
    """Every term of a presence-only field: `by_term` maps each term (text) to its documents
    in ascending order; `lengths` holds the documents' quantised field lengths."""
    limit, pfile = parts.block_limit, parts.postings_file
    pbase, pbuf = pfile.tell(), bytearray()
    terms = TermTable(parts)
    one_posting = _OnePosting(boost, lengths)
    weights = one_posting.weights
    for text in sorted(by_term):  # code point order is UTF-8 byte order
        docs = by_term[text]
        start = pbase + len(pbuf)
        if len(docs) == 1:
            block, terminfo = one_posting(docs[0])
            pbuf += block
        else:
            pbuf += WHOOSH3_HEADER_MAGIC
            terminfo = _blocks(pbuf, docs, limit, boost, weights, lengths)
        terms.add(text.encode("utf-8"), terminfo + POSTINGS_EXTENT.pack(start, pbase + len(pbuf) - start))
    pfile.write(bytes(pbuf))
    terms.write()


def _blocks(pbuf: bytearray, docs: list[int], limit: int, boost: float, weights: float | None,
            lengths: dict[int, int]) -> bytes:
    """Appends a posting list of several documents, blocks of up to `limit`; returns its
    term-info record."""
    min_length, max_length, total_weight = None, 0, 0.0
    stored_weight = array("f", [boost])[0]  # W3 sums the weights as stored (four bytes each)
    for first in range(0, len(docs), limit):
        ids = docs[first:first + limit]
        block_lengths = [lengths[doc] for doc in ids if doc in lengths]
        low, high = (min(block_lengths), max(block_lengths)) if block_lengths else (None, 0)
        previous, deltas = 0, []
        for docnum in ids:
            deltas.append(docnum - previous)
            previous = docnum
        data = dumps((tuple(deltas), weights, None), DATA_PROTOCOL)
        info = dumps((len(ids), ids[-1], boost, 0, length_to_byte(low), length_to_byte(high)), 2)
        size = len(info) + len(data)
        pbuf += pack_int(-size if first + limit >= len(docs) else size)
        pbuf += info
        pbuf += data
        if low is not None:
            min_length = low if min_length is None else min(min_length, low)
        max_length = max(max_length, high)
        total_weight += sum([stored_weight] * len(ids))
    return TERMINFO.pack(False, total_weight, len(docs), length_to_byte(min_length),
                         length_to_byte(max_length), boost, docs[0], docs[-1])

