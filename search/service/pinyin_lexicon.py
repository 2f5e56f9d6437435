"""The pinyin lexicon of the index's vocabulary: pinyin key → the indexed words read that
way, most frequent first (bandaoti → 半导体). Built when a bulk load has finished writing
the index (the ingest, rebuild_index), and on first use when no lexicon is on disk; kept in
the data folder, so every web process reads the same one.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.dispatch import receiver

from archive.signals import bulk_load_finished
from archive.text.pinyin import readings
from archive.text.words import is_han
from search.engines.base import EngineError, SearchEngine
from search.engines.current import current_engine

#: Words in fewer articles than this are not offered (one-off cuts and typos of the texts).
MIN_DOCS = 2
MAX_WORD_LENGTH = 8
WORDS_PER_KEY = 5
FILE_NAME = "pinyin-lexicon.json"

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: tuple[tuple[int, int, int] | None, dict[str, list[str]]] | None = None  # (file identity, lexicon)


def lexicon_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def build(engine: SearchEngine) -> dict[str, list[str]]:
    """Every indexed word of two or more ideographs found in MIN_DOCS articles, by reading."""
    ranked: dict[str, list[tuple[int, str]]] = {}
    for word, docs in engine.vocabulary(MIN_DOCS):
        if 2 <= len(word) <= MAX_WORD_LENGTH and is_han(word):
            for key in readings(word):
                ranked.setdefault(key, []).append((docs, word))
    return {key: [word for _docs, word in sorted(found, key=lambda item: (-item[0], item[1]))[:WORDS_PER_KEY]]
            for key, found in ranked.items()}


def save(lexicon: dict[str, list[str]]) -> None:
    """Write the lexicon beside the database, whole or not at all."""
    global _loaded
    path = lexicon_path()
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(lexicon, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, path)
    _loaded = (_identity(path), lexicon)


def _identity(path: Path) -> tuple[int, int, int]:
    """What tells one written lexicon file from the next (another process may have replaced it)."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def words_read_as(key: str) -> list[str]:
    """Indexed words whose pinyin is `key`, most frequent first."""
    return _lexicon().get(key, [])


def _lexicon() -> dict[str, list[str]]:
    global _loaded
    path = lexicon_path()
    with _lock:
        try:
            identity = _identity(path)
        except FileNotFoundError:
            if _loaded is not None and _loaded[0] is None:
                return _loaded[1]  # built before, but the data folder would not take it
            lexicon = build(current_engine())
            try:
                save(lexicon)
            except OSError:  # a read-only data folder: keep it in this process only
                _loaded = (None, lexicon)
            return lexicon
        if _loaded is None or _loaded[0] != identity:
            _loaded = (identity, json.loads(path.read_text(encoding="utf-8")))
        return _loaded[1]


@receiver(bulk_load_finished)
def rebuild_after_load(sender, completed: bool = True, **kwargs) -> None:
    """A bulk load has changed the vocabulary: write the lexicon anew (connected after the
    index's own receiver, so the index is complete by then)."""
    if not (completed and settings.ARCHIVE_PINYIN_LEXICON):
        return
    try:
        save(build(current_engine()))
    except (OSError, EngineError) as exc:  # the load itself succeeded: only suggestions wait
        logger.warning("pinyin lexicon not written: %s", exc)
