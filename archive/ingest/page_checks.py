"""What a file must be before its articles are stored: a page of Chinese text (or a page in
another language the archive flags), within the per-page caps.

A file that is not is refused with one sentence naming what is wrong (and, past a cap, the cap,
its setting and the file's figure) and nothing is loaded from it. The caps also bound what one
page costs: the parsing, and the transaction that writes its articles, which holds the
database's write lock while it runs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from archive.ingest.cleaning import CJK, strip_invisible, strip_pinyin
from archive.ingest.decoding import DecodedText, decode_bytes
from archive.ingest.html_source import html_to_text, looks_like_html
from archive.ingest.parsing import ParsedPage
from archive.text.script import CHINESE, detect_language

MIN_SENTENCE_HAN = 5  # a run of this many Chinese characters is a sentence, a title or an outlet's name
_SENTENCE_RE = re.compile(f"[{CJK}]{{{MIN_SENTENCE_HAN},}}")
_LATIN_WORD_RE = re.compile("[A-Za-z\u00c0-\u024f\u0300-\u036f]+")
# One pinyin syllable (tone marks removed, ü written as v or u); a word of them is pinyin.
_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
             r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn"
             r"|ia|ie|iu|ua|uo|ui|ve|ue|er|a|o|e|i|u|v)")
_PINYIN_WORD_RE = re.compile(f"(?:{_SYLLABLE})+(?:[1-5])?", re.IGNORECASE)
PINYIN_SHARE = 0.8  # English runs near a third of such words; a romanised page all of them


class RefusedPage(ValueError):
    """A readable file that is not a page to load: junk, or over a per-page cap."""


@dataclass(frozen=True)
class PageCaps:
    max_lines: int  # lines per file
    max_articles: int  # articles per page
    max_article_chars: int  # characters per article (titles and body)
    max_page_chars: int  # characters per page: what bounds the transaction that writes the page

    @classmethod
    def from_settings(cls) -> PageCaps:
        return cls(settings.ARCHIVE_INGEST_MAX_LINES, settings.ARCHIVE_INGEST_MAX_ARTICLES,
                   settings.ARCHIVE_INGEST_MAX_ARTICLE_CHARS, settings.ARCHIVE_INGEST_MAX_PAGE_CHARS)


def read_page(data: bytes, caps: PageCaps | None = None) -> DecodedText:
    """The page text of a file's bytes (an HTML source's text), or RefusedPage / UndecodableFile
    saying why there is none to load."""
    caps = caps or PageCaps.from_settings()
    decoded = decode_bytes(data)
    text, note = decoded.text, decoded.note
    if not strip_invisible(text).strip():
        raise RefusedPage("only invisible characters (zero-width spaces, byte-order marks, control or "
                          "private-use characters), no text")
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > caps.max_lines:
        raise RefusedPage(f"too many lines: {lines:,} lines, over the limit of {caps.max_lines:,} per file "
                          "(ARCHIVE_INGEST_MAX_LINES)")
    if looks_like_html(text):
        text = html_to_text(text)
        if not has_chinese_sentence(text):
            raise RefusedPage("HTML source whose text has no Chinese sentence; save the page's text instead")
        note = "; ".join(part for part in (note, "HTML source, converted to its text") if part)
    if len(text) > caps.max_page_chars:
        raise RefusedPage(f"page too long: {len(text):,} characters, over the limit of {caps.max_page_chars:,} "
                          "per page (ARCHIVE_INGEST_MAX_PAGE_CHARS)")
    longest = max(len(line.strip()) for line in text.split("\n"))
    if longest > caps.max_article_chars:
        raise RefusedPage(f"article too long: a line of {longest:,} characters, over the limit of "
                          f"{caps.max_article_chars:,} characters per article (ARCHIVE_INGEST_MAX_ARTICLE_CHARS)")
    if not has_chinese_sentence(text):
        if looks_like_pinyin(text):
            raise RefusedPage("no Chinese sentence: the page is pinyin only")
        if detect_language(text) == CHINESE:  # a page in Japanese, Korean or English loads, flagged
            raise RefusedPage("no Chinese sentence on the page")
    return DecodedText(text=text, encoding=decoded.encoding, note=note)


def parsed_page_refusal(page: ParsedPage, caps: PageCaps | None = None) -> str | None:
    """Why a parsed page is over a cap (articles per page, characters per article), or None."""
    caps = caps or PageCaps.from_settings()
    if len(page.articles) > caps.max_articles:
        return (f"too many articles: {len(page.articles):,} articles, over the limit of {caps.max_articles:,} "
                "per page (ARCHIVE_INGEST_MAX_ARTICLES)")
    for position, article in enumerate(page.articles, start=1):
        size = sum(len(part) for part in (article.kicker, article.headline, article.subheadline, article.body))
        if size > caps.max_article_chars:
            return (f"article too long: article {position} has {size:,} characters, over the limit of "
                    f"{caps.max_article_chars:,} per article (ARCHIVE_INGEST_MAX_ARTICLE_CHARS)")
    return None


def has_chinese_sentence(text: str) -> bool:
    """A run of Chinese characters long enough for a title or a sentence (pinyin annotations and
    invisible characters between them do not part them)."""
    return bool(_SENTENCE_RE.search(strip_pinyin(strip_invisible(text))))


def looks_like_pinyin(text: str) -> bool:
    """Latin words that are nearly all pinyin syllables: Chinese written in romanisation."""
    words = [_plain_letters(word) for word in _LATIN_WORD_RE.findall(text)]
    words = [word for word in words if word]
    if len(words) < 3:
        return False
    pinyin = sum(1 for word in words if _PINYIN_WORD_RE.fullmatch(word))
    return pinyin >= PINYIN_SHARE * len(words)


def _plain_letters(word: str) -> str:
    """The word without tone marks (ü, ǚ … as u)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
