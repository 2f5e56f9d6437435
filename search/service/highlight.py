"""Mark matched words in article text, in the script it was published in.

Matching runs on the normalised text (Traditional folded to Simplified one
character at a time, full-width to half-width, lower case), which has the
same length as the original, so a match found there is cut from the
original: a Simplified query marks 芯片產業 in a Traditional page. Every
piece of article text is HTML-escaped; only our own <mark> tags are not.
"""
from __future__ import annotations

import dataclasses

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive import script_switch
from archive.text.fold import normalize

SNIPPET_CHARS = 160


def find_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans where any of the words occurs."""
    haystack = normalize(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        needle = normalize(word).replace(" ", "")
        if not needle:
            continue
        start = haystack.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = haystack.find(needle, start + len(needle))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> SafeString:
    """Escaped text with <mark> around the spans (spans relative to text + offset)."""
    parts: list[str] = []
    cursor = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


def highlight(text: str, words: list[str]) -> SafeString:
    """The whole text, escaped, with every match marked."""
    return mark(text, find_spans(text, words))


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around its densest cluster of matches, marked."""
    flat = text.replace("\n", " ")
    spans = find_spans(flat, words)
    if not spans:
        return mark(flat[:size] + ("…" if len(flat) > size else ""), [])
    start = _best_window(spans, size, len(flat))
    end = min(len(flat), start + size)
    window = flat[start:end]
    inside = [(s, e) for s, e in spans if s < end and e > start]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return mark_safe(prefix + mark(window, inside, offset=start) + suffix)


def _best_window(spans: list[tuple[int, int]], size: int, length: int) -> int:
    """Start of the window holding the most matches, a little before the first of them."""
    best_start, best_count = spans[0][0], 0
    for index, (span_start, _) in enumerate(spans):
        count = sum(1 for s, _ in spans[index:] if s < span_start + size)
        if count > best_count:
            best_start, best_count = span_start, count
    lead = min(size // 4, best_start)
    return max(0, min(best_start - lead, max(0, length - size)))


def words_in(article, words: list[str]) -> list[str]:
    """Which of the words an article's kicker, headline, subheadline or body holds."""
    text = normalize("\n".join(part for part in (article.kicker, article.headline, article.subheadline, article.body)
                               if part))
    found = [word for word in words if normalize(word).replace(" ", "") in text]
    return [word for word in found if not any(word != other and word in other for other in found)]


def converted_hits(hits: list, words: list[str], script: str) -> list:
    """Search hits with headline and snippet converted first, then highlighted again."""
    if script not in script_switch.CHOICES:
        return hits
    converted = []
    for hit in hits:
        article = hit.article
        converted.append(dataclasses.replace(
            hit,
            headline_html=highlight(script_switch.convert(article.headline, script), words),
            snippet_html=snippet(script_switch.convert(article.body, script), words),
        ))
    return converted
