"""Cross-strait vocabulary: Taiwan and Hong Kong words folded to the mainland word for the
same thing (積體電路 → 集成电路, 晶片 → 芯片, 軟體 → 软件, 記憶體 → 内存, 伺服器 → 服务器).

Character folding (archive/text/fold.py) cannot do this: these are different words, often
of different lengths. The pairs come from OpenCC's phrase tables (what its ``tw2sp`` and
``hk2s`` conversions apply), in folded spelling, kept only where mainland usage makes the
mainland word much the commoner one, plus a few industry words OpenCC lacks
(:data:`SUPPLEMENT`) — a regional form that mainland text itself uses
with its own meaning (序列, 模拟, 新增, 档案, 数位 "several persons") would otherwise
be merged with an unrelated word. The kept pairs are in ``regional_words.tsv`` beside
this module, written by :func:`regional_table` and checked against it by the tests, so
a process that only cuts queries needs neither jieba's dictionary nor OpenCC's.

The word field folds each regional word to its mainland word at index and query time;
the substring field cannot (it keeps character positions), so a query is widened to
every spelling of its words (archive/text/words.py ``text_spellings``).
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from archive.text.fold import normalize
from archive.text.script import opencc_dictionary_path

TABLE_PATH = Path(__file__).resolve().parent / "regional_words.tsv"
#: OpenCC's regional→mainland phrase tables (tw2sp, hk2s).
SOURCES = ("TWPhrasesRev.txt", "TWVariantsRevPhrases.txt", "HKVariantsRevPhrases.txt")
#: A pair is kept when the mainland word is at least this many times as frequent in
#: mainland text (jieba's dictionary) as the regional form.
MAINLAND_MAJORITY = 20
#: Regional forms that pass that test but carry a mainland meaning of their own.
MAINLAND_MEANINGS = frozenset({"数位"})  # 数位专家: "several experts"
#: Taiwan industry words OpenCC's tables lack, met in real regional pages (folded spelling).
SUPPLEMENT = {
    "货柜": "集装箱",
    "生技": "生物技术",
    "数位经济": "数字经济",
    "数位化": "数字化",
    "数位转型": "数字化转型",
}


def regional_table(frequency: Mapping[str, int]) -> dict[str, str]:
    """regional word → mainland word (both folded), from OpenCC's tables, filtered by the
    mainland frequencies in `frequency` (jieba's default dictionary)."""
    table: dict[str, str] = {}
    for name in SOURCES:
        with open(opencc_dictionary_path(name), encoding="utf-8") as handle:
            for line in handle:
                source, _, targets = line.rstrip("\r\n").partition("\t")
                regional, mainland = normalize(source), normalize(targets.split(" ")[0])
                if not mainland or regional == mainland or regional in table or regional in MAINLAND_MEANINGS:
                    continue
                if frequency.get(regional, 0) * MAINLAND_MAJORITY < frequency.get(mainland, 0):
                    table[regional] = mainland
    table.update(SUPPLEMENT)
    return dict(sorted(table.items()))


def write_table(table: Mapping[str, str], path: Path = TABLE_PATH) -> None:
    lines = ["# regional word<TAB>mainland word, folded; written by archive.text.variants.regional_table"]
    lines += [f"{regional}\t{mainland}" for regional, mainland in table.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def to_mainland_table() -> dict[str, str]:
    """The committed table (regional → mainland), read once."""
    table = {}
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            regional, _, mainland = line.partition("\t")
            table[regional] = mainland
    return table


@functools.lru_cache(maxsize=1)
def _regional_forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for regional, mainland in to_mainland_table().items():
        forms.setdefault(mainland, []).append(regional)
    return {mainland: tuple(regionals) for mainland, regionals in forms.items()}


def to_mainland(word: str) -> str:
    """The mainland word for a (folded) regional word; any other word unchanged."""
    return to_mainland_table().get(word, word)


def forms_of(word: str) -> tuple[str, ...]:
    """Every spelling of a (folded) word: its mainland word first, then the regional ones."""
    mainland = to_mainland(word)
    return (mainland, *_regional_forms().get(mainland, ()))
