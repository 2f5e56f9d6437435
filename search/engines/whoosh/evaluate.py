"""Evaluating a compiled query on sorted NumPy arrays of document numbers."""
from __future__ import annotations

import numpy as np
from whoosh import query as wq

from search.engines.whoosh.columns import UNDATED
from search.engines.whoosh.docsets import EMPTY, intersect, minus, union
from search.engines.whoosh.positions import phrase_in_segment
from search.engines.whoosh.space import Space


# -- evaluating a compiled query ------------------------------------------------------
def evaluate(query: wq.Query, space: Space) -> np.ndarray:
    """Global numbers (ascending, unique) of the live documents `query` matches.

    Terms and the boolean operators the search compiles to are array operations;
    date ranges are read from the date column; anything else (phrases) is left to
    Whoosh's own matcher."""
    kind = type(query)
    if kind is wq.Term:
        return space.term_ids(query.fieldname, query.text)
    if kind is wq.And:
        result: np.ndarray | None = None
        for sub in sorted(query.subqueries, key=_cheap_first):
            ids = evaluate(sub, space)
            result = ids if result is None else intersect(result, ids, space.size)
            if not len(result):
                return EMPTY
        return EMPTY if result is None else result
    if isinstance(query, wq.Or):  # every OR variant is a union
        sets = [ids for ids in (evaluate(sub, space) for sub in query.subqueries) if len(ids)]
        return union(sets, space.size, query.minmatch or 1)
    if kind is wq.AndNot:
        positive = evaluate(query.a, space)
        return minus(positive, evaluate(query.b, space), space.size) if len(positive) else EMPTY
    if kind is wq.AndMaybe:
        return evaluate(query.a, space)
    if kind is wq.Require:
        return intersect(evaluate(query.a, space), evaluate(query.b, space), space.size)
    if kind is wq.DateRange and query.fieldname == "date":
        return _date_range(space, query)
    if kind is wq.Phrase and query.slop == 1 and len(query.words) > 1:
        return _phrase(space, query)
    return space.whoosh_ids(query)


def _phrase(space: Space, query: wq.Phrase) -> np.ndarray:
    """Documents with the phrase's words at consecutive positions (as Whoosh's phrase
    matcher with slop 1), from each segment's position arrays: candidates hold every
    word; the i-th word's positions, shifted back by i, must meet at one start."""
    parts = []
    for sub, offset in space.leaves:
        reader = sub.reader()
        found = phrase_in_segment(reader, query.fieldname, list(query.words))
        if found is None:  # positions not readable here: Whoosh's own matcher
            found = np.fromiter(query.matcher(sub).all_ids(), dtype=np.int32)
        if len(found):
            parts.append(found + offset)
    return np.concatenate(parts) if parts else EMPTY


def _cheap_first(query: wq.Query) -> int:
    """Evaluate an AND's plain terms first: an empty one ends it before a phrase is read."""
    return 0 if type(query) is wq.Term else 1


def _date_range(space: Space, query: wq.DateRange) -> np.ndarray:
    days = space.days()
    start = query.startdate.toordinal() if query.startdate else 1
    end = query.enddate.toordinal() if query.enddate else UNDATED
    docs = np.flatnonzero((days >= start) & (days <= end) & (days > 0)).astype(np.int32)
    live = space.live()
    return docs if live is None else docs[live[docs]]
