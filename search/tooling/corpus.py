"""A synthetic corpus of page dumps, for benchmarks and scale tests.

``generate_corpus(n, out_dir, seed)`` writes ``n`` articles as page files the
ingest reads like real ones, plus ``catalog.csv`` and a hidden manifest
(``.corpus.json``: what each file holds; the ingest skips hidden files):

- print pages carry two to six articles: ``## `` or bare headline lines (some with a
  kicker), ``本报讯 (记者 X) 昨天,…`` ledes, paragraphs, some cut by a column break,
  some closing ``(name)`` sign-offs; a masthead and a page header on top, a colophon at
  the foot of some pages;
- web pages carry one article: headline, ``时间:… 来源:… 作者:…`` line, paragraphs and a
  ``更多>>`` navigation list;
- the text mixes real sentences from ``seeds/`` with words drawn from jieba's dictionary by
  their frequency (so term statistics look like Chinese text), the article's one or two industries
  (each article has its topics, some industries more often than others), Jiangsu places,
  companies and officials (fixed pools, so names recur as they do in the news);
- about 10 % of pages are in Traditional script (OpenCC ``s2t``, word by word);
- issue dates fall in 2015-2025, places in Jiangsu's 13 cities, article bodies are 820-1,450
  characters.

Everything comes from one ``random.Random(seed)``: the same seed gives the same bytes, and
the corpus of ``m`` articles is a prefix of the corpus of ``n > m`` articles (only its
last page differs). About 1 MB/s of text is generated: 100,000 articles take a minute or two.

The vocabulary is in corpus_words.py, the page builder in corpus_pages.py.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from search.tooling.corpus_pages import CorpusGenerator, PageRecord

MANIFEST_NAME = ".corpus.json"
CATALOG_NAME = "catalog.csv"


# -- writing -------------------------------------------------------------------------
@dataclass
class CorpusSummary:
    out_dir: Path
    seed: int
    articles: int
    pages: int
    bytes: int
    traditional_pages: int


def generate_corpus(articles: int, out_dir: Path, seed: int = 0,
                    progress: Callable[[int], None] | None = None) -> CorpusSummary:
    """Write `articles` articles as page files, catalog.csv and .corpus.json into `out_dir`
    (created; must be empty)."""
    if articles < 1:
        raise ValueError("the corpus needs at least one article")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    generator = CorpusGenerator(seed)
    records: list[PageRecord] = []
    written = 0
    while written < articles:
        text, record = generator.page(len(records), articles - written)
        (out_dir / record.file).write_text(text, encoding="utf-8")
        records.append(record)
        written += record.articles
        if progress is not None:
            progress(written)
    with open(out_dir / CATALOG_NAME, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "publication", "medium", "city", "district", "issue_date", "page"])
        for r in records:
            p = r.publication
            writer.writerow([r.file, p.name, p.medium, p.city, p.district, r.issue_date.isoformat(), r.page_label])
    summary = CorpusSummary(out_dir, seed, written, len(records), sum(r.bytes for r in records),
                            sum(1 for r in records if r.script == "hant"))
    manifest = {
        "seed": seed,
        "articles": written,
        "pages": len(records),
        "bytes": summary.bytes,
        "traditional_pages": summary.traditional_pages,
        "files": [
            {"file": r.file, "articles": r.articles, "bytes": r.bytes, "script": r.script,
             "publication": r.publication.name, "medium": r.publication.medium, "city": r.publication.city,
             "issue_date": r.issue_date.isoformat(), "page": r.page_label}
            for r in records
        ],
    }
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    return summary


def read_manifest(out_dir: Path) -> dict:
    return json.loads((Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
