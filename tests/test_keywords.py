"""An article's distinctive words (archive/text/keywords.py), which its related articles are found by."""
from __future__ import annotations

from archive.text.keywords import distinctive_words


def test_rare_words_come_before_common_ones():
    text = "常州市武进区召开会议。化合物半导体企业在会上发展合作,化合物半导体产业链延伸。"
    words = distinctive_words(text, 20)
    assert words[0] == "化合物半导体"  # the project's own word, used twice
    assert words.index("产业链") < words.index("会议") < words.index("发展")


def test_single_characters_and_latin_are_left_out():
    words = distinctive_words("5G 芯片 在 无锡 的 工厂 投产 iPhone", 20)
    assert words and all(len(word) >= 2 and "\u4e00" <= word[0] <= "\u9fff" for word in words)


def test_a_word_used_again_counts_for_less_each_time():
    """Three mentions of a common word do not outweigh one of a rare one."""
    assert distinctive_words("发展。" * 3 + "碳化硅衬底。", 2)[0] == "碳化硅"


def test_traditional_text_gives_mainland_words():
    assert set(distinctive_words("化合物半導體產業鏈", 10)) == {"产业链", "化合物半导体"}


def test_nothing_to_pick_from_an_empty_text():
    assert distinctive_words("", 5) == [] and distinctive_words("2024 ABC", 5) == []
