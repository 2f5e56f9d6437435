"""Related articles ("more like this") for the article page.

The article's most distinctive words (Whoosh's Bo1 key terms of its own text,
analysed with the archive's Chinese pipeline, so 半導體 and 半导体 are one
word) are searched as an OR query over the text field; the article itself and
other copies of the same story are left out. One SQL query loads the results.
"""
from __future__ import annotations

from archive.models import Article
from search.indexing.outbox import backend
from search.search_indexes import searchable_text

KEY_TERMS = 12


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    text = searchable_text(article)
    if not text.strip():
        return []
    searcher = backend().searcher()
    docnum = searcher.document_number(id=f"archive.article.{article.pk}")
    results = searcher.more_like(
        docnum if docnum is not None else -1, "text", text=text, top=limit * 2, numterms=KEY_TERMS
    )
    ids = [int(hit["django_id"]) for hit in results if int(hit["django_id"]) != article.pk]
    if not ids:
        return []
    found = Article.objects.for_listing().in_bulk(ids)
    story = getattr(article, "story_key", "")
    related = [found[pk] for pk in ids if pk in found and not (story and getattr(found[pk], "story_key", "") == story)]
    return related[:limit]
