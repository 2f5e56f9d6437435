"""The benchmark's fixed query mix: what readers ask, in eleven kinds, the same on every run.

Used by the query timing (bench_queries) and by the load test's request mix.
"""
from __future__ import annotations

import random

import opencc

from archive.text.pinyin import readings
from search.tooling.corpus_words import vocabulary

CATEGORIES = ("common", "rare", "two_words", "three_words", "phrase", "single_char", "city", "sorted",
              "traditional", "typo", "pinyin")
QUERIES_PER_CATEGORY = 25  # 11 categories x 25 = 275 queries in the full mix

COMMON_TERMS = ("半导体", "集成电路", "新能源", "人工智能", "机器人", "产业链", "智能制造", "高质量发展",
                "新能源汽车", "科技创新", "低空经济", "数字经济")
SINGLE_CHARACTERS = "芯港锡车电光药网链园材能智数桥湖江城海湾舟铁钢纸茶"
CITIES = ("常州", "无锡", "南京", "苏州", "南通", "徐州", "扬州", "镇江", "泰州", "盐城", "淮安", "连云港", "宿迁")


def query_mix(limit: int | None = None) -> list[dict]:
    """The fixed mix: 25 queries in each category, interleaved, so that the first `limit`
    queries still cover every category. Each is {"category", "q"[, "city"][, "sort"]}."""
    rng = random.Random(20250306)
    vocab = vocabulary()
    ranked = [word for word in vocab.ranked_words if len(word) >= 2]
    frequent = [word for word in ranked[:400] if word not in COMMON_TERMS][:13]
    common = list(COMMON_TERMS) + frequent
    rare = rng.sample(ranked[20000:60000], QUERIES_PER_CATEGORY)
    pool = list(COMMON_TERMS) + ranked[:2000:40]
    two = [" ".join(rng.sample(pool, 2)) for _ in range(QUERIES_PER_CATEGORY)]
    three = [" ".join(rng.sample(pool, 3)) for _ in range(QUERIES_PER_CATEGORY)]
    phrases = []
    sentences = list(vocab.seed_sentences)
    while len(phrases) < QUERIES_PER_CATEGORY:
        sentence = rng.choice(sentences)
        size = rng.randint(4, 8)
        start = rng.randint(0, max(0, len(sentence) - size))
        piece = sentence[start:start + size]
        if len(piece) >= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in piece) and piece not in phrases:
            phrases.append(piece)
    s2t = opencc.OpenCC("s2t")
    traditional = [s2t.convert(word) for word in common]
    categories: dict[str, list[dict]] = {
        "common": [{"q": word} for word in common],
        "rare": [{"q": word} for word in rare],
        "two_words": [{"q": q} for q in two],
        "three_words": [{"q": q} for q in three],
        "phrase": [{"q": f'"{piece}"'} for piece in phrases],
        "single_char": [{"q": ch} for ch in SINGLE_CHARACTERS[:QUERIES_PER_CATEGORY]],
        "city": [{"q": common[i % len(common)], "city": CITIES[i % len(CITIES)]}
                 for i in range(QUERIES_PER_CATEGORY)],
        "sorted": [{"q": common[(i * 7) % len(common)], "sort": "newest" if i % 2 == 0 else "oldest"}
                   for i in range(QUERIES_PER_CATEGORY)],
        "traditional": [{"q": word} for word in traditional],
        "typo": [{"q": typo} for typo in _typos(rng, ranked)],
        "pinyin": [{"q": readings(word)[0]} for word in common if readings(word)],
    }
    mix = [
        {"category": name, **categories[name][i]}
        for i in range(QUERIES_PER_CATEGORY) for name in CATEGORIES
    ]
    return mix[:limit] if limit else mix



def _typos(rng: random.Random, ranked: list[str]) -> list[str]:
    """Common words of three or more characters with one character replaced by another
    common word's character (did-you-mean territory: few or no hits, suggestions asked)."""
    words = [word for word in ranked[:2000] if len(word) >= 3]
    characters = sorted({ch for word in ranked[:2000] for ch in word})
    known = set(ranked)
    typos: list[str] = []
    while len(typos) < QUERIES_PER_CATEGORY:
        word = rng.choice(words)
        at = rng.randrange(len(word))
        typo = word[:at] + rng.choice(characters) + word[at + 1:]
        if typo not in known and typo not in typos:
            typos.append(typo)
    return typos
