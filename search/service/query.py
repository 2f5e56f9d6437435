"""The archive's query language, parsed into clauses.

    芯片 产业            all words must match
    "化合物半导体"        exact phrase
    芯片 OR 集成电路      either side
    半导体 -无锡          exclude
    headline:摩尔线程     only in kicker/headline/subtitle
    byline:朱梦琪         only in bylines

Nothing here can fail: a stray quote, bracket, ``*``, ``AND`` or an empty
``headline:`` is read as plain words, never as an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN_RE = re.compile(r'(-?)(?:(headline|byline|标题|作者):)?(?:"([^"]*)"|“([^”]*)”|(\S+))', re.IGNORECASE)
_FIELD_ALIASES = {"标题": "headline", "作者": "byline"}
_OPERATOR_CHARS = re.compile(r"[()()\[\]{}*?~^+!\\:\"“”]+")
LOOSE_WORD_COUNT = 6  # a query of more words than this is a pasted sentence: rank, don't require all


@dataclass(frozen=True)
class Term:
    """One word or phrase, optionally restricted to a field."""

    text: str
    phrase: bool = False
    field: str | None = None


@dataclass
class Clause:
    """Alternatives joined by OR; a clause matches when any of them does."""

    terms: list[Term]
    negated: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [clause for clause in self.clauses if not clause.negated]

    @property
    def negative(self) -> list[Clause]:
        return [clause for clause in self.clauses if clause.negated]

    @property
    def highlight_words(self) -> list[str]:
        """Words to mark in results: every positive term, longest first."""
        words = {term.text for clause in self.positive for term in clause.terms if term.field != "byline"}
        return sorted(words, key=len, reverse=True)

    @property
    def is_empty(self) -> bool:
        return not self.positive

    @property
    def is_long(self) -> bool:
        return len(self.positive) > LOOSE_WORD_COUNT


def parse_query(text: str) -> ParsedQuery:
    """Parse user input; anything unusual degrades to plain words."""
    query = ParsedQuery()
    pending_or = False
    for match in _TOKEN_RE.finditer(text.replace("\x00", " ")):
        negated, field_name, quoted, curly, bare = match.groups()
        if bare is not None and bare.upper() == "OR" and not negated and not field_name:
            pending_or = bool(query.clauses)
            continue
        if bare is not None and bare.upper() in {"AND", "NOT"} and not field_name:
            continue
        phrase_text = quoted if quoted is not None else curly
        term = _make_term(phrase_text if phrase_text is not None else bare, phrase_text is not None, field_name)
        if term is None:
            pending_or = False
            continue
        if pending_or and not negated and not query.clauses[-1].negated:
            query.clauses[-1].terms.append(term)
        else:
            query.clauses.append(Clause([term], negated=bool(negated)))
        pending_or = False
    return query


def _make_term(raw: str | None, phrase: bool, field_name: str | None) -> Term | None:
    text = _OPERATOR_CHARS.sub(" ", raw or "").strip()
    text = re.sub(r"\s+", " ", text)
    if not text:
        return None
    field_key = _FIELD_ALIASES.get(field_name or "", (field_name or "").lower() or None)
    return Term(text=text, phrase=phrase or " " in text, field=field_key)
