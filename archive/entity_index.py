"""The entity index (/entities/): companies, people, places and industries with how many
articles name each and when the latest appeared, narrowed by a query that matches a name or
any of its aliases in either script, sorted by mentions or by recency."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from archive.models import Entity, Industry
from archive.text.fold import normalize

INDUSTRY = "industry"
SORT_MENTIONS, SORT_RECENT = "mentions", "recent"
SORTS = (SORT_MENTIONS, SORT_RECENT)
#: Rows shown per kind; the query narrows the rest.
PER_KIND = 60
MAX_QUERY = 100


@dataclass(frozen=True)
class IndexRow:
    pk: int
    kind: str
    name: str
    aliases: tuple[str, ...]
    count: int
    latest: datetime.date | None
    url: str

    def matches(self, folded_query: str) -> bool:
        return any(folded_query in normalize(text) for text in (self.name, *self.aliases))


@dataclass
class IndexGroup:
    kind: str
    rows: list[IndexRow] = field(default_factory=list)
    total: int = 0  # rows matching before the PER_KIND cut


def clean_query(value: str | None) -> str:
    """The reader's query, trimmed to something worth matching."""
    return " ".join((value or "").split())[:MAX_QUERY]


def clean_sort(value: str | None) -> str:
    return value if value in SORTS else SORT_MENTIONS


def _sort_key(sort: str):
    if sort == SORT_RECENT:
        return lambda row: (-(row.latest or datetime.date.min).toordinal(), -row.count, row.name)
    return lambda row: (-row.count, row.name)


def _with_mentions(queryset):
    """Each row's articles (tags an editor removed not counted) and its latest article's date;
    rows without articles left out."""
    live = Q(article_links__removed=False)
    return queryset.annotate(
        n=Count("article_links", filter=live, distinct=True),
        latest=Max("article_links__article__date", filter=live),
    ).filter(n__gt=0)


def _industry_rows() -> list[IndexRow]:
    return [IndexRow(row.pk, INDUSTRY, row.name, (), row.n, row.latest, row.get_absolute_url())
            for row in _with_mentions(Industry.objects.all())]


def _entity_rows() -> list[IndexRow]:
    return [IndexRow(row.pk, row.kind, row.name, tuple(row.aliases or ()), row.n, row.latest,
                     row.get_absolute_url())
            for row in _with_mentions(Entity.objects.all())]


def entity_index(query: str = "", sort: str = SORT_MENTIONS, per_kind: int = PER_KIND) -> list[IndexGroup]:
    """Industries, then companies, people and places: each kind's rows matching `query`
    (a substring of the name or an alias, folded: 惲 finds 恽, Ｂ finds b), sorted."""
    folded = normalize(clean_query(query))
    groups = {kind: IndexGroup(kind) for kind in (INDUSTRY, *Entity.Kind.values)}
    for row in sorted(_industry_rows() + _entity_rows(), key=_sort_key(clean_sort(sort))):
        if folded and not row.matches(folded):
            continue
        group = groups[row.kind]
        group.total += 1
        if len(group.rows) < per_kind:
            group.rows.append(row)
    return list(groups.values())
