"""Forgiving filter values: what a reader types into a filter box, read as the value the
archive stores.

The listing and the search filter on exact stored values (城市 “无锡”, 区县 “武进区”, an
entity's canonical Simplified name). Readers type 无锡市, 無錫, 武进, 常州高新区 or a company's
short name; each is folded (script, width, case: archive/text/fold.py), stripped of a
市/区/县 suffix and looked up among the values the archive holds and their aliases (the
gazetteer's development zones, publications' and entities' aliases). A value that matches
nothing is reported, not silently filtered to zero results.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from archive.gazetteer import ZONE_DISTRICTS
from archive.models import Article, Entity, Industry, Publication
from archive.text.fold import normalize

#: The filters typed as free text whose values the archive can list.
RESOLVED_FILTERS = ("city", "district", "publication", "industry", "company", "person", "place")
PLACE_SUFFIXES = ("市", "区", "县")


def name_key(text: str) -> str:
    """The form two spellings of one name share: folded, without spaces, without a
    市/区/县 suffix (kept when only one character would be left: 沛县)."""
    key = "".join(normalize(text).split())
    if len(key) > 2 and key.endswith(PLACE_SUFFIXES):
        key = key[:-1]
    return key


def match_name(typed: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The known value `typed` means (by its key, then by an alias's key), or None."""
    wanted = name_key(typed)
    if not wanted:
        return None
    by_key: dict[str, str] = {}
    for value in known:
        by_key.setdefault(name_key(value), value)
    if wanted in by_key:
        return by_key[wanted]
    for alias, canonical in (aliases or {}).items():
        if name_key(alias) == wanted and name_key(canonical) in by_key:
            return by_key[name_key(canonical)]
    return None


def _article_values(field: str, typed: str) -> list[str]:
    """The value itself when stored (one indexed lookup), else every distinct stored value."""
    if Article.objects.filter(**{field: typed}).exists():
        return [typed]
    return list(Article.objects.exclude(**{field: ""}).order_by().values_list(field, flat=True).distinct())


def _with_aliases(model, typed: str, **scope: Any) -> tuple[list[str], dict[str, str]]:
    """Names of `model` rows named `typed` or holding it among their aliases, with those aliases.

    Aliases are a JSON list, stored escaped (\\uXXXX) by SQLite and as text by PostgreSQL:
    both spellings are looked for, and the aliases then compared exactly."""
    simplified = normalize(typed).strip()
    escaped = json.dumps(simplified)[1:-1]
    rows = list(model.objects.filter(**scope, name__in={typed.strip(), simplified}).values_list("name", "aliases"))
    if not rows:  # by name first: among many aliases holding the text, a cut could lose the exact name
        rows = model.objects.filter(**scope).filter(
            Q(aliases__icontains=simplified) | Q(aliases__icontains=escaped)
        ).order_by("pk").values_list("name", "aliases")[:50]
    names, aliases = [], {}
    for name, row_aliases in rows:
        names.append(name)
        aliases.update({alias: name for alias in row_aliases or []})
    return names, aliases


def resolve(name: str, typed: str) -> str | None:
    """The stored value a typed filter value means, or None when the archive holds none."""
    if name in ("city", "district"):
        zones = ZONE_DISTRICTS if name == "district" else {}
        return match_name(typed, _article_values(name, typed), zones)
    if name == "publication":
        names, aliases = _with_aliases(Publication, typed)
        return match_name(typed, names, aliases) or match_name(
            typed, Publication.objects.values_list("name", flat=True))
    if name == "industry":
        return match_name(typed, Industry.objects.values_list("name", flat=True))
    names, aliases = _with_aliases(Entity, typed, kind=name)
    return match_name(typed, names, aliases)


def resolve_filters(data: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(stored values for the typed filters that matched, typed values that matched nothing)."""
    resolved, unknown = {}, {}
    for name in RESOLVED_FILTERS:
        typed = data.get(name)
        if not typed:
            continue
        value = resolve(name, typed)
        if value is None:
            unknown[name] = typed
        else:
            resolved[name] = value
    return resolved, unknown
