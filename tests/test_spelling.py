"""Words one edit away (archive/text/spelling.py), the did-you-mean for typed characters."""
from __future__ import annotations

import pytest

from archive.text.spelling import one_edit_apart, one_edit_words


@pytest.mark.parametrize("candidate, close", [
    ("半导体", True),  # one substituted
    ("半导", True),  # one deleted
    ("半导休息", True), ("大半导休", True),  # one inserted, at the end or the front
    ("导半休", True),  # neighbours swapped
    ("半体休", True),
    ("半导休", False),  # the word itself
    ("导体", False), ("半导体业", False), ("休导半", False),  # two edits
])
def test_one_edit_apart(candidate, close):
    assert one_edit_apart("半导休", candidate) is close
    assert one_edit_apart(candidate, "半导休") is close


@pytest.mark.parametrize("typed, meant", [
    ("半导休", "半导体"),  # a character wrong
    ("集成电陆", "集成电路"),
    ("新能源气车", "新能源汽车"),
    ("人工只能", "人工智能"),
    ("半导体体", "半导体"),  # one too many
    ("新源汽车", "新能源汽车"),  # one missing
])
def test_a_typo_is_offered_the_word(typed, meant):
    offered = one_edit_words(typed)
    assert meant in offered
    assert typed not in offered
    assert all(one_edit_apart(typed, word) for word in offered)


def test_commoner_words_come_first():
    offered = one_edit_words("中国人")  # 中国 and 国人 are both one deletion away; 中国 is commoner
    assert offered.index("中国") < offered.index("国人")


def test_a_word_with_nothing_close_is_offered_nothing():
    assert one_edit_words("燮燮燮燮燮") == []
