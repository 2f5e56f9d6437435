"""archive/text/wordcut.py gives exactly what jieba gives, on real, generated and random text."""
from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest
from jieba import finalseg
from jieba.finalseg import emit_P, start_P, trans_P, viterbi

from archive.text.dictionary import get_tokenizer
from archive.text.fold import normalize
from archive.text.wordcut import DagCutter, hmm_cut, hmm_tags
from archive.text.words import _HAN_JIEBA
from search.tooling.corpus import generate_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RUN = f"[{_HAN_JIEBA}]{{2,}}"


def runs_of(text: str) -> list[str]:
    """The ideograph runs the analysis hands to the cutter."""
    import re

    return re.findall(RUN, normalize(text))


def jieba_cut(tokenizer, run: str) -> list[str]:
    return list(tokenizer.cut(run, cut_all=False, HMM=True))


@pytest.fixture(scope="module")
def tokenizer():
    return get_tokenizer()


def test_seed_pages_cut_as_jieba_cuts_them(tokenizer):
    runs = [run for path in sorted(SEEDS.glob("*.txt")) for run in runs_of(path.read_text(encoding="utf-8"))]
    assert len(runs) > 500
    cutter = DagCutter(tokenizer)
    assert [cutter(run) for run in runs] == [jieba_cut(tokenizer, run) for run in runs]


def test_generated_articles_cut_as_jieba_cuts_them(tokenizer, tmp_path):
    """Dictionary words drawn at random make many stretches of unknown characters (the HMM's part)."""
    generate_corpus(60, tmp_path, seed=11)
    runs = [run for path in sorted(tmp_path.glob("*.txt")) for run in runs_of(path.read_text(encoding="utf-8"))]
    cutter = DagCutter(tokenizer)
    assert [cutter(run) for run in runs] == [jieba_cut(tokenizer, run) for run in runs]


def random_runs(count: int, seed: int) -> list[str]:
    """Strings of common and rare ideographs: unknown stretches, rare prefixes, ties."""
    rng = random.Random(seed)
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    alphabet = common + "".join(chr(rng.randrange(0x4E00, 0x9FD6)) for _ in range(200))
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(2, 40))) for _ in range(count)]


def test_random_runs_cut_as_jieba_cuts_them(tokenizer):
    cutter = DagCutter(tokenizer)
    runs = random_runs(3000, seed=5)
    assert [cutter(run) for run in runs] == [jieba_cut(tokenizer, run) for run in runs]


def test_hmm_cut_equals_jieba_finalseg():
    runs = random_runs(3000, seed=9) + ["恽淇丞", "杭勇", "潘冬铃来我区", "的的", "一"]
    assert [hmm_cut(run) for run in runs] == [list(finalseg.cut(run)) for run in runs]


def test_hmm_ties_between_unseen_characters_go_jiebas_way():
    """Characters the HMM has never seen score alike in every state (the same tiny
    probability swamps the rest), so the state is decided by jieba's tie-breaking."""
    unseen = [chr(code) for code in range(0x4E00, 0x9FD6) if not any(chr(code) in emit_P[s] for s in "BMES")]
    rng = random.Random(2)
    seen = "产业园区芯片企业投资发展"
    runs = ["".join(rng.choice(unseen) if rng.random() < 0.6 else rng.choice(seen) for _ in range(rng.randrange(2, 12)))
            for _ in range(2000)]
    assert [hmm_tags(run) for run in runs] == [viterbi(run, "BMES", start_P, trans_P, emit_P)[1] for run in runs]


def test_words_added_and_deleted_after_construction_are_honoured():
    """The cutter reads the tokenizer's dictionary and total on every call, and the words
    del_word() forbids the HMM (a fresh tokenizer: the archive's own is never changed)."""
    tokenizer = jieba.Tokenizer()
    cutter = DagCutter(tokenizer)
    tokenizer.initialize()
    text = "江南晚报记者王小明报道合成生物产业"
    tokenizer.add_word("合成生物产业", 50000)
    tokenizer.add_word("王小明", 20000)
    assert "合成生物产业" in cutter(text)
    assert cutter(text) == jieba_cut(tokenizer, text)
    tokenizer.del_word("王小明")
    try:
        assert cutter(text) == jieba_cut(tokenizer, text)
        assert "王小明" not in cutter(text)
    finally:
        finalseg.Force_Split_Words.discard("王小明")
