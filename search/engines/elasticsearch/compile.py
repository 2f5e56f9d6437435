"""A search plan (search/service/plan.py) as an Elasticsearch query, term for term what
search/engines/whoosh/compile.py makes of it, so that both engines find the same articles:

- what *matches* sits in filter context: each run of ideographs of a term's spellings as a
  phrase of its pairs (``grams``), a single ideograph as a ``chars`` term, a number or letter
  run as a word; ``headline:``/``byline:`` as a phrase of words in that field;
- what *ranks* is optional: the terms' words in ``headline`` (3×) and ``text``, scored by
  Elasticsearch's BM25 (Whoosh uses BM25F: the same idea, not the same numbers).
"""
from __future__ import annotations

from archive.text.words import query_terms, substring_pieces
from search.analysis import query_bigrams
from search.engines.elasticsearch.terms import GRAMS
from search.service.plan import FIELD_BOOSTS, SORTS, SearchFilters, SearchPlan, loose_clauses, query_spellings
from search.service.query import Clause, ParsedQuery, Term

#: The order of every sort ends with the article id: a unique tiebreaker, so that pages and
#: search_after walks are stable (Elasticsearch otherwise breaks ties by Lucene's doc ids).
TIEBREAKER = {"django_id": {"order": "asc"}}
RANKED_FIELDS = ("headline", "text")


def _any(queries: list[dict]) -> dict | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else {"bool": {"should": queries, "minimum_should_match": 1}}


def _all(queries: list[dict]) -> dict | None:
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else {"bool": {"filter": queries}}


def _phrase(field: str, terms: list[str], boost: float | None = None) -> dict | None:
    """Terms at consecutive positions of a whitespace-analysed field (a term query for one)."""
    if not terms:
        return None
    if len(terms) == 1:
        query: dict = {"value": terms[0]}
        kind = "term"
    else:
        query = {"query": " ".join(terms)}
        kind = "match_phrase"
    if boost is not None:
        query["boost"] = boost
    return {kind: {field: query}}


def _exact_substring(text: str) -> dict | None:
    """A spelling's characters in order: ideograph runs as phrases of pairs, one ideograph as a
    character, numbers and letter runs as words; each piece required, in any order."""
    parts = []
    for piece, ideographs in substring_pieces(text):
        if not ideographs:
            parts.append({"term": {"text": {"value": piece}}})
        elif len(piece) == 1:
            parts.append({"term": {"chars": {"value": piece}}})
        else:
            parts.append(_phrase(GRAMS, query_bigrams(piece)))
    return _all(parts)


def _word_terms(text: str) -> list[dict]:
    """The words of a term in the ranking fields, boosted by field."""
    return [{"term": {field: {"value": word, "boost": FIELD_BOOSTS[field]}}}
            for word in query_terms(text) for field in RANKED_FIELDS]


def term_match(term: Term) -> dict | None:
    """What one term of the query language matches (search/engines/whoosh/compile.py compile_term)."""
    if term.field in ("headline", "byline"):
        return _phrase(term.field, query_terms(term.text))
    spellings = [query for query in map(_exact_substring, query_spellings(term.text)) if query is not None]
    return _any(spellings) or _any(_word_terms(term.text))


def clause_match(clause: Clause) -> dict | None:
    """Alternatives joined by OR."""
    return _any([query for query in map(term_match, clause.terms) if query is not None])


def query_match(parsed: ParsedQuery, loose: bool = False) -> dict | None:
    """All positive clauses (when loose: half of them, at least one); no negative one."""
    positive = [query for query in map(clause_match, parsed.positive) if query is not None]
    if not positive:
        return None
    if loose:
        positive, minimum = loose_clauses(positive)
        match: dict = {"bool": {"should": positive, "minimum_should_match": minimum}}
    else:
        match = {"bool": {"filter": positive}}
    negative = [query for query in map(clause_match, parsed.negative) if query is not None]
    if negative:
        match["bool"]["must_not"] = negative
    return match


def rank_clauses(parsed: ParsedQuery) -> list[dict]:
    """What orders the matches: each positive term's words in the word fields, headline first;
    a headline:/byline: term's phrase in its field (search/engines/whoosh/compile.py rank_query)."""
    ranked: list[dict] = []
    for clause in parsed.positive:
        for term in clause.terms:
            if term.field in ("headline", "byline"):
                phrase = _phrase(term.field, query_terms(term.text), FIELD_BOOSTS[term.field])
                ranked += [phrase] if phrase else []
            else:
                ranked += _word_terms(term.text)
    return ranked


def filter_clauses(filters: SearchFilters) -> list[dict]:
    """The listing filters: exact values, a year, a date range (whole days)."""
    clauses: list[dict] = [{"term": {name: value}} for name, value in filters.values.items()]
    if filters.year:
        clauses.append({"term": {"year": filters.year}})
    if filters.start or filters.end:
        bounds = {}
        if filters.start:
            bounds["gte"] = f"{filters.start.isoformat()}T00:00:00"
        if filters.end:
            bounds["lte"] = f"{filters.end.isoformat()}T23:59:59"
        clauses.append({"range": {"date": bounds}})
    return clauses


def search_query(plan: SearchPlan) -> dict | None:
    """The plan's query: its matches and filters (no score), ranked by its words; None when
    the query has no words to search for."""
    match = query_match(plan.parsed, loose=plan.loose)
    if match is None:
        return None
    query: dict = {"bool": {"filter": [match, *filter_clauses(plan.filters)]}}
    ranked = rank_clauses(plan.parsed)
    if ranked:
        query["bool"]["should"] = ranked
    return query


def sort_order(sort: str) -> list[dict]:
    """The plan's order: by date, undated last; or by score, then newest first (the matches no
    ranking word scores come last, newest first, as on Whoosh); ties by article id."""
    order = SORTS.get(sort or "relevance")
    if order:
        return [{"date": {"order": "desc" if order[1] else "asc", "missing": "_last"}}, TIEBREAKER]
    return [{"_score": {"order": "desc"}}, {"date": {"order": "desc", "missing": "_last"}}, TIEBREAKER]


def ranks_by_score(sort: str) -> bool:
    return not SORTS.get(sort or "relevance")
