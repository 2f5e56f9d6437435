"""What a web process builds before its first request: the word cutter, the pinyin lexicon
and the words by their deletions (did you mean). Built on a reader's question instead, they
made that reader wait seconds (docs/performance.md); archive/wsgi.py calls this at start."""
from __future__ import annotations

from archive.text.dictionary import cutter
from archive.text.pinyin import load_lexicon
from archive.text.spelling import load_neighbourhood


def prepare_for_queries() -> None:
    cutter()
    load_lexicon()
    load_neighbourhood()
