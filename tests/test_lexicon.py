"""archive/text/lexicon.py answers as jieba's dict does, and a process that only queries reads it from its cache."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.text.dictionary import get_tokenizer
from archive.text.lexicon import CompactLexicon, cache_path
from archive.text.wordcut import DagCutter
from tests.test_wordcut import SEEDS, random_runs, runs_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tokenizer():
    return get_tokenizer()


@pytest.fixture(scope="module")
def lexicon(tokenizer):
    return CompactLexicon.from_frequencies(tokenizer.FREQ, tokenizer.total)


def test_every_key_has_jiebas_frequency(tokenizer, lexicon):
    assert len(lexicon) == len(tokenizer.FREQ)
    assert lexicon.total == tokenizer.total
    assert all(lexicon.get(key) == freq for key, freq in tokenizer.FREQ.items())
    assert any(freq == 0 for freq in tokenizer.FREQ.values())  # prefixes are among them


def test_strings_that_are_not_keys_are_absent(tokenizer, lexicon):
    others = [run for run in random_runs(2000, seed=3) if run not in tokenizer.FREQ]
    others += ["", "\u9fa5" * 40, "武进区化合物半导体产业园区的企业"]
    assert others
    assert all(lexicon.get(text) is None and text not in lexicon for text in others)
    assert lexicon.get("不是词语吗", -1) == -1


def test_cutting_with_the_lexicon_gives_jiebas_words(tokenizer, lexicon):
    runs = [run for path in sorted(SEEDS.glob("*.txt")) for run in runs_of(path.read_text(encoding="utf-8"))]
    runs += random_runs(1000, seed=8)
    assert [DagCutter(lexicon)(run) for run in runs] == [DagCutter(tokenizer)(run) for run in runs]


def test_saved_lexicon_reads_back(tmp_path, lexicon):
    path = tmp_path / "lexicon.marshal"
    lexicon.save(path)
    again = CompactLexicon.load(path)
    assert again is not None
    assert len(again) == len(lexicon) and again.total == lexicon.total
    assert again.get("半导体") == lexicon.get("半导体") > 0
    assert [p.name for p in tmp_path.iterdir()] == ["lexicon.marshal"]  # no temporary file left


@pytest.mark.parametrize("content", [b"", b"not marshal", None])
def test_a_missing_or_damaged_cache_reads_as_none(tmp_path, content):
    path = tmp_path / "lexicon.marshal"
    if content is not None:
        path.write_bytes(content)
    assert CompactLexicon.load(path) is None


QUERY_ONLY = """
import json
from archive.text import dictionary, words as text_words
words = text_words.query_terms("武进区化合物半导体产业高质量发展")
lexicon = type(dictionary._LEXICON).__name__
tokenizer_built = dictionary._TOKENIZER is not None
dictionary.use_full_dictionary()
print(json.dumps([words, lexicon, tokenizer_built, type(dictionary._LEXICON).__name__,
                  text_words.query_terms("武进区化合物半导体产业高质量发展") == words]))
"""


def run_query_process(lexicon_dir: Path) -> list:
    env = {**os.environ, "SEARCH_LEXICON_DIR": str(lexicon_dir)}
    done = subprocess.run([sys.executable, "-c", QUERY_ONLY], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_process_that_only_queries_reads_the_cached_lexicon(tmp_path):
    words = ["武进区", "化合物半导体", "产业", "高质量", "发展"]
    # No cache yet: the first process builds jieba's dictionary and leaves the lexicon behind.
    assert run_query_process(tmp_path) == [words, "Tokenizer", True, "Tokenizer", True]
    assert len(list(tmp_path.glob("archive-lexicon-*.marshal"))) == 1
    # The next one cuts words with the lexicon until it is told to index in bulk.
    assert run_query_process(tmp_path) == [words, "CompactLexicon", False, "Tokenizer", True]


def test_cache_file_is_named_by_dictionary_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCH_LEXICON_DIR", str(tmp_path))
    assert cache_path("abc") == tmp_path / "archive-lexicon-abc.marshal"
    assert cache_path("abc") != cache_path("abd")


def test_items_give_back_every_key_and_frequency():
    freq = {"半": 5, "半导": 0, "半导体": 30, "芯片": 12, "集成电路": 9}
    assert dict(CompactLexicon.from_frequencies(freq, 56).items()) == freq
