"""The digest stored with every index document: check_index compares it with the database
to find stale entries (search/indexing/consistency.py). One definition for every engine."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

FINGERPRINT = "fingerprint"


def fingerprint(doc: Mapping[str, Any]) -> str:
    payload = {key: str(value) for key, value in doc.items() if key != FINGERPRINT and value not in (None, "")}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
