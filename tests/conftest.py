"""Shared fixtures: every test starts with an empty search index."""
from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from tests.subprocess_helpers import drop_databases

# Every property test runs a fixed, seed-independent example budget and never fails for being slow:
# the machine is shared and its speed varies, so no health check or deadline may depend on it.
settings.register_profile(
    "archive",
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=50,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("archive")


@pytest.fixture(autouse=True)
def empty_search_index():
    """The index lives outside the database's per-test rollback, so reset it."""
    from search.indexing.outbox import backend

    backend().clear()
    yield


@pytest.fixture(autouse=True)
def empty_caches():
    """Cached sitemaps and export counts live outside the database's per-test rollback too."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def seeded(settings, db):
    """The seed pages ingested (and therefore indexed)."""
    call_command("ingest", str(settings.ARCHIVE_SEEDS_DIR), verbosity=0)


def pytest_sessionfinish(session, exitstatus):
    """On PostgreSQL, the databases made for subprocesses' data folders (tests/subprocess_helpers.py)."""
    drop_databases()


# -- screenshots of the real-browser tests (tests/test_browser.py) ---------------------
SCREENSHOT_DIR = pytest.StashKey[object]()


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig):
    """Where the browser tests save screenshots: $ARCHIVE_SCREENSHOT_DIR, else
    <tmp>/archive-screenshots; the path is printed at the end of the run."""
    import os
    import tempfile
    from pathlib import Path

    path = Path(os.environ.get("ARCHIVE_SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "archive-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[SCREENSHOT_DIR] = path
    return path


#: How tests/test_engine_behaviour.py's skip reasons begin when there is no cluster.
ELASTICSEARCH_SKIPPED = "Elasticsearch run skipped:"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reasons = Counter(str(report.longrepr[-1]).removeprefix("Skipped: ")
                      for report in terminalreporter.stats.get("skipped", [])
                      if isinstance(report.longrepr, tuple) and ELASTICSEARCH_SKIPPED in str(report.longrepr[-1]))
    for reason, count in reasons.items():
        terminalreporter.write_line(f"{reason} ({count} test(s) of the shared behaviour suite)")
    path = config.stash.get(SCREENSHOT_DIR, None)
    if path is not None:
        shots = sorted(p.name for p in path.glob("*.png"))
        terminalreporter.write_line(f"Browser screenshots ({len(shots)}) saved in {path}")
