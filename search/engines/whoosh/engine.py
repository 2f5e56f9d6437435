"""The Whoosh engine behind the seam (search/engines/base.py): the embedded default.

A compiled query is evaluated on arrays (search/engines/whoosh/matchset.py); what leaves
this module is article ids, scores and counts, never Whoosh document numbers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archive.text.keywords import distinctive_words
from search.engines.base import EngineUnavailable, HitPage
from search.engines.whoosh import matchset
from search.engines.whoosh.caches import live_segments
from search.engines.whoosh.compile import compile_query, filter_query, rank_query
from search.engines.whoosh.space import Space
from search.service.plan import FACET_FIELDS, MULTIVALUED_FACETS, SORTS, SearchPlan, search_filters
from search.service.query import Clause, ParsedQuery, Term

#: Distinctive words of an article searched for its related articles.
KEY_TERMS = 6
#: Candidates taken from the text (distinctive in Chinese at large), of which those in more than
#: one article in COMMON_SHARE are dropped (common in the archive, they match most of it), and
#: those in this article only.
KEY_TERM_CANDIDATES = 16
COMMON_SHARE = 50
COMMON_FLOOR = 100  # in a small archive every word is rare enough


@dataclass
class WhooshFound:
    """Every match of one plan (search/engines/base.py Found)."""

    plan: SearchPlan
    matches: matchset.MatchSet

    @property
    def count(self) -> int:
        return self.matches.count

    def story_count(self) -> int:
        return self.matches.story_count()

    def page(self, page: int, per_page: int) -> HitPage:
        """One page of results: one row per story (copies of the same report listed under
        the first, "also in …"), or, when the plan does not collapse, one row per article."""
        found = self.matches
        if not found.count:
            return HitPage(0, [])
        wanted = max(page, 1) * per_page
        if not self.plan.collapse:
            page_hits = self._ordered(wanted)[wanted - per_page:wanted]
            return HitPage(found.count, [(self._article_id(doc), score) for doc, score in page_hits], copied=False)
        limit = wanted * 2 + 20
        while True:  # rankings are taken longer until the page is full
            kept = matchset.collapsed(found, self._ordered(limit))
            if len(kept) >= wanted or limit >= found.count:
                break
            limit *= 4
        page_hits = kept[wanted - per_page:wanted]
        hits = [(self._article_id(doc), score) for doc, score in page_hits]
        return HitPage(found.story_count(), hits, copied=found.copied([doc for doc, _score in page_hits]))

    def ids(self, limit: int) -> list[int]:
        """Ids of the first `limit` matches in the plan's order (copies not collapsed)."""
        if not self.matches.count:
            return []
        return [self._article_id(doc) for doc, _score in self._ordered(limit)]

    def value_counts(self, field: str) -> Counter:
        return self.matches.value_counts(field)

    def multi_value_counts(self, field: str, limit: int) -> Counter:
        return self.matches.multi_value_counts(field, limit=limit)

    def month_city_counts(self, years_beyond: int | None) -> Counter:
        return self.matches.month_city_counts(years_beyond=years_beyond)

    def _ordered(self, limit: int) -> list[tuple[int, float]]:
        order = SORTS.get(self.plan.sort or "relevance")
        if order:
            return [(doc, 0.0) for doc in self.matches.by_date(limit, newest_first=order[1])]
        return self.matches.ranked(rank_query(self.plan.parsed), limit)

    def _article_id(self, doc: int) -> int:
        return int(self.matches.searcher.stored_fields(doc)["django_id"])


class WhooshEngine:
    """search/engines/base.py SearchEngine over haystack's Whoosh backend (search/backend.py)."""

    name = "whoosh"

    def __init__(self, backend) -> None:
        self.backend = backend

    def find(self, plan: SearchPlan) -> WhooshFound | None:
        query = compile_query(plan.parsed, loose=plan.loose)
        if query is None:
            return None
        searcher = self.backend.searcher()
        return WhooshFound(plan, matchset.matches(searcher, query, filter_query(plan.filters)))

    def version(self) -> tuple:
        """The folder, the generation of the latest commit (every commit writes a new table of
        contents) and its segments' ids (random: a rebuilt index counts generations again)."""
        searcher = self.backend.searcher()
        return self.backend.path, searcher.reader().generation(), tuple(sorted(live_segments(searcher)))

    def warm_up(self) -> None:
        """Read the columns every results page counts and ranks with (facet values, stories,
        dates, months by city, field lengths), as a web process starts: on a reader's first
        search they took seconds at 100,000 articles (docs/performance.md)."""
        space = Space(self.backend.searcher())
        for field in FACET_FIELDS:
            if field in MULTIVALUED_FACETS:
                space.dense_values(field)
            else:
                space.codes(field)
        for what in ("story", "month/city"):
            space.codes(what)
        space.story_sizes()
        space.days()
        space.live()
        for field in ("text", "headline"):
            space.lengths(field)

    def suggestions(self, words: list[str], limit: int) -> list[str]:
        """Longer indexed words that start with these, or the longest known words they start with."""
        reader = self.backend.searcher().reader()
        suggestions: list[str] = []
        for word in words:
            for candidate in _prefix_candidates(reader, word):
                if candidate not in suggestions and candidate != word:
                    suggestions.append(candidate)
        return suggestions[:limit]

    def word_counts(self, words: list[str]) -> dict[str, int]:
        """How many articles hold each word (the word field's document frequencies)."""
        space = Space(self.backend.searcher())  # term entries cached per segment
        counts = {word: space.doc_frequency("text", word) for word in words}
        return {word: docs for word, docs in counts.items() if docs}

    def related_ids(self, article_id: int, text: str, limit: int) -> list[int]:
        """Articles holding the most of the text's distinctive words (archive/text/keywords.py)
        that are not common in the archive, ranked as a search for any of them is; the article
        itself left out."""
        searcher = self.backend.searcher()
        common = max(COMMON_FLOOR, searcher.doc_count() // COMMON_SHARE)
        counts = self.word_counts(distinctive_words(text, KEY_TERM_CANDIDATES))
        words = [word for word, docs in counts.items() if 1 < docs <= common][:KEY_TERMS]  # 1: this one
        if not words:
            return []
        anywhere = ParsedQuery([Clause([Term(word) for word in words])])
        found = self.find(SearchPlan(anywhere, False, search_filters({}), "relevance", collapse=False))
        if found is None:
            return []
        ids = [pk for pk, _score in found.page(1, limit + 1).hits if pk != article_id]
        return ids[:limit]

    def unavailable_because(self, error: Exception) -> EngineUnavailable | None:
        """A damaged index (search/engines/whoosh/integrity.py) makes this engine unavailable."""
        return self.backend.damage_error(error)


def _prefix_candidates(reader, word: str) -> list[str]:
    """Known words sharing the longest prefix with `word`, most frequent first."""
    for cut in range(len(word), 1, -1):
        prefix = word[:cut]
        found = [(reader.doc_frequency("text", term), term) for term in _expand(reader, prefix)]
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
