"""A web process made ready at start (search/warm.py, archive/wsgi.py): lexicons, the engine's
columns and the entity index's counts."""
from __future__ import annotations

import logging
import shutil

import pytest
from django.conf import settings

from archive import entity_index
from search.engines.current import current_engine
from search.engines.whoosh.caches import COLUMNS, JOINED
from search.warm import prepare_web_process

pytestmark = pytest.mark.django_db


def test_the_engine_reads_its_columns_before_the_first_search(seeded):
    JOINED.clear()
    COLUMNS.clear()
    current_engine().warm_up()
    loaded = {what for _segments, what in JOINED}
    assert {"global/city", "global/story", "global/month/city", "global/publication"} <= loaded
    assert any(what.startswith("length/") for what in loaded)


def test_a_process_starts_whatever_the_index(seeded, caplog):
    shutil.rmtree(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    with caplog.at_level(logging.WARNING, logger="search.warm"):
        prepare_web_process()  # no exception: the search pages report the missing index
    assert "not warmed up" in caplog.text


def test_a_process_counts_the_entity_index_as_it_starts(seeded, settings, django_assert_num_queries):
    settings.ARCHIVE_ENTITY_INDEX_SECONDS = 300
    prepare_web_process()
    with django_assert_num_queries(0):
        rows = entity_index.all_rows()
    assert len(rows) > 10
