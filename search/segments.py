"""Whoosh segments written straight from a batch of documents.

A bulk batch is new documents only: nothing to delete, nothing to merge. Whoosh's
SegmentWriter still sends every posting through a general pool (a tuple per
posting, an external sort) and then reads each posting's field length back from
the lengths column it has just written; in a profile of a 5,000-article ingest that
was about half of the indexing processes' time, and the generic token loop of the
analysers a fifth more. :class:`SegmentBuilder` keeps the postings of a batch in
per-term lists (documents arrive in order, so they are already sorted), asks the
project's tokenizers for a document's terms directly, and hands the result to
Whoosh's own codec writers, so the files are the ones Whoosh would write
(tests/test_segments.py compares the two term by term).
"""
from __future__ import annotations

import multiprocessing
import traceback
from collections import defaultdict
from typing import Iterable, Sequence

from whoosh.analysis import CompositeAnalyzer
from whoosh.codec.base import Segment
from whoosh.fields import Schema, UnknownFieldError
from whoosh.formats import Existence, Positions
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.analysis import SubwordTokenizer, WordTokenizer


def _quantised(length: int) -> int:
    """The field length as the lengths column gives it back (one byte per document)."""
    return byte_to_length(length_to_byte(length)) if length else 0


class SegmentBuilder:
    """Collects documents and writes them as one new segment of `storage`."""

    def __init__(self, storage, schema: Schema, indexname: str, codec) -> None:
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
            presence = self._plans[name].presence
            weight = field.format.field_boost
            lengths = self._lengths.get(name, {})
            writer.start_field(name, field)
            by_term = self._docs[name]
            for btext in sorted(by_term):
                docs = by_term[btext]
                writer.start_term(btext)
                if presence:
                    _add_postings(writer, docs, [weight] * len(docs), None, lengths)
                else:
                    _add_postings(writer, docs, self._weights[name][btext], self._values[name][btext], lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self._docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment


def _add_postings(writer, docs: list[int], weights: list[float], values: list[bytes] | None,
                  lengths: dict[int, int]) -> None:
    """A term's postings, a block at a time: what W3PostingsWriter.add_posting does one
    posting per call (four calls and a dozen checks each: most of a segment's writing
    time), for Whoosh 2.7.4's block buffers (the version requirements.txt pins)."""
    postings = writer._postwriter
    limit = postings._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            postings._write_block()  # a full block; the last one is written by finish_term()
        end = start + limit
        postings._ids.extend(docs[start:end])
        block_weights = weights[start:end]
        postings._weights.extend(block_weights)
        postings._maxweight = max(0, *block_weights)
        if values is not None:
            postings._values.extend(value for value in values[start:end] if value)
        block_lengths = [lengths[doc] for doc in docs[start:end] if doc in lengths]
        if block_lengths:
            postings._minlength, postings._maxlength = min(block_lengths), max(block_lengths)


class _Plan:
    """How one field's terms are found: the project's tokenizers directly, else Whoosh."""

    presence = False

    def __call__(self, field, value):
        return "generic", list(field.index(value))


class _WordPlan(_Plan):
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

    def __init__(self, tokenizer: SubwordTokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, field, value):
        return "presence", [term.encode("utf-8") for term in self.tokenizer.term_set(value)]


def _plan(field) -> _Plan:
    analyzer = getattr(field, "analyzer", None)
    tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) and len(analyzer.items) == 1 else None
    if isinstance(tokenizer, WordTokenizer) and type(field.format) is Positions:
        return _WordPlan(tokenizer, field.format)
    if isinstance(tokenizer, SubwordTokenizer) and type(field.format) is Existence:
        return _PresencePlan(tokenizer)
    return _Plan()


def build(storage, schema: Schema, indexname: str, codec, documents: Iterable[dict]) -> list[Segment]:
    """One segment holding `documents` (none when there are no documents)."""
    builder = SegmentBuilder(storage, schema, indexname, codec)
    for doc in documents:
        builder.add_document(**doc)
    if not builder.doc_count():
        return []
    return [builder.finish()]


def build_in_two(storage, schema: Schema, indexname: str, codec, documents: Sequence[dict]) -> list[Segment]:
    """Two segments built at once, the second half of `documents` in a forked process."""
    half = len(documents) // 2
    builder = SegmentBuilder(storage, schema, indexname, codec)  # creates the shared temporary folder first
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_build_child, args=(sender, storage, schema, indexname, codec, documents[half:]))
    child.start()
    sender.close()
    try:
        for doc in documents[:half]:
            builder.add_document(**doc)
        segments = [builder.finish()] if builder.doc_count() else []
        try:
            outcome = receiver.recv()
        except EOFError:  # the process died without a word (killed)
            outcome = None
    finally:
        child.join()
    if outcome is None:
        outcome = f"the process ended with exit code {child.exitcode} and no result"
    if isinstance(outcome, str):
        raise RuntimeError(f"building a segment in a second process failed:\n{outcome}")
    return segments + outcome


def _build_child(sender, storage, schema, indexname, codec, documents) -> None:
    try:
        sender.send(build(storage, schema, indexname, codec, documents))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        sender.send(traceback.format_exc())
    finally:
        sender.close()
