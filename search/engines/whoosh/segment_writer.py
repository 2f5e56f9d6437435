"""Whoosh segments written straight from a batch of documents.

A bulk batch is new documents only: nothing to delete, nothing to merge. Whoosh's
SegmentWriter still sends every posting through a general pool (a tuple per
posting, an external sort) and then reads each posting's field length back from
the lengths column it has just written; in a profile of an ingest that was most of the
indexing processes' time, with the generic token loop of the analysers next. :class:`SegmentBuilder` keeps the postings of a batch in
per-term lists (documents arrive in order, so they are already sorted), asks the
project's tokenizers for a document's terms directly, and hands the result to
Whoosh's own codec writers, so the files are the ones Whoosh would write
(tests/test_segment_writer.py compares the two term by term).
"""
from __future__ import annotations

import multiprocessing
import traceback
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pickle import dumps

from whoosh.analysis import CompositeAnalyzer
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.fields import Schema, UnknownFieldError
from whoosh.formats import Existence, Positions
from whoosh.system import emptybytes, pack_int
from whoosh.util.numeric import byte_to_length, length_to_byte

from archive.text.dictionary import use_full_dictionary
from search.analysis import BigramTokenizer, CharTokenizer, WordTokenizer
from search.engines.whoosh import fileformat
from search.engines.whoosh.fileformat import DATA_PROTOCOL
from search.engines.whoosh.presence_terms import write_presence_field
from search.engines.whoosh.term_table import POSTINGS_EXTENT, TERMINFO, TermTable

SPLIT_CHECK = 50  # documents between two looks at whether a second process may start
MIN_SPLIT = 100  # fewer documents left are finished by one process (a fork costs more)


def _quantised(length: int) -> int:
    """The field length as the lengths column gives it back (one byte per document)."""
    return byte_to_length(length_to_byte(length)) if length else 0


class SegmentBuilder:
    """Collects documents and writes them as one new segment of `storage`."""

    def __init__(self, storage, schema: Schema, indexname: str, codec) -> None:
        use_full_dictionary()  # a batch segments thousands of texts: jieba's dict, not the compact one
        self.storage = storage
        self.schema = schema
        self.codec = codec
        self.segment = codec.new_segment(storage, indexname)
        self._perdoc = codec.per_document_writer(storage, self.segment)
        self._docnum = 0
        # field -> term bytes -> document numbers (and, for fields with frequencies or
        # positions, weights and values alongside)
        self._docs: dict[str, dict[bytes, list[int]]] = defaultdict(dict)
        self._weights: dict[str, dict[bytes, list[float]]] = defaultdict(dict)
        self._values: dict[str, dict[bytes, list[bytes]]] = defaultdict(dict)
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)
        self._plans = {name: _plan(field) for name, field in schema.items()}

    def add_document(self, **fields) -> None:
        docnum = self._docnum
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        for name in sorted(name for name in fields if not name.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            if name not in self.schema:
                raise UnknownFieldError(f"No field named {name!r} in {self.schema}")
            field = self.schema[name]
            length = self._index(name, field, value, docnum) if field.indexed else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self._docnum += 1

    def _index(self, name: str, field, value, docnum: int) -> int:
        """Add the field's postings; returns its length (0 when not scorable)."""
        kind, terms = self._plans[name](field, value)
        docs = self._docs[name]
        length = 0
        if kind == "presence":
            for btext in terms:
                found = docs.get(btext)
                if found is None:
                    docs[btext] = [docnum]
                else:
                    found.append(docnum)
            length = len(terms)
        else:
            weights, values = self._weights[name], self._values[name]
            for btext, freq, weight, vbytes in terms:
                found = docs.get(btext)
                if found is None:
                    docs[btext], weights[btext], values[btext] = [docnum], [weight], [vbytes or emptybytes]
                else:
                    found.append(docnum)
                    weights[btext].append(weight)
                    values[btext].append(vbytes or emptybytes)
                length += freq
        if not field.scorable:
            return 0
        if length:
            self._lengths[name][docnum] = _quantised(length)
        return length

    def doc_count(self) -> int:
        return self._docnum

    def finish(self) -> Segment:
        """Write the postings and assemble the segment's compound file."""
        self._perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self._docs):
            field = self.schema[name]
            writer.start_field(name, field)
            lengths = self._lengths.get(name, {})
            if self._plans[name].presence:
                parts = fileformat.term_writer_parts(writer)
                if parts.compression:  # pragma: no cover - not the codec codec() makes
                    raise ValueError("presence fields are written with uncompressed posting blocks")
                write_presence_field(parts, field.format.field_boost, self._docs[name], lengths)
            else:
                _write_field(writer, field, self._docs[name], self._weights[name], self._values[name], lengths)
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self._docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment


def _write_field(writer, field, by_term: dict[bytes, list[int]], weights: dict, values: dict,
                 lengths: dict[int, int]) -> None:
    """Every term of a field, written as Whoosh 2.7.4's W3 codec writes it (the version
    requirements.txt pins): per term, blocks of up to `blocklimit` postings, each a pickled
    (delta-encoded ids, weights, values) after a pickled block header, in the postings file,
    and a term-info record in the terms file. Whoosh does that with four objects and some
    twenty calls per term (most of a segment's writing time); here each file's bytes are
    gathered in one buffer and written at once (presence-only fields: presence_terms.py).
    tests/test_segment_writer.py reads the result back against Whoosh's own writer."""
    parts = fileformat.term_writer_parts(writer)
    limit, compression = parts.block_limit, parts.compression
    fixed = field.format.fixed_value_size()
    pfile = parts.postings_file
    pbase, pbuf = pfile.tell(), bytearray()
    terms = TermTable(parts)
    for btext in sorted(by_term):
        docs = by_term[btext]
        start = pbase + len(pbuf)
        pbuf += WHOOSH3_HEADER_MAGIC
        total_weight, min_length, max_length, max_weight = 0.0, None, 0, 0
        for first in range(0, len(docs), limit):
            ids = docs[first:first + limit]
            raw_weights = weights[btext][first:first + limit]
            block_values = [value for value in values[btext][first:first + limit] if value]
            stored_weights = array("f", raw_weights)
            block_max_weight = max(0, *raw_weights)
            block_lengths = [lengths[doc] for doc in ids if doc in lengths]
            low, high = (min(block_lengths), max(block_lengths)) if block_lengths else (None, 0)
            data = dumps((_deltas(ids), _mini_weights(stored_weights), _mini_values(block_values, fixed)),
                         DATA_PROTOCOL)
            if compression:
                data = zlib.compress(data, compression)
            info = dumps((len(ids), ids[-1], block_max_weight, compression, length_to_byte(low),
                          length_to_byte(high)), 2)
            size = len(info) + len(data)
            pbuf += pack_int(-size if first + limit >= len(docs) else size)
            pbuf += info
            pbuf += data
            total_weight += sum(stored_weights)
            if low is not None:
                min_length = low if min_length is None else min(min_length, low)
            max_length = max(max_length, high)
            max_weight = max(max_weight, block_max_weight)
        terminfo = TERMINFO.pack(False, total_weight, len(docs), length_to_byte(min_length),
                                  length_to_byte(max_length), max_weight, docs[0], docs[-1])
        terms.add(btext, terminfo + POSTINGS_EXTENT.pack(start, pbase + len(pbuf) - start))
    pfile.write(bytes(pbuf))
    terms.write()


def _deltas(ids: list[int]) -> tuple[int, ...]:
    previous = 0
    out = []
    for docnum in ids:
        out.append(docnum - previous)
        previous = docnum
    return tuple(out)


def _mini_weights(weights: array):
    """W3PostingsWriter._mini_weights: None when all are 1.0, one value when all are equal."""
    first = weights[0]
    if first == 1.0 and all(weight == 1.0 for weight in weights):
        return None
    if all(weight == first for weight in weights):
        return first
    return tuple(weights)


def _mini_values(values: list[bytes] | None, fixed: int | None):
    """W3PostingsWriter._mini_values for the format's fixed value size."""
    if fixed is None or fixed < 0:
        return tuple(values or ())
    if fixed == 0:
        return None
    return emptybytes.join(values or ())


class _Plan:
    """How one field's terms are found: the project's tokenizers directly, else Whoosh."""

    presence = False

    def __call__(self, field, value):
        return "generic", list(field.index(value))


class _PositionsPlan(_Plan):
    """Terms with their positions, from the word tokenizer's ``term_positions``."""

    def __init__(self, tokenizer: WordTokenizer, format_: Positions) -> None:
        self.tokenizer, self.format = tokenizer, format_
        self._single: dict[int, bytes] = {}  # position -> value of a word seen once (most words)

    def __call__(self, field, value):
        boost, encode, single = self.format.field_boost, self.format.encode, self._single
        terms = []
        for word, positions in self.tokenizer.term_positions(value).items():
            if len(positions) == 1:
                vbytes = single.get(positions[0])
                if vbytes is None:
                    vbytes = single[positions[0]] = encode(positions)
            else:
                vbytes = encode(positions)
            terms.append((word.encode("utf-8"), len(positions), len(positions) * boost, vbytes))
        return "weighted", terms


class _PresencePlan(_Plan):
    presence = True

    def __init__(self, tokenizer: CharTokenizer | BigramTokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, field, value):
        return "presence", self.tokenizer.term_set(value)


def _plan(field) -> _Plan:
    analyzer = getattr(field, "analyzer", None)
    tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) and len(analyzer.items) == 1 else None
    if isinstance(tokenizer, WordTokenizer) and type(field.format) is Positions:
        return _PositionsPlan(tokenizer, field.format)
    if isinstance(tokenizer, (CharTokenizer, BigramTokenizer)) and type(field.format) is Existence:
        return _PresencePlan(tokenizer)
    return _Plan()


def build(storage, schema: Schema, indexname: str, codec, documents: Iterable[dict | None]) -> list[Segment]:
    """One segment holding `documents` (none when there are no documents; a None is skipped)."""
    builder = SegmentBuilder(storage, schema, indexname, codec)
    for doc in documents:
        if doc is not None:
            builder.add_document(**doc)
    if not builder.doc_count():
        return []
    return [builder.finish()]


def build_in_two(storage, schema: Schema, indexname: str, codec, documents: Sequence[dict | None],
                 split_when: Callable[[], bool] | None = None) -> list[Segment]:
    """Two segments built at once, the documents not yet added shared with a forked process:
    from the start, or (with `split_when`) from the first time `split_when()` says a second
    core is free, asked every SPLIT_CHECK documents (one segment if it never is). An ingest's
    indexing child builds in one process while the parent parses and splits its batch as soon
    as the parsing ends, instead of leaving a core idle for the rest of the batch.

    `documents` may be lazy (search/indexing/outbox.py reads articles as it is iterated, so each
    process reads its own part): the split is by position, and a document that turned out
    not to exist is a None, skipped, so that positions stay those of the sequence."""
    builder = SegmentBuilder(storage, schema, indexname, codec)  # creates the shared temporary folder first
    end = len(documents)
    child = receiver = None
    try:
        for i, doc in enumerate(documents):
            if i == end:
                break
            if child is None and i % SPLIT_CHECK == 0 and (
                    split_when is None or (end - i >= MIN_SPLIT and split_when())):
                end = i + (end - i) // 2
                child, receiver = _start_child(storage, schema, indexname, codec, documents[end:])
            if doc is not None:
                builder.add_document(**doc)
        segments = [builder.finish()] if builder.doc_count() else []
        if child is None:
            return segments
        try:
            outcome = receiver.recv()
        except EOFError:  # the process died without a word (killed)
            outcome = None
    finally:
        if child is not None:
            child.join()
    if outcome is None:
        outcome = f"the process ended with exit code {child.exitcode} and no result"
    if isinstance(outcome, str):
        raise RuntimeError(f"building a segment in a second process failed:\n{outcome}")
    return segments + outcome


def _start_child(storage, schema, indexname, codec, documents):
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_build_child, args=(sender, storage, schema, indexname, codec, documents))
    child.start()
    sender.close()
    return child, receiver


def _build_child(sender, storage, schema, indexname, codec, documents) -> None:
    try:
        sender.send(build(storage, schema, indexname, codec, documents))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        sender.send(traceback.format_exc())
    finally:
        sender.close()
