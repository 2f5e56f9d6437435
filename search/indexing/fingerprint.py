"""The digest stored with every index document: check_index compares it with the database
to find stale entries (search/indexing/consistency.py). One definition for every engine."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

FINGERPRINT = "fingerprint"


def fingerprint(doc: Mapping[str, Any], *, keep_empty: bool = False) -> str:
    """A digest of every field of an index document but the digest itself, left out when
    None or "" unless `keep_empty`: the Whoosh backend's documents keep a field that is
    empty once converted (an empty list becomes ""), and their digests always counted it;
    taking it differently would mark every such entry stale."""
    payload = {key: str(value) for key, value in doc.items()
               if key != FINGERPRINT and (keep_empty or value not in (None, ""))}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
