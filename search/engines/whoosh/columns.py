"""Per-segment document values (city, story, date, field lengths, …) as arrays, read once
per process and cached per segment."""
from __future__ import annotations

import datetime as dt

import numpy as np
from whoosh.util.numeric import byte_to_length

from search.engines.whoosh import fileformat
from search.engines.whoosh.caches import COLUMNS, LOCK, cached
from search.engines.whoosh.docsets import EMPTY
from search.engines.whoosh.postings import all_postings

UNDATED = 1 << 40  # sorts after every date
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def live_mask(reader) -> np.ndarray | None:
    """False for the segment's deleted documents, or None when it has none."""
    segment = reader.segment()
    count = segment.deleted_count()
    if not count:
        return None
    key = (segment.segment_id(), f"live/{count}")
    cached = COLUMNS.get(key)
    if cached is None:
        cached = np.ones(reader.doc_count_all(), dtype=bool)
        cached[np.fromiter(segment.deleted_docs(), dtype=np.int64, count=count)] = False
        with LOCK:
            COLUMNS[key] = cached
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
            with LOCK:
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
        with LOCK:
            labels = _LABELS.setdefault(what, _Labels())
    return labels


def global_codes(reader, what: str) -> np.ndarray:
    """Each document's value of a one-value field as a process-wide number."""
    def build():
        codes, names = column_codes(reader, what) if what != "month/city" else month_city_codes(reader)
        return labels_of(what).codes(names)[codes]

    return cached((reader.segment().segment_id(), "global/" + what), build)


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

    return cached((reader.segment().segment_id(), fieldname), build)


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

    return cached((reader.segment().segment_id(), "days"), build)


def month_city_codes(reader) -> tuple[np.ndarray, list]:
    """One code per document naming its (first day of month, city), None when undated."""
    def build():
        days = day_numbers(reader)
        cities, city_labels = column_codes(reader, "city")
        labels: list = []
        index: dict = {}
        codes = np.zeros(len(days), dtype=np.int32)
        for doc, (day, city) in enumerate(zip(days.tolist(), cities.tolist(), strict=False)):
            label = (dt.date.fromordinal(day).replace(day=1), city_labels[city]) if day else None
            code = index.get(label)
            if code is None:
                code = index[label] = len(labels)
                labels.append(label)
            codes[doc] = code
        return codes, labels

    return cached((reader.segment().segment_id(), "month/city"), build)


def doc_values(reader, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
    """A several-values field per document of the segment, read from the field's posting
    lists (each value is a term): `starts` (document d's values are codes[starts[d]:starts[d + 1]])
    and the process-wide value codes."""
    def build():
        size = reader.doc_count_all()
        if fieldname not in reader.indexed_field_names():
            return np.zeros(size + 1, dtype=np.int64), EMPTY
        labels = labels_of(fieldname)
        docs, codes = [], []
        for raw in reader.lexicon(fieldname):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            holders = all_postings(reader, fieldname, term)
            docs.append(holders)
            codes.append(np.full(len(holders), labels.code(term), dtype=np.int32))
        if not docs:
            return np.zeros(size + 1, dtype=np.int64), EMPTY
        docs_flat, codes_flat = np.concatenate(docs), np.concatenate(codes)
        order = np.argsort(docs_flat, kind="stable")
        starts = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs_flat, minlength=size), out=starts[1:])
        return starts, codes_flat[order]

    return cached((reader.segment().segment_id(), "values/" + fieldname), build)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Each document's length in a text field, as Whoosh's scorer sees it (one byte, decoded)."""
    def build():
        column = fileformat.lengths_column(reader, fieldname)
        if column is None:
            return np.zeros(reader.doc_count_all(), dtype=np.float64)
        raw = np.fromiter(column, dtype=np.uint8, count=reader.doc_count_all())
        return _BYTE_LENGTHS[raw]

    return cached((reader.segment().segment_id(), "length/" + fieldname), build)


def _ordinal(fieldobj, raw) -> int:
    try:
        value = fieldobj.from_column_value(raw)
    except (OverflowError, ValueError):
        return 0
    return value.toordinal() if isinstance(value, dt.datetime) else 0
