"""Full-text search over the archive: one function the HTML page and the
JSON API both call.

A query is parsed (search/service/query.py), compiled to Whoosh queries over the
word fields (ranking; headline matches weigh most) and the sub-word field
(recall: single characters and strings jieba keeps inside longer words), run with the listing filters, counted into facets, and its
hits loaded from the database in one query and highlighted in the script
they were published in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from django.core.paginator import EmptyPage
from django.utils.safestring import SafeString
from whoosh import query as wq

from archive.models import Article
from archive.text.fold import normalize
from archive.text.words import STANDALONE, is_han, query_terms, subword_pieces
from search.engines.whoosh import matchset
from search.indexing.outbox import backend
from search.service import highlight
from search.service.query import Clause, ParsedQuery, Term, parse_query

FACET_FIELDS = ("city", "district", "publication", "year", "kind", "industry", "company", "person", "place")
MULTIVALUED_FACETS = {"industry", "company", "person", "place"}
ENTITY_FACET_LIMIT = 20
SORTS = {"relevance": None, "newest": ("date", True), "oldest": ("date", False)}
MAX_LOOSE_TERMS = 32


@dataclass
class Hit:
    article: Article
    headline_html: SafeString
    snippet_html: SafeString
    score: float | None
    also_in: list[Article] = field(default_factory=list)


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    per_page: int
    facets: dict[str, list[FacetCount]]
    loosened: bool = False
    suggestions: list[str] = field(default_factory=list)
    # Every match, for questions about all of them (the timeline) without searching again.
    matches: matchset.MatchSet | None = field(default=None, repr=False)

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# -- compiling --------------------------------------------------------------------
def _word_query(fieldname: str, text: str) -> wq.Query | None:
    terms = query_terms(text)
    if not terms:
        return None
    if len(terms) == 1:
        return wq.Term(fieldname, terms[0])
    return wq.Phrase(fieldname, terms)


def _substring_query(text: str, exact: bool) -> wq.Query | None:
    """Which articles contain the text: quoted, its words in sequence in the word field;
    unquoted, each of its words either as a word or inside a longer word (sub-word
    field), so 港 finds 香港 and 长电科技 still matches a text cut 长电 / 科技. (The words
    in sequence are a subset of that, so an unquoted term needs no phrase check: on a
    common compound such as 高质量发展 the check was most of a page's time.)"""
    words = query_terms(text)
    if not words:
        return None
    if exact:
        return wq.Term("text", words[0]) if len(words) == 1 else wq.Phrase("text", words)
    pieces = [_word_or_inside(word) for word in words]
    return pieces[0] if len(pieces) == 1 else wq.And(pieces)


def _word_or_inside(word: str) -> wq.Query:
    if not is_han(word):
        return wq.Term("text", word)
    parts = [wq.Or([wq.Term("text", piece), wq.Term("chars", piece)]) for piece in subword_pieces(word)]
    if len(word) % 2 and len(word) > 2:
        # The last pair may straddle a cut in the text (科技园 in 长电科技 | 园): then the
        # last character must at least be a word of its own somewhere in the text.
        parts[-1] = wq.Or([*parts[-1].subqueries, wq.Term("chars", STANDALONE + word[-1])])
    inside = parts[0] if len(parts) == 1 else wq.And(parts)
    return inside if len(word) <= 2 else wq.Or([wq.Term("text", word), inside])


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
    required = _substring_query(term.text, exact=term.phrase)
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
        positive = positive[:MAX_LOOSE_TERMS]
        # A pasted sentence: rank by how many of its words match, and ask for half of them.
        combined: wq.Query = wq.Or(positive, scale=0.9, minmatch=max(1, len(positive) // 2))
    else:
        combined = wq.And(positive) if len(positive) > 1 else positive[0]
    negative = [query for query in map(compile_clause, parsed.negative) if query is not None]
    if negative:
        combined = wq.AndNot(combined, wq.Or(negative))
    return combined


def loose_query(parsed: ParsedQuery) -> ParsedQuery:
    """A pasted sentence: its distinct words, each optional, ranked by how many match."""
    words = [word for clause in parsed.positive for term in clause.terms for word in query_terms(term.text)]
    distinct = list(dict.fromkeys(words))
    # Single characters (的, 化, 在) match nearly everything; keep them only when nothing else is left.
    distinct = [word for word in distinct if len(word) > 1] or distinct
    clauses = [Clause([Term(word)]) for word in distinct] + parsed.negative
    return ParsedQuery(clauses=clauses)


def _word_count(parsed: ParsedQuery) -> int:
    return sum(len(query_terms(term.text)) for clause in parsed.positive for term in clause.terms)


def filter_query(data: Mapping[str, Any]) -> wq.Query | None:
    """The listing filters as a Whoosh filter."""
    parts: list[wq.Query] = []
    for name in ("city", "district", "publication", "kind", "industry", "company", "person", "place"):
        if data.get(name):
            parts.append(wq.Term(name, data[name]))
    start, end = data.get("date_from"), data.get("date_to")
    year, month = data.get("year"), data.get("month")
    if year and month:
        start = max(filter(None, [start, dt.date(year, month, 1)]))
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        end = min(filter(None, [end, next_month - dt.timedelta(days=1)]))
    elif year:
        parts.append(wq.Term("year", str(year)))
    if start or end:
        parts.append(wq.DateRange(
            "date",
            dt.datetime.combine(start, dt.time()) if start else None,
            dt.datetime.combine(end, dt.time(23, 59, 59)) if end else None,
        ))
    if not parts:
        return None
    return wq.And(parts) if len(parts) > 1 else parts[0]


# -- running ----------------------------------------------------------------------
def search_articles(data: Mapping[str, Any], per_page: int) -> SearchResults:
    """Run the query in data['q'] with every filter in data; raises EmptyPage past the last page."""
    parsed = parse_query(data.get("q") or "")
    page = data.get("page") or 1
    sort = data.get("sort") or "relevance"
    loosened = False
    if parsed.is_long:
        parsed_for_search, loosened = loose_query(parsed), True
    else:
        parsed_for_search = parsed
    results = _run(parsed_for_search, data, page, per_page, sort, loose=loosened)
    if results is not None and results.total == 0 and not loosened and _word_count(parsed) > 1:
        results = _run(loose_query(parsed), data, page, per_page, sort, loose=True)
        loosened = True
    if results is None or results.total == 0:
        return SearchResults(parsed, [], 0, 1, 1, per_page, _empty_facets(), loosened, suggest(parsed))
    num_pages = max(1, -(-results.total // per_page))
    if page > num_pages:
        raise EmptyPage(f"第 {page} 页不存在(共 {num_pages} 页)。")
    hits = _load_hits(results, parsed)
    return SearchResults(parsed, hits, results.total, page, num_pages, per_page, _facets(results), loosened,
                         matches=results.matches)


@dataclass
class Ranked:
    """One page of a search's matches, in order, with what the page shows about all of them."""

    total: int  # stories: copies of one report count once
    hits: list[tuple[int, float]]  # (article id, score)
    matches: matchset.MatchSet
    copied: bool = True  # whether a hit's story has other articles in the index ("also in …")


def _run(parsed: ParsedQuery, data, page: int, per_page: int, sort: str, loose: bool) -> Ranked | None:
    compiled = compile_query(parsed, loose=loose)
    if compiled is None:
        return None
    searcher = backend().searcher()
    found = matchset.matches(searcher, compiled, filter_query(data))
    if not found.count:
        return Ranked(0, [], found)
    total = found.story_count()
    wanted = max(page, 1) * per_page
    limit = wanted * 2 + 20
    order = SORTS.get(sort)
    while True:
        if order:
            ranked = [(doc, 0.0) for doc in found.by_date(limit, newest_first=order[1])]
        else:
            ranked = found.ranked(rank_query(parsed), limit)
        # One result per story: copies of the same report are listed under it ("also in …").
        kept = matchset.collapsed(found, ranked)
        if len(kept) >= wanted or limit >= found.count:
            break
        limit *= 4
    page_hits = kept[wanted - per_page:wanted]
    hits = [(int(searcher.stored_fields(doc)["django_id"]), score) for doc, score in page_hits]
    return Ranked(total, hits, found, copied=found.copied([doc for doc, _score in page_hits]))


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


def _facets(results: Ranked) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {}
    for name in FACET_FIELDS:
        if name in MULTIVALUED_FACETS:
            counts = results.matches.multi_value_counts(name, limit=ENTITY_FACET_LIMIT)
        else:
            counts = results.matches.value_counts(name)
        rows = [FacetCount(str(value), count) for value, count in counts.items() if value not in (None, "")]
        if name == "year":
            rows.sort(key=lambda row: row.value, reverse=True)
        else:
            rows.sort(key=lambda row: (-row.count, row.value))
        facets[name] = rows[:ENTITY_FACET_LIMIT] if name in MULTIVALUED_FACETS else rows
    return facets


def _empty_facets() -> dict[str, list[FacetCount]]:
    return {name: [] for name in FACET_FIELDS}


def _load_hits(results, parsed: ParsedQuery) -> list[Hit]:
    """The page's articles in one database query, in result order, highlighted (and other
    copies of their stories in a second, when the index holds any)."""
    ids = [pk for pk, _score in results.hits]
    scores = [score for _pk, score in results.hits]
    articles = Article.objects.for_listing().order_by().in_bulk(ids)  # in `ids` order below: no ORDER BY
    copies = _copies([article for article in articles.values()]) if results.copied else {}
    words = parsed.highlight_words
    hits = []
    for pk, score in zip(ids, scores):
        article = articles.get(pk)
        if article is None:
            continue  # deleted since it was indexed; the outbox will remove it
        hits.append(Hit(
            article=article,
            headline_html=highlight.highlight(article.headline, words),
            snippet_html=highlight.snippet(article.body, words),
            score=score,
            also_in=copies.get(article.story_key, []),
        ))
    return hits


def _copies(articles: list[Article]) -> dict[str, list[Article]]:
    """Other copies of the page's stories, in one query."""
    keys = {article.story_key for article in articles if article.story_key}
    if not keys:
        return {}
    grouped: dict[str, list[Article]] = {}
    others = (
        Article.objects.filter(story_key__in=keys).exclude(pk__in=[a.pk for a in articles])
        .select_related("section__publication")
        .only("pk", "story_key", "date", "headline", "section__publication__name")
    )
    for other in others.order_by("date", "pk"):
        grouped.setdefault(other.story_key, []).append(other)
    return grouped


def suggest(parsed: ParsedQuery, limit: int = 5) -> list[str]:
    """Indexed words close to the query's words: longer words that start with them,
    or the longest known words they start with."""
    searcher = backend().searcher()
    reader = searcher.reader()
    suggestions: list[str] = []
    for clause in parsed.positive:
        for term in clause.terms:
            word = normalize(term.text).replace(" ", "")
            if not word:
                continue
            for candidate in _prefix_candidates(reader, word):
                if candidate not in suggestions and candidate != word:
                    suggestions.append(candidate)
    return suggestions[:limit]


def _prefix_candidates(reader, word: str) -> list[str]:
    """Known words sharing the longest prefix with `word`, most frequent first."""
    for cut in range(len(word), 1, -1):
        prefix = word[:cut]
        found = [
            (reader.doc_frequency("text", term), term)
            for term in _expand(reader, prefix)
        ]
        found = [(freq, term) for freq, term in found if freq and len(term) > 1]
        if found:
            return [term for _, term in sorted(found, key=lambda item: (-item[0], item[1]))[:3]]
    return []


def _expand(reader, prefix: str, limit: int = 50) -> list[str]:
    terms = []
    for raw in reader.expand_prefix("text", prefix):
        terms.append(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        if len(terms) >= limit:
            break
    return terms


