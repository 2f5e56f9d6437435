"""A web page saved as its HTML source instead of its text: recognised, and turned into the
text a browser shows, one block (paragraph, heading, list item, table row) per line, so the
ingest reads it like any other page dump."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString

from archive.ingest.cleaning import CJK

_HTML_START_RE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<!--.*?-->|<[!/?]?[a-zA-Z][^<>]*>", re.DOTALL)
_WIDE_RE = re.compile(rf"[{CJK}\u3000-\u303f\uff00-\uffef]")
_SOURCE_BREAK_RE = re.compile(r"(\S?)[^\S\n]*\n\s*(\S?)")
_SPACES_RE = re.compile(r"\s+")
MARKUP_SHARE = 0.5  # a page dump with leftover tags stays a page dump; a file mostly of tags is source

# Elements whose content is no text a reader sees.
_HIDDEN = ["head", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select"]
# Elements that start a new line in a browser.
_BLOCKS = [
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul",
]


def looks_like_html(text: str) -> bool:
    """An HTML document (it opens with a doctype or an <html>/<head>/<body> tag) or text that is
    mostly markup."""
    if _HTML_START_RE.match(text[:4096]):
        return True
    visible = len("".join(text.split()))
    markup = sum(len("".join(tag.split())) for tag in _TAG_RE.findall(text))
    return visible > 0 and markup >= MARKUP_SHARE * visible


def html_to_text(source: str) -> str:
    """The text of an HTML page: hidden elements and comments dropped, a line per block element
    and per <br>, table cells set apart by wide spaces, runs of blank lines cut to one. A line
    break in the source is a space, as a browser shows it (none between Chinese characters)."""
    soup = BeautifulSoup(source, "html.parser")
    for element in soup.find_all(_HIDDEN):
        element.decompose()
    for string in soup.find_all(string=True):
        if isinstance(string, PreformattedString):  # comments, the doctype, processing instructions
            string.extract()
        elif string.find_parent("pre") is None:
            string.replace_with(NavigableString(_SPACES_RE.sub(" ", _SOURCE_BREAK_RE.sub(_source_break, string))))
    for element in soup.find_all("br"):
        element.replace_with("\n")
    for element in soup.find_all(["td", "th"]):
        element.insert_after("\u3000\u3000")
    for element in soup.find_all(_BLOCKS):
        element.insert_before("\n\n")
        element.insert_after("\n\n")
    lines = (line.strip(" \t") for line in soup.get_text().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _source_break(match: re.Match) -> str:
    """A line break of the source between Chinese text is nothing; between words, a space."""
    left, right = match.group(1), match.group(2)
    joined = (_WIDE_RE.match(left) or _WIDE_RE.match(right)) and not (
        (left.isascii() and left.isalnum()) or (right.isascii() and right.isalnum()))
    return left + ("" if joined else " ") + right
