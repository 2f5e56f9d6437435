"""Control characters: invisible, meaningless in a query or a title, and forbidden in XML 1.0
(an Atom feed holding one cannot be written). Tab, line feed and carriage return are
whitespace and stay; so does NUL, which the forms refuse with a message of their own."""
from __future__ import annotations

import re

# C0 controls but NUL, tab, LF and CR; DEL and the C1 controls; lone surrogates (not encodable
# as UTF-8); U+FFFE and U+FFFF (not characters).
CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_controls(text: str, replacement: str = "") -> str:
    """`text` with every control character (NUL included) replaced by `replacement`."""
    return CONTROL_CHARACTERS.sub(replacement, text).replace("\x00", replacement)


def controls_as_spaces(text: str) -> str:
    """For a query or a filter: a control character separates words like a space would;
    NUL is kept for the form's own refusal."""
    return CONTROL_CHARACTERS.sub(" ", text)
