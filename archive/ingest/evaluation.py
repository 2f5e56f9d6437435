"""Score what the ingest made of a set of pages against what a reader says they hold.

The expected facts are a JSON file (see docs/ingest.md, "Measuring the ingest"): per page its
city, district, original outlet, date and precision, headline, number of stories and a few
snippets of page furniture. This module only compares; the command `evaluate_ingest` ingests
the pages into a throw-away archive and hands the result here.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.ingest.cleaning import strip_pinyin
from archive.text.script import to_simplified_chars

FIELDS = ("language", "city", "district", "publication", "page_date", "date", "year", "headline", "furniture",
          "stubs")
STUB_MIN_CHARS = 20  # a text article's body shorter than this is a credit line or a title cut from its body
_CREDIT_ONLY_RE = re.compile(r"^[((]?\s*(?:记者|通讯员|编辑|责编|责任编辑|作者|来源|摄影?|图|文)[^。!?]{0,30}[))]?$")


class ExpectationError(ValueError):
    """The expected-facts file cannot be read or is not of the documented shape."""


@dataclass(frozen=True)
class ExpectedPage:
    file: str
    url: str
    language: str
    city: str
    district: str | None
    publication: str | None
    date: str | None
    date_precision: str
    story_date: str | None
    year_elsewhere: bool
    headline: str | None
    stories: int
    furniture: tuple[str, ...]


@dataclass(frozen=True)
class IngestedArticle:
    kicker: str
    headline: str
    subheadline: str
    body: str
    kind: str
    city: str
    district: str
    date: str | None
    date_precision: str
    headline_derived: bool = False


@dataclass(frozen=True)
class IngestedPage:
    """What the archive holds for one file (no articles when the file failed)."""

    publication: str
    language: str
    articles: tuple[IngestedArticle, ...]
    error: str = ""
    issue_date: str | None = None


@dataclass
class FieldScore:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def record(self, ok: bool, file: str, expected: object, got: object) -> None:
        self.total += 1
        if ok:
            self.right += 1
        else:
            self.misses.append(f"{file}: expected {expected!r}, got {got!r}")

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 1.0


def load_expected(path: Path) -> list[ExpectedPage]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [_expected_page(row) for row in data["pages"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExpectationError(f"cannot read {path}: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ExpectationError(f"{path} is not a list of expected pages ({type(exc).__name__}: {exc})") from exc


# The archive tells Chinese, Japanese and Korean pages apart; any other language is "Latin script".
_LANGUAGES_TOLD_APART = ("zh", "ja", "ko")


def _expected_page(row: dict) -> ExpectedPage:
    language = row.get("language") or "zh"
    return ExpectedPage(
        file=str(row["file"]),
        url=str(row.get("url", "")),
        language=language if language in _LANGUAGES_TOLD_APART else "latn",
        city=row.get("city") or "",
        district=row.get("district") or None,
        publication=row.get("publication") or None,
        date=row.get("date") or None,
        date_precision=row.get("date_precision") or ("day" if row.get("date") else "unknown"),
        story_date=row.get("story_date") or None,
        year_elsewhere=bool(row.get("year_elsewhere")),
        headline=row.get("headline") or None,
        stories=int(row.get("stories") or 1),
        furniture=tuple(row.get("furniture") or ()),
    )


def comparable(text: str) -> str:
    """Simplified, without spaces or punctuation: two spellings of one headline compare equal."""
    simple = to_simplified_chars(strip_pinyin(unicodedata.normalize("NFKC", text)))
    return "".join(ch for ch in simple if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def folded(text: str) -> str:
    """Simplified, without spaces: furniture snippets are compared with their marks (#芯片之城#)."""
    simple = to_simplified_chars(strip_pinyin(unicodedata.normalize("NFKC", text)))
    return "".join(ch for ch in simple if not ch.isspace())


def title_forms(article: IngestedArticle) -> set[str]:
    """The ways a reader may write an article's title: alone, or with its kicker or subtitle."""
    return {comparable(article.headline), comparable(article.kicker + article.headline),
            comparable(article.headline + article.subheadline)}


def main_article(page: IngestedPage, expected: ExpectedPage) -> IngestedArticle | None:
    """The article the expected headline names, else the page's first text article."""
    if not page.articles:
        return None
    if expected.headline:
        wanted = comparable(expected.headline)
        for article in page.articles:
            if wanted in title_forms(article):
                return article
    texts = [article for article in page.articles if article.kind == "text"]
    return (texts or list(page.articles))[0]


def is_stub(article: IngestedArticle) -> bool:
    """A text 'article' that is only a title cut from its body, or only a credit line."""
    if article.kind != "text":
        return False
    body = article.body.strip()
    return len(comparable(body)) < STUB_MIN_CHARS or bool(_CREDIT_ONLY_RE.match(to_simplified_chars(body)))


def furniture_left(page: IngestedPage, expected: ExpectedPage) -> list[str]:
    texts = [folded(" ".join((a.kicker, a.headline, a.subheadline, a.body))) for a in page.articles]
    return [snippet for snippet in expected.furniture
            if folded(snippet) and any(folded(snippet) in text for text in texts)]


def score(
    expected_pages: Iterable[ExpectedPage],
    ingested: dict[str, IngestedPage],
    canonical_outlet: Callable[[str], str] = lambda name: name,
) -> dict[str, FieldScore]:
    """Per field, how many pages the ingest got right, and every miss."""
    scores = {name: FieldScore() for name in FIELDS}
    for expected in expected_pages:
        page = ingested.get(expected.file) or IngestedPage("", "", (), error="not ingested")
        scores["language"].record(page.language == expected.language, expected.file, expected.language,
                                  page.language or page.error)
        if expected.language != "zh":
            continue
        _score_chinese_page(scores, expected, page, canonical_outlet)
    return scores


def _score_chinese_page(
    scores: dict[str, FieldScore], expected: ExpectedPage, page: IngestedPage,
    canonical_outlet: Callable[[str], str],
) -> None:
    file = expected.file
    main = main_article(page, expected)
    got = main or IngestedArticle("", page.error, "", "", "text", "", "", None, "unknown")
    scores["city"].record(got.city == expected.city, file, expected.city, got.city)
    if expected.district:
        scores["district"].record(got.district == expected.district, file, expected.district, got.district)
    if expected.publication:
        ok = canonical_outlet(page.publication) == canonical_outlet(expected.publication)
        scores["publication"].record(ok, file, expected.publication, page.publication)
    if expected.date and expected.date_precision == "day":
        if not expected.year_elsewhere:  # the page states its own date (a dateline or a dated header)
            scores["page_date"].record(page.issue_date == expected.date, file, expected.date, page.issue_date)
        wanted = expected.story_date or expected.date
        ok = got.date == wanted and got.date_precision == "day"
        scores["date"].record(ok, file, wanted, f"{got.date} ({got.date_precision})")
    if expected.date:
        wanted = expected.story_date or expected.date
        ok = bool(got.date) and got.date[:4] == wanted[:4]
        scores["year"].record(ok, file, wanted[:4], got.date)
    if expected.headline:
        ok = main is not None and comparable(expected.headline) in title_forms(main)
        scores["headline"].record(ok, file, expected.headline, got.headline)
    else:
        scores["headline"].record(main is not None and main.headline_derived, file, "(derived)", got.headline)
    if expected.furniture:  # only pages with furniture can keep some
        left = furniture_left(page, expected)
        scores["furniture"].record(not left, file, "no furniture", left)
    stubs = [article.headline for article in page.articles if is_stub(article)]
    scores["stubs"].record(not stubs, file, "no stub", stubs)


def report_lines(scores: dict[str, FieldScore], show_misses: bool = True) -> list[str]:
    lines = [f"{name:12} {s.right:3} / {s.total:3}  {100 * s.ratio:5.1f} %" for name, s in scores.items()]
    if show_misses:
        for name, s in scores.items():
            lines.extend(f"MISS {name}: {miss}" for miss in s.misses)
    return lines
