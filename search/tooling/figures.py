"""Small statistics shared by the benchmark, the edit-latency bench and the query timing."""
from __future__ import annotations

import math
import statistics
from pathlib import Path

MB = 1e6


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 200 values is the 100th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(samples: list[float]) -> dict:
    ms = [value * 1000 for value in samples]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
        "queries": len(ms),
    }


def peak_rss_mb(kilobytes: int) -> float:
    """ru_maxrss (KiB on Linux) in MB."""
    return round(kilobytes * 1024 / MB, 1)



def folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB, 2)

