"""Write what extraction finds into the database, respecting editors.

Automatic rows are replaced on every extraction; rows an editor added
(source=editor) are never touched, and rows an editor marked removed stay
removed — extraction will not add them again. Entities are resolved through
their names and aliases, so an editor's merge or rename holds.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from archive.extract import stories
from archive.extract.companies import extract_companies
from archive.extract.industries import score_industries
from archive.extract.people import extract_people
from archive.extract.places import extract_places
from archive.models import (
    Article,
    ArticleEntity,
    ArticleIndustry,
    Curation,
    Entity,
    Industry,
    StoryBucket,
)
from archive.text.dictionary import user_words
from archive.text.script import to_simplified_chars


@dataclass
class Extraction:
    text: str
    companies: dict[str, list[str]]
    people: dict[str, str]
    places: list[str]
    industries: dict[str, int]
    sketch: list[int]


def extract(article: Article, taxonomy: list[tuple[str, list[str]]]) -> Extraction:
    """Everything an article's text names, from its Simplified form."""
    headline = to_simplified_chars(" ".join(filter(None, [article.kicker, article.headline, article.subheadline])))
    body = to_simplified_chars(article.body)
    text = f"{headline}\n{body}"
    return Extraction(
        text=text,
        companies=extract_companies(text),
        people=extract_people(text),
        places=extract_places(text),
        industries=score_industries(headline, body, taxonomy),
        sketch=stories.sketch(text),
    )


@dataclass
class EntityResolver:
    """Name or alias → entity, loaded once per run; new entities are created on demand."""

    by_name: dict[tuple[str, str], Entity] = field(default_factory=dict)
    person_names: set[str] = field(default_factory=set)  # kept here: a scan of by_name per article grew with the archive

    @classmethod
    def load(cls) -> EntityResolver:
        resolver = cls()
        for entity in Entity.objects.all():
            resolver.remember(entity)
        return resolver

    def remember(self, entity: Entity) -> None:
        self.by_name[(entity.kind, entity.name)] = entity
        for alias in entity.aliases or []:
            self.by_name.setdefault((entity.kind, alias), entity)
        if entity.kind == Entity.Kind.PERSON:
            self.person_names.update((entity.name, *(entity.aliases or [])))

    def resolve(self, kind: str, name: str, aliases: list[str] = ()) -> Entity:
        for candidate in (name, *aliases):
            found = self.by_name.get((kind, candidate))
            if found:
                new_aliases = [a for a in (name, *aliases) if a != found.name and a not in found.aliases]
                if new_aliases:
                    found.aliases = [*found.aliases, *new_aliases]
                    found.save(update_fields=["aliases"])
                    self.remember(found)
                return found
        entity = Entity.objects.create(kind=kind, name=name[:100], aliases=list(aliases))
        self.remember(entity)
        return entity


def load_taxonomy() -> tuple[list[tuple[str, list[str]]], dict[str, Industry]]:
    industries = list(Industry.objects.all())
    return [(i.name, i.keyword_list) for i in industries], {i.name: i for i in industries}


class NameScanner:
    """Known names in a text, left to right, the longest at each place, without overlaps (what
    a regular expression of the names, longest first, finds), in order of first mention.

    Places where a name may start are found by a character class of the names' first
    characters; the text there is looked up in a set per name length. Building it costs
    next to nothing, so it is rebuilt whenever a name is added: a regex of every name was
    recompiled for each new person, a cost that grew with the archive."""

    def __init__(self, names) -> None:
        by_length: dict[int, set[str]] = {}
        for name in names:
            if name:
                by_length.setdefault(len(name), set()).add(name)
        self._lengths = sorted(by_length, reverse=True)
        self._names = by_length
        firsts = sorted({name[0] for group in by_length.values() for name in group})
        self._starts = re.compile("[" + "".join(map(re.escape, firsts)) + "]") if firsts else None

    def find(self, text: str) -> list[str]:
        if self._starts is None:
            return []
        found: dict[str, None] = {}
        names, free_from = self._names, 0
        for start in self._starts.finditer(text):
            i = start.start()
            if i < free_from:
                continue
            for length in self._lengths:
                piece = text[i:i + length]
                if piece in names[length]:
                    found[piece] = None
                    free_from = i + length
                    break
        return list(found)


class Extractor:
    """Runs extraction for many articles with one resolver and one taxonomy load."""

    def __init__(self) -> None:
        self.resolver = EntityResolver.load()
        self.taxonomy, self.industries = load_taxonomy()
        self._people_scanner = NameScanner(())
        self._people_count = -1

    def known_people(self, simplified: str) -> list[str]:
        """People already known (named with a title somewhere) mentioned here without one:
        市、区领导杭勇、潘冬铃、恽淇丞… Two-character names only from the curated dictionary."""
        people = self.resolver.person_names
        if len(people) != self._people_count:
            self._people_scanner = NameScanner(name for name in people if len(name) >= 3 or name in user_words())
            self._people_count = len(people)
        return self._people_scanner.find(simplified)

    def _wanted(self, found: Extraction) -> tuple[dict[int, str], dict[int, int]]:
        """Entity id → role, and industry id → score, for what an article names."""
        wanted: dict[int, str] = {}
        for name, aliases in found.companies.items():
            wanted.setdefault(self.resolver.resolve(Entity.Kind.COMPANY, name, aliases).pk, "")
        for name, role in found.people.items():
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PERSON, name).pk, role)
        for name in self.known_people(found.text):
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PERSON, name).pk, "")
        for name in found.places:
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PLACE, name).pk, "")
        return wanted, {self.industries[name].pk: score for name, score in found.industries.items()}

    def apply(self, article: Article) -> None:
        """Extract and store for an article that was already there: its automatic rows are
        reconciled with what is found now, editors' rows and removals kept."""
        found = extract(article, self.taxonomy)
        wanted, industries = self._wanted(found)
        _sync_links(article, wanted)
        _sync_industries(article, industries)
        _assign_story(article, found.sketch)

    def apply_new(self, articles: list[Article]) -> None:
        """Extract and store for articles just created (a page's new articles, in page order):
        nothing to reconcile, so each kind of row is written in one statement for them all —
        per article, the statements and model instances were most of an ingest's database time."""
        found = [extract(article, self.taxonomy) for article in articles]
        entity_rows: list[tuple] = []
        industry_rows: list[tuple] = []
        for article, extraction in zip(articles, found, strict=False):
            wanted, industries = self._wanted(extraction)
            entity_rows += [(article.pk, pk, role[:100], Curation.AUTO, False) for pk, role in wanted.items()]
            industry_rows += [(article.pk, pk, score, Curation.AUTO, False) for pk, score in industries.items()]
        _insert_rows(ArticleEntity, ("article_id", "entity_id", "role", "source", "removed"), entity_rows)
        _insert_rows(ArticleIndustry, ("article_id", "industry_id", "score", "source", "removed"), industry_rows)
        _assign_new_stories(articles, [extraction.sketch for extraction in found])


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain rows into a link table in one executemany: no model instance per row."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Set `columns` of many rows, each row (values..., pk), in one executemany (bulk_update's
    CASE expressions cost more to build than the rows they write)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(c)} = %s' for c in columns)} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _sync_links(article: Article, wanted: dict[int, str]) -> None:
    """Entity links: replace the automatic rows, keep editors' rows and removals."""
    existing = _sync_curated(ArticleEntity, "entity_id", article, wanted,
                             lambda pk, role: ArticleEntity(article=article, entity_id=pk, role=role[:100]))
    for pk, role in wanted.items():
        link = existing.get(pk)
        if link and link.source == Curation.AUTO and not link.removed and link.role != role[:100]:
            ArticleEntity.objects.filter(pk=link.pk).update(role=role[:100])


def _sync_industries(article: Article, wanted: dict[int, int]) -> None:
    _sync_curated(ArticleIndustry, "industry_id", article, wanted,
                  lambda pk, score: ArticleIndustry(article=article, industry_id=pk, score=score))


def _sync_curated(model, key: str, article: Article, wanted: dict, build) -> dict:
    """Delete automatic rows no longer found, add new ones; returns the rows that were there."""
    existing = {getattr(link, key): link for link in model.objects.filter(article=article)}
    stale = [link.pk for pk, link in existing.items()
             if pk not in wanted and link.source == Curation.AUTO and not link.removed]
    model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(build(pk, value) for pk, value in wanted.items() if pk not in existing)
    return existing


STORY_CANDIDATES = 10
BUCKET_SCAN = 64  # latest articles looked at per lookup key


def _assign_story(article: Article, sketch: list[int]) -> None:
    """Join the story of the most similar earlier copy, or start one (an article already there)."""
    StoryBucket.objects.filter(article=article).delete()
    keys = stories.bucket_keys(sketch)
    holders = _holders_by_key(_latest_holders(keys, article.pk))
    best_key = _best_story(sketch, keys, holders, _story_candidates(holders)) or f"a{article.pk}"
    _insert_rows(StoryBucket, ("article_id", "value"), [(article.pk, value) for value in keys])
    Article.objects.filter(pk=article.pk).update(story_key=best_key, story_sketch=sketch)
    article.story_key, article.story_sketch = best_key, sketch


def _assign_new_stories(articles: list[Article], sketches: list[list[int]]) -> None:
    """Stories for a page's new articles: one lookup for all their keys, and each article also
    compared with the page's earlier ones (a page can carry two copies of one report)."""
    keys_of = [stories.bucket_keys(sketch) for sketch in sketches]
    holders = _holders_by_key(_latest_holders(sorted({key for keys in keys_of for key in keys})))
    known = _story_candidates(holders)
    for article, sketch, keys in zip(articles, sketches, keys_of, strict=False):
        article.story_key = _best_story(sketch, keys, holders, known) or f"a{article.pk}"
        article.story_sketch = sketch
        known[article.pk] = (article.story_key, sketch)
        for key in keys:
            holders.setdefault(key, []).append(article.pk)
    _insert_rows(StoryBucket, ("article_id", "value"),
                 [(article.pk, value) for article, keys in zip(articles, keys_of, strict=False) for value in keys])
    sketch_field = Article._meta.get_field("story_sketch")
    _update_rows(Article, ("story_key", "story_sketch"),
                 [(article.story_key, sketch_field.get_db_prep_save(article.story_sketch, connection), article.pk)
                  for article in articles])


def _best_story(sketch: list[int], keys: list[int], holders: dict[int, list[int]],
                known: dict[int, tuple[str, list[int]]]) -> str | None:
    """The story key of the most similar copy among the articles sharing at least two lookup
    keys (the STORY_CANDIDATES sharing most), or None.

    Only the latest BUCKET_SCAN articles holding each key are counted, and only the few
    sharing the most keys are compared, so the cost stays flat however many articles share
    a common phrase (a key held by thousands of articles made one grouped query per article
    grow with the archive)."""
    shared = Counter(pk for key in keys for pk in set(holders.get(key, ())))
    best_key, best_score = None, 0.0
    for pk, count in shared.most_common(STORY_CANDIDATES):
        if count < 2 or pk not in known:
            continue
        story_key, candidate_sketch = known[pk]
        score = stories.similarity(sketch, candidate_sketch)
        if score >= stories.SAME_STORY and score > best_score:
            best_key, best_score = story_key or f"a{pk}", score
    return best_key


def _holders_by_key(rows: list[tuple[int, int]]) -> dict[int, list[int]]:
    holders: dict[int, list[int]] = {}
    for key, article_id in rows:
        holders.setdefault(key, []).append(article_id)
    return holders


def _story_candidates(holders: dict[int, list[int]]) -> dict[int, tuple[str, list[int]]]:
    """Story key and sketch of every article holding at least two of the looked-up keys, in one query."""
    counts = Counter(pk for pks in holders.values() for pk in set(pks))
    wanted = [pk for pk, count in counts.items() if count >= 2]
    if not wanted:
        return {}
    rows = Article.objects.filter(pk__in=wanted).order_by().values_list("pk", "story_key", "story_sketch")
    return {pk: (story_key, sketch) for pk, story_key, sketch in rows}


def _latest_holders(keys: list[int], article_id: int | None = None) -> list[tuple[int, int]]:
    """(key, article) for the latest BUCKET_SCAN articles (other than `article_id`) holding
    each key, in one query: a query per key through the ORM was a third of an ingest's
    database time."""
    if not keys:
        return []
    table = connection.ops.quote_name(StoryBucket._meta.db_table)
    other = "" if article_id is None else " AND article_id <> %s"
    one_key = (f"SELECT * FROM (SELECT value, article_id FROM {table} WHERE value = %s{other} "
               f"ORDER BY id DESC LIMIT {int(BUCKET_SCAN)}) AS key_{{n}}")
    sql = " UNION ALL ".join(one_key.format(n=n) for n in range(len(keys)))
    params = [value for key in keys for value in ((key,) if article_id is None else (key, article_id))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
