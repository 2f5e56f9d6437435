"""Cross-strait vocabulary (archive/text/variants.py) and pinyin readings (archive/text/pinyin.py)."""
from __future__ import annotations

import jieba
import pytest

from archive.text import variants
from archive.text.pinyin import as_pinyin_query, readings, words_read_as
from archive.text.words import query_terms, text_spellings


def test_committed_table_is_what_opencc_and_jieba_give_today():
    """Fails loudly when a new OpenCC or jieba changes the pairs: regenerate the table
    (variants.write_table(variants.regional_table(jieba.dt.FREQ))) and reindex."""
    jieba.dt.initialize()
    assert variants.regional_table(jieba.dt.FREQ) == variants.to_mainland_table()


@pytest.mark.parametrize(("regional", "mainland"), [
    ("積體電路", "集成电路"), ("晶片", "芯片"), ("軟體", "软件"), ("記憶體", "内存"), ("伺服器", "服务器"),
    ("貨櫃", "集装箱"),
])
def test_taiwan_words_are_cut_whole_and_folded_to_the_mainland_word(regional, mainland):
    assert query_terms(regional) == [mainland]
    assert query_terms(mainland) == [mainland]


@pytest.mark.parametrize("word", ["序列", "模拟", "新增", "档案", "数位"])
def test_words_with_a_mainland_meaning_of_their_own_are_left_alone(word):
    assert variants.to_mainland(word) == word


def test_spellings_of_a_query_keep_what_lies_between_words():
    assert text_spellings("積體電路產業") == ["集成电路产业", "积体电路产业"]
    assert text_spellings("内存 芯片") == ["内存 芯片", "内存 晶片", "记忆体 芯片", "记忆体 晶片"]
    assert text_spellings("长电科技") == ["长电科技"]
    assert len(text_spellings("芯片软件内存服务器芯片")) == 6  # capped


def test_pinyin_readings_cover_every_reading_of_a_character():
    assert readings("半导体")[0] == "bandaoti"
    assert {"changdiankeji", "zhangdiankeji"} <= set(readings("长电科技"))
    assert "lvse" in readings("绿色")
    assert readings("半x") == []


@pytest.mark.parametrize(("typed", "key"), [("bandaoti", "bandaoti"), ("Ban Dao Ti", "bandaoti"),
                                            ("xi'an", "xian"), ("5G", None), ("芯片", None), ("a", None)])
def test_pinyin_query_keys(typed, key):
    assert as_pinyin_query(typed) == key


def test_the_pinyin_lexicon_holds_dictionary_and_project_words():
    assert "半导体" in words_read_as("bandaoti")
    assert words_read_as("jichengdianlu")[0] == "集成电路"
    assert words_read_as("qqqq") == ()
