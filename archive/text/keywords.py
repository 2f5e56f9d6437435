"""An article's distinctive words, for its related articles.

Words of two or more ideographs, weighted by how often the article uses them against how
common they are in Chinese at large — the word-cutting dictionary's frequencies as the
background corpus (a word the dictionary does not know, such as a name, is rarest): a tf-idf
that needs nothing from the index. Choosing key terms by their frequency in the index asked
every segment about every word of the text, which cost about a third of a second per article
page at 100,000 articles (docs/performance.md).
"""
from __future__ import annotations

import math
from collections import Counter

from archive.text.dictionary import dictionary_total, word_frequency
from archive.text.fold import normalize
from archive.text.words import is_han, word_spans


def distinctive_words(text: str, count: int) -> list[str]:
    """The `count` most distinctive words of `text` (mainland spellings), most distinctive first."""
    uses = Counter(word for word, _start, _end in word_spans(normalize(text)) if len(word) >= 2 and is_han(word))
    total = dictionary_total()

    def weight(word: str) -> float:  # a word used again counts for less each time
        return (1 + math.log(uses[word])) * math.log(total / (word_frequency(word) + 1))

    return sorted(uses, key=lambda word: (-weight(word), word))[:count]
