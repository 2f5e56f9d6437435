"""Same story, many copies: near-duplicate detection with sampled shingles.

An article's text, folded to Simplified (so a Traditional web copy of a
Simplified report matches) and stripped of punctuation, is cut into
5-character shingles. Its sketch keeps the shingle hashes divisible by
SAMPLE — a fixed random sample, so the sketches of a report and of an
abridged copy overlap as much as the texts do. Copies are measured by
containment (shared / smaller sketch), since a copy is often shortened; the
smallest BUCKETS values are stored as lookup keys so candidates come from one
indexed query instead of a scan.
"""
from __future__ import annotations

import re
import zlib

SHINGLE = 5
SAMPLE = 16
BUCKETS = 8
MIN_SKETCH = 6  # below this (a one-line caption) texts are too short to compare
SAME_STORY = 0.6  # share of the shorter text's sketch found in the other
_NOISE_RE = re.compile(r"[\W_]+")


def sketch(simplified_text: str) -> list[int]:
    """The sampled shingle hashes of a text, ascending."""
    text = _NOISE_RE.sub("", simplified_text)
    hashes = {zlib.crc32(text[i:i + SHINGLE].encode("utf-8")) for i in range(len(text) - SHINGLE + 1)}
    return sorted(value for value in hashes if value % SAMPLE == 0)


def bucket_keys(signature: list[int]) -> list[int]:
    return signature[:BUCKETS] if len(signature) >= MIN_SKETCH else []


def similarity(first: list[int], second: list[int]) -> float:
    """Estimated share of the shorter text that the other text contains."""
    if len(first) < MIN_SKETCH or len(second) < MIN_SKETCH:
        return 0.0
    shared = len(set(first) & set(second))
    return shared / min(len(first), len(second))
