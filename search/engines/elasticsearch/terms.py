"""The archive's text as Elasticsearch holds it: cut by the project's own text layer
(archive/text/), so Elasticsearch only splits on spaces and both engines index the same
terms (search/elasticsearch.py sends them; compile.py searches them).

Fields beyond haystack's (search/search_indexes.py), each for a question Whoosh answers from
its own structures:

- ``grams``: the pairs of adjacent ideographs of each run of ideographs, one array value per
  run (Whoosh's pair field, search/analysis.py). Elasticsearch puts a position gap between
  array values, so a phrase of pairs never joins two runs, as pairs never cross a
  non-ideograph in Whoosh;
- ``words``: the distinct words of the text as keywords, for the vocabulary questions (prefix
  and one-edit words, the pinyin lexicon): a terms aggregation counts the articles holding
  each word, which a text field cannot do without fielddata;
- ``story_group``: the story key, or the article's own id when it has none: collapsing and
  counting stories on it keeps an article without a story a row of its own, as Whoosh does.
"""
from __future__ import annotations

from archive.text.fold import normalize
from archive.text.words import HAN_RUN, char_terms, query_terms
from search.analysis import query_bigrams

GRAMS = "grams"
WORDS = "words"
STORY_GROUP = "story_group"
WORD_FIELDS = ("text", "headline", "byline")


def joined_words(value: str) -> str:
    """The word-field terms of `value` (normalised, cut into words by jieba), joined by spaces."""
    return " ".join(query_terms(value))


def joined_chars(value: str) -> str:
    """The char-field terms of `value` (one per character; numbers and letter runs whole)."""
    return " ".join(char_terms(value))


def gram_runs(value: str) -> list[str]:
    """The pairs of each run of two or more ideographs of `value`, a run per string."""
    return [" ".join(query_bigrams(run)) for run in HAN_RUN.findall(normalize(value)) if len(run) > 1]


def distinct_words(joined: str) -> list[str]:
    """The distinct words of a pre-cut text, sorted."""
    return sorted(set(joined.split()))


def document_id(article_id: int) -> str:
    """The index document id of an article (haystack's identifier)."""
    return f"archive.article.{article_id}"
