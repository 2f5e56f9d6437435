"""Synonyms at query time: a query word that belongs to a synonym group (search/models.py,
edited in the admin) also searches the group's other words, as alternatives of the same
clause (集成电路 → 集成电路 OR 芯片), and the results say which words were added.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable

from archive.text.fold import normalize
from archive.text.words import text_spellings
from search.models import SynonymGroup
from search.service.query import Clause, ParsedQuery, Term


def folded_terms(terms: Iterable[str]) -> list[str]:
    """Terms as matching compares them: folded, in mainland words (積體電路 is 集成电路), without spaces."""
    return [(text_spellings(term) or [normalize(term)])[0].replace(" ", "") for term in terms]


def synonym_rows() -> tuple[tuple[str, ...], ...]:
    """The synonym groups as stored (one small query): what the mapping and cached answers
    depend on."""
    groups = SynonymGroup.objects.values_list("terms", flat=True)
    return tuple(tuple(str(term) for term in terms or []) for terms in groups)


def synonym_map() -> dict[str, list[str]]:
    """folded word → the other words of its groups, as the editors typed them."""
    return _mapping(synonym_rows())


@functools.lru_cache(maxsize=4)
def _mapping(rows: tuple[tuple[str, ...], ...]) -> dict[str, list[str]]:
    """Folding every group's words was most of a synonym lookup; the groups rarely change."""
    mapping: dict[str, list[str]] = {}
    for terms in rows:
        words = [term for term in terms if term.strip()]
        folded = folded_terms(words)
        for key in folded:
            others = mapping.setdefault(key, [])
            others += [word for word, other in zip(words, folded, strict=True) if other != key and word not in others]
    return mapping


def with_synonyms(parsed: ParsedQuery) -> tuple[ParsedQuery, list[str]]:
    """The query with each plain positive word's synonyms added to its clause, and the words added."""
    mapping = synonym_map()
    if not mapping:
        return parsed, []
    added: list[str] = []
    clauses = []
    for clause in parsed.clauses:
        terms = list(clause.terms)
        if not clause.negated:
            present = set(folded_terms(term.text for term in terms))
            for term in clause.terms:
                if term.field is not None:
                    continue
                for other in mapping.get(folded_terms([term.text])[0], []):
                    if folded_terms([other])[0] not in present:
                        present.add(folded_terms([other])[0])
                        terms.append(Term(other))
                        added.append(other)
        clauses.append(Clause(terms, negated=clause.negated))
    return ParsedQuery(clauses=clauses), added
