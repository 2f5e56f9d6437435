"""The entity index (/entities/): companies, people, places and industries with how many
articles name each and when the latest appeared, narrowed by a query that matches a name or
any of its aliases in either script, sorted by mentions or by recency."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from archive.models import Article, ArticleEntity, ArticleIndustry, Entity, Industry
from archive.signals import bulk_load_finished
from archive.text.fold import normalize

INDUSTRY = "industry"
SORT_MENTIONS, SORT_RECENT = "mentions", "recent"
SORTS = (SORT_MENTIONS, SORT_RECENT)
#: Rows shown per kind; the query narrows the rest.
PER_KIND = 60
MAX_QUERY = 100
ROWS_CACHE_KEY = "archive:entity-index-rows"


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


def _mentions(link_model, key: str) -> dict[int, tuple[int, datetime.date | None]]:
    """{id: (articles, latest article's date)} over the links an editor has not removed.

    One GROUP BY driven by the article date index: each article's date is read from that index
    and its links found by article, so no article row (and its body) is read. Joined the other
    way (links, then each link's article) it read the article table 2.2 million times at 100,000
    articles (docs/performance.md)."""
    article, links = Article._meta.db_table, link_model._meta.db_table
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"  # CROSS JOIN fixes SQLite's join order
    sql = (f"SELECT l.{key}, COUNT(*), MAX(a.date) FROM {article} a {join} {links} l ON l.article_id = a.id "
           f"WHERE NOT l.removed GROUP BY l.{key}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {pk: (count, _as_date(latest)) for pk, count, latest in cursor.fetchall()}


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _industry_rows() -> list[IndexRow]:
    mentions = _mentions(ArticleIndustry, "industry_id")
    return [IndexRow(row.pk, INDUSTRY, row.name, (), *mentions[row.pk], row.get_absolute_url())
            for row in Industry.objects.filter(pk__in=mentions)]


def _entity_rows() -> list[IndexRow]:
    mentions = _mentions(ArticleEntity, "entity_id")
    return [IndexRow(row.pk, row.kind, row.name, tuple(row.aliases or ()), *mentions[row.pk], row.get_absolute_url())
            for row in Entity.objects.only("pk", "kind", "name", "aliases")
            if row.pk in mentions]


def all_rows() -> list[IndexRow]:
    """Every row of the index, kept for ARCHIVE_ENTITY_INDEX_SECONDS: counting 2.2 million tags
    takes over a second at 100,000 articles, so readers typing into the box share one count."""
    rows = cache.get(ROWS_CACHE_KEY)
    if rows is None:
        rows = _industry_rows() + _entity_rows()
        cache.set(ROWS_CACHE_KEY, rows, settings.ARCHIVE_ENTITY_INDEX_SECONDS)
    return rows


def entity_index(query: str = "", sort: str = SORT_MENTIONS, per_kind: int = PER_KIND) -> list[IndexGroup]:
    """Industries, then companies, people and places: each kind's rows matching `query`
    (a substring of the name or an alias, folded: 惲 finds 恽, Ｂ finds b), sorted."""
    folded = normalize(clean_query(query))
    groups = {kind: IndexGroup(kind) for kind in (INDUSTRY, *Entity.Kind.values)}
    for row in sorted(all_rows(), key=_sort_key(clean_sort(sort))):
        if folded and not row.matches(folded):
            continue
        group = groups[row.kind]
        group.total += 1
        if len(group.rows) < per_kind:
            group.rows.append(row)
    return list(groups.values())


@receiver(bulk_load_finished)
@receiver(post_save, sender=ArticleEntity)
@receiver(post_delete, sender=ArticleEntity)
@receiver(post_save, sender=ArticleIndustry)
@receiver(post_delete, sender=ArticleIndustry)
@receiver(post_save, sender=Entity)
@receiver(post_save, sender=Industry)
def forget_rows(sender, **kwargs) -> None:
    """An edit or a load in this process shows at once; other processes see it within
    ARCHIVE_ENTITY_INDEX_SECONDS."""
    cache.delete(ROWS_CACHE_KEY)
