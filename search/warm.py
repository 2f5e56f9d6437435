"""A web process made ready before its first reader: the text layer's lexicons (word cutter,
pinyin, words by their deletions), the entity index's counts and the search engine's columns. Each took seconds on the
first question that needed it at 100,000 articles (docs/performance.md). Called by
archive/wsgi.py; an index that cannot be read yet (none built, damaged) is left for the
search pages to report."""
from __future__ import annotations

import logging

from archive import entity_index
from archive.text.warm import prepare_for_queries
from search.engines.current import current_engine

logger = logging.getLogger(__name__)


def prepare_web_process() -> None:
    prepare_for_queries()
    try:
        entity_index.all_rows()
    except Exception as exc:  # noqa: BLE001 - a worker must start whatever the database's state
        logger.warning("entity index not counted at start: %s", exc)
    try:
        current_engine().warm_up()
    except Exception as exc:  # noqa: BLE001 - a worker must start whatever the index's state
        logger.warning("search engine not warmed up at start: %s", exc)
