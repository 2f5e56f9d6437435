"""jieba's word frequencies in a few megabytes, for processes that cut few words.

jieba keeps its prefix dictionary (every word and every prefix of a word, about
half a million keys once the project's words and folded spellings are added) as a
dict of str: a large share of a web worker's memory. A worker only
cuts queries and the odd edited article, so it reads the same keys and
frequencies from :class:`CompactLexicon` instead: for each key length, the keys
sorted and joined into one string and their frequencies in an array, looked up
by bisection. A lookup costs microseconds instead of tens of nanoseconds, which
a query of a few words does not notice; bulk indexing keeps jieba's dict
(archive/text/dictionary.py decides which).

The lexicon is written once per dictionary version to a file
(:func:`cache_path`) by the first process that builds jieba's dictionary, and
read from there by the others.
"""
from __future__ import annotations

import marshal
import os
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from pathlib import Path

#: marshal layout version of the cache file; bump when the layout changes.
FORMAT = 1


class _JoinedKeys:
    """Keys of one length, sorted and joined into one string, as a sequence ``bisect`` can search."""

    __slots__ = ("_joined", "_width", "_count")

    def __init__(self, joined: str, width: int) -> None:
        self._joined, self._width, self._count = joined, width, len(joined) // width

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        start = index * self._width
        return self._joined[start:start + self._width]


class CompactLexicon:
    """The keys and frequencies of a jieba ``FREQ`` dict (prefixes have frequency 0), read-only.

    It answers :meth:`get` exactly as the dict does, and has the ``FREQ`` and
    ``total`` attributes :class:`archive.text.wordcut.DagCutter` reads from a tokenizer."""

    def __init__(self, groups: dict[int, tuple[str, bytes]], total: int) -> None:
        self.total = total
        self._groups = groups  # kept as given, for save()
        self._single: dict[str, int] = {}
        self._by_width: dict[int, tuple[_JoinedKeys, array]] = {}
        for width, (joined, freq_bytes) in groups.items():
            freqs = array("q")
            freqs.frombytes(freq_bytes)
            if width == 1:  # the most frequent lookups, and few keys: a plain dict
                self._single = dict(zip(joined, freqs, strict=False))
            else:
                self._by_width[width] = (_JoinedKeys(joined, width), freqs)

    @classmethod
    def from_frequencies(cls, freq: Mapping[str, int], total: int) -> CompactLexicon:
        """The lexicon of a tokenizer's ``FREQ`` and ``total``."""
        by_width: dict[int, list[str]] = {}
        for key in freq:
            by_width.setdefault(len(key), []).append(key)
        groups = {}
        for width, keys in by_width.items():
            keys.sort()
            groups[width] = ("".join(keys), array("q", [freq[key] for key in keys]).tobytes())
        return cls(groups, total)

    @property
    def FREQ(self) -> CompactLexicon:  # noqa: N802 - the name DagCutter reads on a jieba tokenizer
        return self

    def get(self, key: str, default: int | None = None) -> int | None:
        """The key's frequency (0 for a prefix of words only), or `default` when it is neither."""
        if len(key) == 1:
            return self._single.get(key, default)
        group = self._by_width.get(len(key))
        if group is None:
            return default
        keys, freqs = group
        index = bisect_left(keys, key)
        if index < len(freqs) and keys[index] == key:
            return freqs[index]
        return default

    def items(self) -> Iterator[tuple[str, int]]:
        """Every key and its frequency (prefixes with 0), shortest keys first."""
        yield from self._single.items()
        for keys, freqs in self._by_width.values():
            yield from zip((keys[i] for i in range(len(keys))), freqs, strict=True)

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self._single) + sum(len(freqs) for _keys, freqs in self._by_width.values())

    def save(self, path: Path) -> None:
        """Write the lexicon to `path` atomically (concurrent writers leave one whole file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump((FORMAT, self.total, self._groups), fh)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from other users' processes
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> CompactLexicon | None:
        """The lexicon saved at `path`, or None if there is none or it cannot be read."""
        try:
            with open(path, "rb") as fh:
                fmt, total, groups = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if fmt != FORMAT or not isinstance(groups, dict):
            return None
        return cls(groups, total)


def cache_path(fingerprint: str) -> Path:
    """Where the lexicon of dictionary version `fingerprint` is kept: ``$SEARCH_LEXICON_DIR``
    or the temporary folder (where jieba keeps its own cache)."""
    folder = os.environ.get("SEARCH_LEXICON_DIR") or tempfile.gettempdir()
    return Path(folder) / f"archive-lexicon-{fingerprint}.marshal"
