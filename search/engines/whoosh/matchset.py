"""Running a search with array arithmetic instead of Whoosh's matchers. A results page
needs more than its ten hits (how many stories match, facets over every match, a
month × city timeline, the best ten by relevance); Whoosh answers those by walking every
matching document through matcher, scorer and collector objects in Python, and a common
word matches tens of thousands of documents. Here a compiled query is evaluated on sorted
arrays of document numbers, counting is `bincount`, ordering `argpartition`.

The matches of one search: counts, facets, month × city counts, relevance (Whoosh's
own BM25F formula over whole posting arrays), order and collapsing of story copies."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from search.engines.whoosh.caches import LOCK
from search.engines.whoosh.columns import UNDATED, labels_of
from search.engines.whoosh.docsets import EMPTY, intersect
from search.engines.whoosh.evaluate import evaluate
from search.engines.whoosh.space import Space

SPARSE_RANKING = 4  # matches fewer than a term's documents / this: read only their blocks
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults, as the searcher would use


# -- the matches of one search --------------------------------------------------------
@dataclass
class MatchSet:
    """Every document a compiled query (and filter) matches, in global numbers."""

    space: Space
    ids: np.ndarray  # ascending

    @property
    def searcher(self):
        return self.space.searcher

    @property
    def count(self) -> int:
        return len(self.ids)

    def global_ids(self) -> set[int]:
        return set(self.ids.tolist())

    def story_of(self, docnum: int) -> str:
        return labels_of("story").names[self.space.codes("story")[docnum]]

    def story_count(self) -> int:
        """Matches counted as stories: copies of one report count once; articles without a story key count alone."""
        if not len(self.ids):
            return 0
        codes = self.space.codes("story")[self.ids]
        alone = labels_of("story").code("")
        together = codes[codes != alone]
        stories = np.count_nonzero(np.bincount(together)) if len(together) else 0
        return int(len(codes) - len(together) + stories)

    def copied(self, docs: list[int]) -> bool:
        """Whether the story of any of these documents has other articles in the index (deleted
        ones may count: then the database finds no other copy). Most stories have one article,
        and a results page whose stories have no other copy needs no query for them."""
        picked = self.space.codes("story")[np.asarray(docs, dtype=np.int64)]
        return bool(np.any((picked != labels_of("story").code("")) & (self.space.story_sizes()[picked] > 1)))

    def value_counts(self, fieldname: str) -> Counter:
        """How many matching articles have each value of a one-value keyword field."""
        return _as_counter(self._bins(fieldname, self.space.codes(fieldname)[self.ids]), labels_of(fieldname).names)

    def multi_value_counts(self, fieldname: str, limit: int | None = None) -> Counter:
        """Counts for a several-values field (companies, industries, …); with `limit`, only the
        values with the `limit` highest counts (ties at the cut: the first by value)."""
        bins = self._value_bins(fieldname)
        names = labels_of(fieldname).names
        if limit is None or np.count_nonzero(bins) <= limit:
            return _as_counter(bins, names)
        cut = np.partition(bins, len(bins) - limit)[len(bins) - limit]
        rows = sorted(((names[code], int(bins[code])) for code in np.flatnonzero(bins >= max(cut, 1)).tolist()),
                      key=lambda row: (-row[1], row[0]))
        return Counter(dict(rows[:limit]))

    def _value_bins(self, fieldname: str) -> np.ndarray:
        """Matches holding each value of a several-values field (by value code)."""
        space, ids = self.space, self.ids
        if len(ids) * 16 < space.size:  # few matches: their values, looked up by range
            return self._bins(fieldname, _values_of(*space.values(fieldname), ids))
        dense, bitmaps, owners, codes = space.dense_values(fieldname)
        chosen = np.zeros(space.size, dtype=bool)
        chosen[ids] = True
        bins = self._bins(fieldname, codes[chosen[owners]])
        if len(dense):
            bins[dense] += np.bitwise_count(bitmaps & np.packbits(chosen)).sum(axis=1, dtype=np.int64)
        return bins

    @staticmethod
    def _bins(fieldname: str, codes: np.ndarray) -> np.ndarray:
        return np.bincount(codes, minlength=len(labels_of(fieldname).names))

    def month_city_counts(self, years_beyond: int | None = None) -> Counter:
        """(first day of month, city) → matching dated articles. With `years_beyond`, per year
        (keyed by January 1) when the months run over more than that many: a long timeline is
        drawn per year anyway, and a common word's 1,500 month-and-city cells would each cost a
        step in Python on the way there, against 150 year cells."""
        bins = self._bins("month/city", self.space.codes("month/city")[self.ids])
        names = labels_of("month/city").names[:len(bins)]  # codes are only ever added
        if years_beyond is not None:
            months, cities, city_names = _month_city_parts(names)
            dated = np.flatnonzero(bins * (months >= 0))
            if len(dated) and months[dated].max() - months[dated].min() >= years_beyond:
                width = len(city_names)
                per_year = np.bincount(months[dated] // 12 * width + cities[dated], weights=bins[dated])
                return Counter({
                    (dt.date(cell // width, 1, 1), city_names[cell % width]): int(per_year[cell])
                    for cell in np.flatnonzero(per_year).tolist()
                })
        counts = _as_counter(bins, names)
        counts.pop(None, None)
        return counts

    def by_date(self, limit: int, newest_first: bool) -> list[int]:
        """The first `limit` matches by date, undated ones last (ties: lower document number first)."""
        if not len(self.ids):
            return []
        days = self.space.days()[self.ids].astype(np.int64)
        keys = np.where(days > 0, -days if newest_first else days, UNDATED)
        return _smallest(keys, self.ids.astype(np.int64), limit)

    def ranked(self, rank_query: wq.Query | None, limit: int) -> list[tuple[int, float]]:
        """The best `limit` matches by relevance (Whoosh's BM25F over the word terms, headline
        matches weigh most by field boost); matches no word term scores follow, newest first."""
        scored: list[tuple[int, float]] = []
        if not len(self.ids):
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
        position = np.full(self.space.size, -1, dtype=np.int64)  # where each match sits in self.ids
        position[self.ids] = np.arange(len(self.ids))
        scores = np.zeros(len(self.ids), dtype=np.float64)
        for fieldname, text in terms:
            frequency = self.space.doc_frequency(fieldname, text)
            if not frequency:
                continue
            idf = math.log(total_docs / (frequency + 1)) + 1
            average = top.avg_field_length(fieldname) or 1
            # A few matches of a common word: only the blocks that hold them are read.
            within = self.ids if len(self.ids) * SPARSE_RANKING < frequency else None
            docs, weights = self.space.postings(fieldname, text, within)
            where = position[docs]
            hit = where >= 0
            if not hit.any():
                continue
            tf = weights[hit].astype(np.float64)
            lengths = self.space.lengths(fieldname)[docs[hit]]
            norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average)
            scores[where[hit]] += idf * (tf * (BM25_K1 + 1)) / (tf + norm)  # a term's documents are unique
        positive = np.flatnonzero(scores > 0)
        if not len(positive):
            return []
        order = _smallest(-scores[positive], self.ids[positive].astype(np.int64), limit, positions=True)
        return [(int(self.ids[positive[i]]), float(scores[positive[i]])) for i in order]


_MONTH_CITY_PARTS: dict[int, tuple[np.ndarray, np.ndarray, list]] = {}


def _month_city_parts(names: list) -> tuple[np.ndarray, np.ndarray, list]:
    """For each month-and-city code: its month as year * 12 + month - 1 (-1: undated) and its
    city's number; and the cities by number. Kept per number of codes (codes are only added)."""
    parts = _MONTH_CITY_PARTS.get(len(names))
    if parts is None:
        city_names = sorted({name[1] for name in names if name is not None})
        city_number = {city: number for number, city in enumerate(city_names)}
        months = np.array([name[0].year * 12 + name[0].month - 1 if name else -1 for name in names],
                          dtype=np.int64)
        cities = np.array([city_number[name[1]] if name else 0 for name in names], dtype=np.int64)
        parts = months, cities, city_names
        with LOCK:
            _MONTH_CITY_PARTS.clear()
            _MONTH_CITY_PARTS[len(months)] = parts
    return parts


def _values_of(starts: np.ndarray, codes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The value codes of the documents `ids`."""
    if not len(ids) or not len(codes):
        return EMPTY
    first = starts[ids]
    lengths = starts[ids + 1] - first
    total = int(lengths.sum())
    if not total:
        return EMPTY
    shift = np.repeat(first - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return codes[shift + np.arange(total)]


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


def matches(searcher, query: wq.Query, filter_: wq.Query | None) -> MatchSet:
    """The documents matching query AND filter."""
    space = Space(searcher)
    if not space.leaves:
        return MatchSet(space, EMPTY)  # an empty index
    ids = evaluate(query, space)
    if len(ids) and filter_ is not None:
        ids = intersect(ids, evaluate(filter_, space), space.size)
    return MatchSet(space, ids)


def collapsed(found: MatchSet, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
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
