"""Shared fixtures: every test starts with an empty search index."""
from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_search_index():
    """The index lives outside the database's per-test rollback, so reset it."""
    from search.indexing import backend

    backend().clear()
    yield


@pytest.fixture
def seeded(settings, db):
    """The seed pages ingested (and therefore indexed)."""
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), verbosity=0)
