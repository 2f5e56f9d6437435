"""The Elasticsearch engine behind the seam (search/engines/base.py): the plan compiled to
a query (compile.py), run through the haystack backend's client (search/elasticsearch.py,
which turns an unreachable cluster into EngineUnavailable), answered with article ids,
scores and counts like the Whoosh engine. Importing it needs no Elasticsearch client.
"""
from __future__ import annotations

from haystack.constants import DJANGO_ID

from search.engines.base import EngineUnavailable
from search.engines.elasticsearch import aggs
from search.engines.elasticsearch.compile import search_query
from search.engines.elasticsearch.found import ENGINE, ElasticsearchFound, hit_article_id
from search.engines.elasticsearch.terms import document_id, joined_words
from search.service.plan import SearchPlan

#: Distinctive words of an article searched for its related articles (as on Whoosh).
KEY_TERMS = 12
#: Prefix suggestions per word (search/engines/whoosh/engine.py _prefix_candidates).
PREFIX_WORDS = 3


class ElasticsearchEngine:
    """search/engines/base.py SearchEngine over search/elasticsearch.py's backend: every
    question is one or more search requests through `backend.search(body)`."""

    name = ENGINE

    def __init__(self, backend) -> None:
        self.backend = backend

    def find(self, plan: SearchPlan) -> ElasticsearchFound | None:
        query = search_query(plan)
        if query is None:
            return None
        return ElasticsearchFound(plan, query, self.backend.search)

    def warm_up(self) -> None:
        """Nothing to load in the process: the cluster keeps its own caches."""

    def version(self) -> None:
        """Not known without asking the cluster: answers are not cached."""
        return None

    def suggestions(self, words: list[str], limit: int) -> list[str]:
        """Longer indexed words that start with these, or with their longest prefix that
        starts any: one request per word, a terms aggregation per prefix."""
        suggestions: list[str] = []
        for word in words:
            if len(word) < 2:
                continue
            body = {"size": 0, "track_total_hits": False, "aggs": aggs.prefix_aggs(word, PREFIX_WORDS)}
            for candidate in aggs.longest_prefix_words(self.backend.search(body), word):
                if candidate not in suggestions and candidate != word:
                    suggestions.append(candidate)
        return suggestions[:limit]

    def word_counts(self, words: list[str]) -> dict[str, int]:
        """How many articles hold each word: one terms aggregation over the `words` field."""
        if not words:
            return {}
        return aggs.word_counts(self.backend.search(aggs.word_counts_body(words)))

    def unavailable_because(self, error: Exception) -> EngineUnavailable | None:
        """The backend turns every error of a cluster that cannot serve into EngineUnavailable
        already: anything else is a bug."""
        return None

    def related_ids(self, article_id: int, text: str, limit: int) -> list[int]:
        """more_like_this on the word field with the article's own words (its text is not kept
        in _source, so the words are sent, as the Whoosh engine passes the text), the article
        itself left out. Its term selection is tf-idf, not Whoosh's Bo1: related, not identical."""
        like = joined_words(text)
        if not like:
            return []
        body = {
            "size": limit,
            "track_total_hits": False,
            "_source": [DJANGO_ID],
            "query": {"bool": {
                "must": [{"more_like_this": {
                    "fields": ["text"], "like": like, "max_query_terms": KEY_TERMS,
                    "min_term_freq": 1, "min_doc_freq": 1, "minimum_should_match": "1",
                }}],
                "must_not": [{"ids": {"values": [document_id(article_id)]}}],
            }},
        }
        return [hit_article_id(hit) for hit in self.backend.search(body)["hits"]["hits"]]

