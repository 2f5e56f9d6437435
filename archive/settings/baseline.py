"""Settings for the benchmark's BASELINE (manage.py benchmark): the archive with stock search parts.

haystack's own Whoosh backend with jieba's ChineseAnalyzer swapped in for its text fields
(search.tooling.baseline.JiebaWhooshEngine) and haystack's RealtimeSignalProcessor, which indexes
every article as it is saved (search.tooling.baseline.BaselineSignalProcessor: the ingest's
bulk-created articles too, one by one). The archive's outbox stays empty (its signal
processor is not installed), so the ingest command's index flushes do nothing. Not for
serving the archive. Built on ``bench``: the benchmark runs its query command with it.
"""
import os
from pathlib import Path

from archive.settings.bench import *  # noqa: F401,F403
from archive.settings.bench import DATA_DIR

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.tooling.baseline.JiebaWhooshEngine",
        "PATH": str(Path(os.environ.get("ARCHIVE_INDEX_DIR") or DATA_DIR / "whoosh-index")),
    },
}
HAYSTACK_SIGNAL_PROCESSOR = "search.tooling.baseline.BaselineSignalProcessor"
