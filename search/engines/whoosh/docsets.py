"""Sets of document numbers as sorted arrays (or bitmaps when dense): and, or, and-not."""
from __future__ import annotations

import numpy as np

EMPTY = np.zeros(0, dtype=np.int32)


def common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted `a` ∩ sorted `b` for values of any size."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    where = np.searchsorted(b, a)
    where[where == len(b)] = len(b) - 1
    return a[b[where] == a]


def intersect(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Sorted unique `a` ∩ `b`: the few looked up in the many, or a mask over the space."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return EMPTY
    if len(a) * 16 < len(b):
        where = np.searchsorted(b, a)
        where[where == len(b)] = len(b) - 1
        return a[b[where] == a]
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[mask[a]]


def union(sets: list[np.ndarray], size: int, minmatch: int = 1) -> np.ndarray:
    """Documents in at least `minmatch` of the sorted unique `sets`."""
    if not sets:
        return EMPTY
    if minmatch > 1:
        counts = np.zeros(size, dtype=np.int32)
        for ids in sets:
            counts[ids] += 1
        return np.flatnonzero(counts >= minmatch).astype(np.int32)
    if len(sets) == 1:
        return sets[0]
    if sum(len(ids) for ids in sets) * 16 < size:
        return np.unique(np.concatenate(sets)).astype(np.int32, copy=False)
    mask = np.zeros(size, dtype=bool)
    for ids in sets:
        mask[ids] = True
    return np.flatnonzero(mask).astype(np.int32)


def minus(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    if not len(b):
        return a
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[~mask[a]]
