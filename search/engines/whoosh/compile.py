"""A search plan (search/service/plan.py) as Whoosh queries: the character fields decide
what matches (a query's overlapping pairs of ideographs, search/analysis.py), the word fields rank
(headline matches weigh most, by field boost in the schema).
"""
from __future__ import annotations

import datetime as dt

from whoosh import query as wq

from archive.text.words import query_terms, substring_pieces
from search.analysis import query_bigrams
from search.service.plan import SearchFilters, loose_clauses, query_spellings
from search.service.query import Clause, ParsedQuery, Term


def _word_query(fieldname: str, text: str) -> wq.Query | None:
    terms = query_terms(text)
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0])
    return wq.Phrase(fieldname, terms)


def _substring_query(text: str) -> wq.Query | None:
    """Which articles contain the text, in any of its spellings (archive/text/variants.py):
    every overlapping pair of its ideographs, so 工程机械 (工程, 程机, 机械) does not match
    工程 … 机械 apart, and a name is found across jieba's cuts. Pieces apart in the query (a
    letter run, a number, punctuation) are each required, in any order."""
    spellings = [_exact_substring(spelling) for spelling in query_spellings(text)]
    spellings = [query for query in spellings if query is not None]
    if not spellings:
        return None
    return spellings[0] if len(spellings) == 1 else wq.Or(spellings)


def _exact_substring(text: str) -> wq.Query | None:
    parts = []
    for piece, ideographs in substring_pieces(text):
        if not ideographs:
            parts.append(wq.Term("text", piece))
        elif len(piece) == 1:
            parts.append(wq.Term("chars", piece))
        else:
            pairs = query_bigrams(piece)
            parts.append(wq.Term("grams", pairs[0]) if len(pairs) == 1 else wq.And([wq.Term("grams", pair)
                                                                                     for pair in dict.fromkeys(pairs)]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _word_scores(text: str) -> wq.Query | None:
    """Word-field terms that rank a match: headline hits weigh most (field boost)."""
    terms = query_terms(text)
    parts = [wq.Term(field, term) for term in terms for field in ("headline", "text")]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _union(parts)


def compile_term(term: Term) -> wq.Query | None:
    """One user term: matched as a substring on the char field, ranked by the word fields."""
    if term.field == "byline":
        return _word_query("byline", term.text)
    if term.field == "headline":
        return _word_query("headline", term.text)
    required = _substring_query(term.text)
    if required is None:
        return _word_scores(term.text)
    scores = _word_scores(term.text)
    return wq.AndMaybe(required, scores) if scores is not None else required


def compile_clause(clause: Clause) -> wq.Query | None:
    parts = [query for query in map(compile_term, clause.terms) if query is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def compile_query(parsed: ParsedQuery, loose: bool = False) -> wq.Query | None:
    """All positive clauses must match (any, ranked, when loose); negative ones must not."""
    positive = [query for query in map(compile_clause, parsed.positive) if query is not None]
    if not positive:
        return None
    if loose:
        positive, minimum = loose_clauses(positive)
        # A pasted sentence: rank by how many of its words match, and ask for half of them.
        combined: wq.Query = wq.Or(positive, scale=0.9, minmatch=minimum)
    else:
        combined = wq.And(positive) if len(positive) > 1 else positive[0]
    negative = [query for query in map(compile_clause, parsed.negative) if query is not None]
    if negative:
        combined = wq.AndNot(combined, wq.Or(negative))
    return combined


def rank_query(parsed: ParsedQuery) -> wq.Query | None:
    """What orders the matches: each positive term's words in the word fields
    (headline matches weigh most, by field boost)."""
    parts = []
    for clause in parsed.positive:
        for term in clause.terms:
            if term.field in ("byline", "headline"):
                part = _word_query(term.field, term.text)
            else:
                part = _word_scores(term.text)
            if part is not None:
                parts.append(part)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _union(parts)


class SkippingOr(wq.Or):
    """An OR whose matcher can skip posting blocks that cannot reach the top hits (on
    small segments Whoosh would otherwise read every posting of every term first)."""

    matcher_type = wq.Or.DEFAULT_MATCHER


def _union(parts: list[wq.Query]) -> wq.Or:
    return SkippingOr(parts)


def filter_query(filters: SearchFilters) -> wq.Query | None:
    """The listing filters as a Whoosh filter."""
    parts: list[wq.Query] = [wq.Term(name, value) for name, value in filters.values.items()]
    if filters.year:
        parts.append(wq.Term("year", filters.year))
    if filters.start or filters.end:
        parts.append(wq.DateRange(
            "date",
            dt.datetime.combine(filters.start, dt.time()) if filters.start else None,
            dt.datetime.combine(filters.end, dt.time(23, 59, 59)) if filters.end else None,
        ))
    if not parts:
        return None
    return wq.And(parts) if len(parts) > 1 else parts[0]
