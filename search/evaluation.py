"""Scoring search against judged queries: recall over every match, precision over the
first ten rows, and the misses that explain the figures.

A judged query names the documents a reader would want for it by a key (a page's URL, a
synthetic page's file name); `run_judged` asks the search service as the results page
does and maps each returned article to its key, so the same scoring serves the suite's
relevance checks and `manage.py evaluate_search` on real pages.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.models import Article
from search.service.results import find, search_articles

TOP = 10


class JudgmentError(ValueError):
    """A judgments file that cannot be read as a list of judged queries."""


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    relevant: frozenset[str]
    why: str = ""


@dataclass(frozen=True)
class QueryOutcome:
    """What one judged query found: every matching key, and the keys of the first rows."""

    judged: JudgedQuery
    found: frozenset[str]
    top: tuple[str, ...]

    @property
    def missed(self) -> frozenset[str]:
        return self.judged.relevant - self.found

    @property
    def wrong_in_top(self) -> tuple[str, ...]:
        return tuple(key for key in self.top if key not in self.judged.relevant)

    @property
    def precision(self) -> float | None:
        """Share of the first rows that are relevant; None when nothing was returned."""
        return None if not self.top else (len(self.top) - len(self.wrong_in_top)) / len(self.top)


@dataclass
class RelevanceSummary:
    outcomes: list[QueryOutcome] = field(default_factory=list)

    @property
    def relevant_total(self) -> int:
        return sum(len(outcome.judged.relevant) for outcome in self.outcomes)

    @property
    def relevant_found(self) -> int:
        return sum(len(outcome.judged.relevant & outcome.found) for outcome in self.outcomes)

    @property
    def recall(self) -> float:
        """Relevant documents found over all relevant documents (every query's judged set pooled)."""
        return self.relevant_found / self.relevant_total if self.relevant_total else 1.0

    @property
    def precision_at_10(self) -> float:
        """Mean over queries that returned anything of the share of relevant rows among the first ten;
        a query that returned nothing counts as 0 when it had relevant documents."""
        values = []
        for outcome in self.outcomes:
            if outcome.precision is not None:
                values.append(outcome.precision)
            elif outcome.judged.relevant:
                values.append(0.0)
        return sum(values) / len(values) if values else 1.0

    def report_lines(self, show_misses: bool = True) -> list[str]:
        lines = [
            f"queries      {len(self.outcomes)}",
            f"recall       {self.relevant_found}/{self.relevant_total} ({self.recall:.1%})",
            f"precision@{TOP}  {self.precision_at_10:.1%}",
        ]
        if show_misses:
            for outcome in self.outcomes:
                if outcome.missed:
                    lines.append(f"MISSED  {outcome.judged.query}: {', '.join(sorted(outcome.missed))}")
                if outcome.wrong_in_top:
                    lines.append(f"WRONG   {outcome.judged.query}: {', '.join(outcome.wrong_in_top)}")
        return lines


def load_judgments(path: Path) -> list[JudgedQuery]:
    """`[{"query": …, "relevant": [key, …], "why": …}, …]` from a JSON file."""
    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JudgmentError(f"{path}: {exc}") from exc
    if not isinstance(rows, list):
        raise JudgmentError(f"{path}: expected a list of judged queries")
    judged = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("query"), str) or not isinstance(row.get("relevant"), list):
            raise JudgmentError(f"{path}: entry {number} needs a 'query' string and a 'relevant' list")
        judged.append(JudgedQuery(row["query"], frozenset(map(str, row["relevant"])), str(row.get("why", ""))))
    return judged


def run_judged(queries: Iterable[JudgedQuery], key_of: Callable[[Article], str | None]) -> RelevanceSummary:
    """Each query as a reader runs it: every match (for recall) and the first rows of the
    results page with every copy listed (for precision)."""
    summary = RelevanceSummary()
    for judged in queries:
        data = {"q": judged.query}
        found = find(data).found
        ids = found.ids(found.count) if found is not None and found.count else []
        page = search_articles({"q": judged.query, "page": 1, "collapse": "0"}, per_page=TOP)
        articles = Article.objects.select_related("section").in_bulk(ids)
        matched = {key_of(article) for article in articles.values()} - {None}
        top = tuple(dict.fromkeys(key for key in (key_of(hit.article) for hit in page.hits) if key is not None))
        summary.outcomes.append(QueryOutcome(judged, frozenset(matched), top))
    return summary
