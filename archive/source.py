"""Where an article lies in the raw text of its source page, for the article
page's source view.

The ingest cleans what it cuts from the page (pinyin after characters, line
and column breaks, `## ` markers), so an article's stored text is not a
verbatim substring of the raw page. Titles are found with a pattern that
tolerates those differences; the article runs from its first title line to
the first title line of the next article on the page (or the end of the page).
"""
from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.models import Article

# Between two characters of a title the raw text may hold pinyin in brackets
# (武進(jìn)), spaces or a line break.
_GAP = r"(?:[((][^()()\n]{1,12}[))])?[ \t\u3000\n#]*"
MIN_PREFIX = 4
PATTERN_CHARS = 60


def _pattern(text: str) -> re.Pattern[str] | None:
    chars = [char for char in text if not char.isspace()][:PATTERN_CHARS]
    if len(chars) < 2:
        return None
    return re.compile(_GAP.join(re.escape(char) for char in chars))


def find_text(raw: str, text: str, start: int = 0) -> int | None:
    """Offset in `raw` (at or after `start`) where `text` begins, tolerating the ingest's
    cleaning; falls back to the text's first characters."""
    for candidate in (text, text[: max(MIN_PREFIX, len(text) // 2)], text[:MIN_PREFIX]):
        pattern = _pattern(candidate.strip())
        if pattern is None:
            continue
        match = pattern.search(raw, start)
        if match:
            return match.start()
    return None


def _title_lines(article: Article) -> list[str]:
    return [part for part in (article.kicker, article.headline, article.subheadline) if part.strip()]


def article_start(raw: str, article: Article, start: int = 0) -> int | None:
    """Where the article's first title line (or, failing that, its first paragraph) begins."""
    found = [offset for line in _title_lines(article)[:2] if (offset := find_text(raw, line, start)) is not None]
    if found:
        return min(found)
    paragraphs = article.paragraphs
    return find_text(raw, paragraphs[0], start) if paragraphs else None


def locate(raw: str, article: Article, following: Article | None = None) -> tuple[int, int] | None:
    """(start, end) of the article in `raw`, or None when it cannot be found."""
    start = article_start(raw, article)
    if start is None:
        return None
    # Include a title line's `## ` marker and indentation.
    line_start = raw.rfind("\n", 0, start) + 1
    if not raw[line_start:start].strip("# \t\u3000"):
        start = line_start
    end = None
    if following is not None:
        end = article_start(raw, following, start + 1)
    if end is None or end <= start:
        end = len(raw)
    # Leave the blank lines before the next article outside the mark.
    while end > start and raw[end - 1] in "\n \t\u3000#":
        end -= 1
    return start, end


def marked(raw: str, span: tuple[int, int] | None, mark_id: str = "source-mark") -> SafeString:
    """The raw text, escaped, with the span wrapped in <mark id=…>."""
    if span is None:
        return mark_safe(escape(raw))
    start, end = span
    return mark_safe(
        escape(raw[:start]) + f'<mark id="{escape(mark_id)}">' + escape(raw[start:end]) + "</mark>" + escape(raw[end:])
    )
