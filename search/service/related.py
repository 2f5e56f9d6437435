"""Related articles ("more like this") for the article page.

The engine searches the article's most distinctive words (analysed with the archive's
Chinese pipeline, so 半導體 and 半导体 are one word); the article itself and other copies
of the same story are left out. One SQL query loads the results; the engine's answer is kept
with the process's recent answers (search/service/recent.py).
"""
from __future__ import annotations

from archive.models import Article
from search.engines.current import current_engine
from search.search_indexes import searchable_text
from search.service import recent


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    text = searchable_text(article)
    if not text.strip():
        return []
    engine = current_engine()
    found = recent.remembered(engine, "related", {"article": article.pk}, (limit,),
                              lambda: engine.related_ids(article.pk, text, limit * 2))
    ids = [pk for pk in found if pk != article.pk]
    if not ids:
        return []
    found = Article.objects.for_listing().in_bulk(ids)
    story = getattr(article, "story_key", "")
    related = [found[pk] for pk in ids if pk in found and not (story and getattr(found[pk], "story_key", "") == story)]
    return related[:limit]
