"""Words one edit away from a query's word, so that 半导休 is offered 半导体.

Candidates come from the same words the pinyin lexicon offers (the dictionary's common words
and the project's own, archive/text/dictionary.py offered_words), not from the index's
vocabulary: walking an index's term table for every edit of a word took seconds per word
(Whoosh's terms_within). Each word is filed under each of its one-character deletions
(半导体 under 导体, 半体, 半导); a query word's candidates are the words filed under its own
deletions or under itself, and its deletions that are words, kept when they are one
substitution, insertion, deletion or swap of neighbours away. The caller asks the engine
which of them articles hold.
"""
from __future__ import annotations

import functools
import threading

from archive.text.dictionary import offered_words
from archive.text.pinyin import LONGEST_WORD, MIN_FREQUENCY

_build_lock = threading.Lock()


def load_neighbourhood() -> None:
    """Build the words' deletions now (a web process does it at start, not on a reader's question)."""
    _neighbourhood()


def one_edit_words(word: str) -> list[str]:
    """Offered words one edit from `word` (ideographs, normalised), commonest first."""
    frequencies, filed = _neighbourhood()
    deletions = {word[:i] + word[i + 1:] for i in range(len(word))}
    candidates = set(filed.get(word, ()))
    for deletion in deletions:
        candidates.update(filed.get(deletion, ()))
        if deletion in frequencies:
            candidates.add(deletion)
    close = [candidate for candidate in candidates if candidate != word and one_edit_apart(word, candidate)]
    return sorted(close, key=lambda candidate: (-frequencies[candidate], candidate))


def one_edit_apart(a: str, b: str) -> bool:
    """Whether one substitution, insertion, deletion or swap of neighbours turns `a` into `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        return len(differ) == 1 or (
            len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]])
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1:]


@functools.lru_cache(maxsize=1)
def _neighbourhood() -> tuple[dict[str, int], dict[str, tuple[str, ...]]]:
    """(word → frequency, deletion → words), built in the process on its first question."""
    with _build_lock:
        frequencies = offered_words(MIN_FREQUENCY, LONGEST_WORD)
        filed: dict[str, list[str]] = {}
        for word in frequencies:
            for i in range(len(word)):
                filed.setdefault(word[:i] + word[i + 1:], []).append(word)
        return frequencies, {deletion: tuple(words) for deletion, words in filed.items()}
