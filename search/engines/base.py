"""The seam between the search service and an engine.

The service (search/service/) plans a search (search/service/plan.py) and asks an engine
for the matches; an engine answers with article ids, scores and counts, never with its own
objects (document numbers, stored fields, searchers). An engine that cannot answer a
question raises an EngineError — EngineUnsupported (it cannot do that) or EngineUnavailable
(its server cannot be reached) — which the web layer turns into a 503 naming it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Protocol

from search.service.plan import SearchPlan


class EngineError(Exception):
    """The configured engine cannot answer (not a bug: a 503 saying which engine and why)."""

    def __init__(self, engine: str, message: str) -> None:
        super().__init__(message)
        self.engine = engine


class EngineUnsupported(EngineError):
    """This engine cannot do this (yet)."""

    def __init__(self, engine: str, what: str) -> None:
        super().__init__(engine, f"the {engine} search engine does not support {what} yet")
        self.what = what


class EngineUnavailable(EngineError):
    """This engine's server cannot be reached or refuses to work, for now: the archive answers
    without a traceback and the index outbox keeps its changes for the next flush."""


class IndexUnavailable(EngineUnavailable):
    """The engine's index is damaged, or missing while the database has articles: search pages
    answer 503 ("being repaired") until `manage.py check_index --repair` has rebuilt it from
    the database, rather than a 500 or a silently empty result."""

    def __init__(self, engine: str, problem: str) -> None:
        super().__init__(engine, f"the {engine} search index is unavailable ({problem}); "
                                 "run `manage.py check_index --repair`")
        self.problem = problem


@dataclass
class HitPage:
    """One page of a search's results, in order."""

    total: int  # rows: stories (copies of one report count once) when collapsed, else articles
    hits: list[tuple[int, float]]  # (article id, score)
    copied: bool = True  # whether a hit's story may have other articles in the index ("also in …")


class Found(Protocol):
    """Every match of one search, for the questions a results page asks about all of them."""

    @property
    def count(self) -> int: ...

    def story_count(self) -> int: ...

    def page(self, page: int, per_page: int) -> HitPage:
        """One page of rows in the plan's order: stories, or articles when it does not collapse."""

    def ids(self, limit: int) -> list[int]:
        """The first `limit` matching articles in the plan's order, copies included."""

    def value_counts(self, field: str) -> Counter: ...

    def multi_value_counts(self, field: str, limit: int) -> Counter: ...

    def month_city_counts(self, years_beyond: int | None) -> Counter:
        """(first day of month, city) → dated matches; per year (keyed by January 1) when the
        months run over `years_beyond` or more, always per month when it is None."""


class SearchEngine(Protocol):
    name: str

    def find(self, plan: SearchPlan) -> Found | None:
        """The matches of a plan; None when its query has no words to search for."""

    def warm_up(self) -> None:
        """Load what every results page needs before the first reader asks (a web process's start)."""

    def version(self) -> Hashable | None:
        """The index's current state, changed by every commit (answers are cached per
        state: search/service/recent.py); None when the engine cannot say."""

    def suggestions(self, words: list[str], limit: int) -> list[str]:
        """Indexed words close to these (normalised) words."""

    def word_counts(self, words: list[str]) -> dict[str, int]:
        """How many articles hold each (normalised) word; words no article holds are left out."""

    def related_ids(self, article_id: int, text: str, limit: int) -> list[int]:
        """Ids of the articles most like this one's text (the article itself may be among them)."""

    def unavailable_because(self, error: Exception) -> EngineUnavailable | None:
        """Whether an unexpected error while answering means the engine cannot serve now (its
        index damaged): that EngineUnavailable, else None (a bug, raised as it is)."""
