"""Settings for the test suite: an isolated, throw-away data folder; the tooling app installed
(its commands are tested too, in process)."""
import atexit
import os
import shutil
import tempfile

if "ARCHIVE_DATA_DIR" not in os.environ:
    # A fresh folder per test run, removed when the run ends (child processes inherit the
    # variable, so only the process that made the folder removes it).
    os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
    atexit.register(shutil.rmtree, os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True)
os.environ.setdefault("DJANGO_DEBUG", "1")

from archive.settings.bench import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Hostile-request and API tests send thousands of exports; the rate limit's own tests turn it on.
ARCHIVE_CSV_EXPORTS_PER_MINUTE = 0

# Each test sees its own changes at once; tests/test_recent_answers.py turns the cache on.
ARCHIVE_SEARCH_CACHE_SECONDS = 0
ARCHIVE_ENTITY_INDEX_SECONDS = 0  # tests/test_entity_index.py turns it on where it tests it
ARCHIVE_LISTING_COUNTS_SECONDS = 0  # tests/test_filter_panel.py turns it on where it tests it
