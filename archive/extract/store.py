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
from django.db.models import Q

from archive.extract import stories
from archive.extract.companies import extract_companies
from archive.extract.industries import score_industries
from archive.extract.people import extract_people
from archive.extract.places import extract_places
from archive.ingest.script import to_simplified_chars
from archive.models import (
    Article, ArticleEntity, ArticleIndustry, Curation, Entity, Industry, StoryBucket,
)


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

    @classmethod
    def load(cls) -> "EntityResolver":
        resolver = cls()
        for entity in Entity.objects.all():
            resolver.remember(entity)
        return resolver

    def remember(self, entity: Entity) -> None:
        self.by_name[(entity.kind, entity.name)] = entity
        for alias in entity.aliases or []:
            self.by_name.setdefault((entity.kind, alias), entity)

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


class Extractor:
    """Runs extraction for many articles with one resolver and one taxonomy load."""

    def __init__(self) -> None:
        self.resolver = EntityResolver.load()
        self.taxonomy, self.industries = load_taxonomy()
        self._people_pattern: re.Pattern[str] | None = None
        self._people_count = -1

    def known_people(self, simplified: str) -> list[str]:
        """People already known (named with a title somewhere) mentioned here without one:
        市、区领导杭勇、潘冬铃、恽淇丞… Two-character names only from the curated dictionary."""
        from search.analysis import user_words

        people = {name for (kind, name) in self.resolver.by_name if kind == Entity.Kind.PERSON}
        if len(people) != self._people_count:
            safe = sorted((n for n in people if len(n) >= 3 or n in user_words()), key=len, reverse=True)
            self._people_pattern = re.compile("|".join(map(re.escape, safe))) if safe else None
            self._people_count = len(people)
        if self._people_pattern is None:
            return []
        return list(dict.fromkeys(match.group(0) for match in self._people_pattern.finditer(simplified)))

    def apply(self, article: Article, created: bool = False) -> None:
        """Extract and store; `created` says the article is new, so it has no rows to reconcile."""
        found = extract(article, self.taxonomy)
        wanted: dict[int, str] = {}
        for name, aliases in found.companies.items():
            wanted.setdefault(self.resolver.resolve(Entity.Kind.COMPANY, name, aliases).pk, "")
        for name, role in found.people.items():
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PERSON, name).pk, role)
        for name in self.known_people(found.text):
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PERSON, name).pk, "")
        for name in found.places:
            wanted.setdefault(self.resolver.resolve(Entity.Kind.PLACE, name).pk, "")
        industries = {self.industries[name].pk: score for name, score in found.industries.items()}
        if created:
            ArticleEntity.objects.bulk_create(
                ArticleEntity(article=article, entity_id=pk, role=role[:100]) for pk, role in wanted.items())
            ArticleIndustry.objects.bulk_create(
                ArticleIndustry(article=article, industry_id=pk, score=score) for pk, score in industries.items())
        else:
            _sync_links(article, wanted)
            _sync_industries(article, industries)
        _assign_story(article, found.sketch, created)


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


def _assign_story(article: Article, sketch: list[int], created: bool = False) -> None:
    """Join the story of the most similar earlier copy, or start one.

    Only the latest BUCKET_SCAN articles holding each lookup key are counted, and
    only the few sharing the most keys are compared, so the cost stays flat however
    many articles share a common phrase (a key held by thousands of articles made
    one grouped query per article grow with the archive)."""
    if not created:
        StoryBucket.objects.filter(article=article).delete()
    keys = stories.bucket_keys(sketch)
    best_key, best_score = f"a{article.pk}", 0.0
    if keys:
        shared = Counter(article_id for _key, article_id in set(_latest_holders(keys, article.pk)))
        top = [pk for pk, count in shared.most_common(STORY_CANDIDATES) if count >= 2]
        candidates = Article.objects.filter(pk__in=top).only("pk", "story_key", "story_sketch") if top else []
        for candidate in candidates:
            score = stories.similarity(sketch, candidate.story_sketch)
            if score >= stories.SAME_STORY and score > best_score:
                best_key, best_score = candidate.story_key or f"a{candidate.pk}", score
        StoryBucket.objects.bulk_create(StoryBucket(article=article, value=value) for value in keys)
    Article.objects.filter(pk=article.pk).update(story_key=best_key, story_sketch=sketch)
    article.story_key, article.story_sketch = best_key, sketch


def _latest_holders(keys: list[int], article_id: int) -> list[tuple[int, int]]:
    """(key, article) for the latest BUCKET_SCAN other articles holding each key, in one
    query: a query per key through the ORM was a third of an ingest's database time."""
    table = connection.ops.quote_name(StoryBucket._meta.db_table)
    one_key = (f"SELECT * FROM (SELECT value, article_id FROM {table} WHERE value = %s AND article_id <> %s "
               f"ORDER BY id DESC LIMIT {int(BUCKET_SCAN)}) AS key_{{n}}")
    sql = " UNION ALL ".join(one_key.format(n=n) for n in range(len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for key in keys for value in (key, article_id)])
        return cursor.fetchall()


def names_filter(kind: str, name: str) -> Q:
    """Articles linked (and not removed) to the entity with this name or alias."""
    return Q(entity_links__entity__kind=kind, entity_links__entity__name=name, entity_links__removed=False)
