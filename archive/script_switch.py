"""The 简/繁 display switch: show article text in Simplified or Traditional
characters without touching what is stored.

A reader chooses with ``?script=hans`` or ``?script=hant`` on any page (a
cookie remembers the choice; ``?script=orig`` forgets it). Without a choice,
text is shown in the script it was published in. Conversion uses OpenCC's
phrase-aware ``s2t``/``t2s`` configurations, so a converted text may differ
in length from the original: convert first, then highlight (search.highlight
matches on a folded copy, so marks land correctly in either script).
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Mapping

from opencc import OpenCC

ORIGINAL = ""
SIMPLIFIED = "hans"
TRADITIONAL = "hant"
CHOICES = (SIMPLIFIED, TRADITIONAL)
RESET = "orig"

PARAM = "script"
COOKIE = "archive_script"
COOKIE_MAX_AGE = 365 * 24 * 3600

_CONFIGS = {SIMPLIFIED: "t2s", TRADITIONAL: "s2t"}
_lock = threading.Lock()


@functools.cache
def _converter(script: str) -> OpenCC:
    return OpenCC(_CONFIGS[script])


def convert(text: str, script: str) -> str:
    """`text` written in `script` ("hans"/"hant"); unchanged for the original script ("")."""
    if not text or script not in CHOICES:
        return text
    with _lock:  # the pure-Python converter keeps state between calls
        return _converter(script).convert(text)


def parse(value: str | None) -> str | None:
    """A requested script: "hans"/"hant", "" to reset, None when the value means nothing."""
    value = (value or "").strip().lower()
    if value in CHOICES:
        return value
    if value == RESET:
        return ORIGINAL
    return None


def chosen(query: Mapping[str, str], cookies: Mapping[str, str]) -> str:
    """The script to display: the query parameter wins, then the cookie, else the original."""
    requested = parse(query.get(PARAM))
    if requested is not None:
        return requested
    remembered = parse(cookies.get(COOKIE))
    return remembered or ORIGINAL
