"""Tests for the Chinese text layer (archive/text/) and the Whoosh analyzers over it
(search/analysis.py); no database needed."""
import pickle

import pytest
from whoosh import query
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from archive.text import dictionary, fold
from archive.text.dictionary import get_tokenizer
from archive.text.fold import normalize
from archive.text.words import analyze, is_han, query_terms, substring_pieces
from search.analysis import (
    BigramAnalyzer,
    BigramTokenizer,
    CharAnalyzer,
    CharTokenizer,
    WordAnalyzer,
    WordTokenizer,
    query_bigrams,
)

TRAD = "區領導調研芯片產業相關企業"
SIMP = "区领导调研芯片产业相关企业"

# Same text in both scripts (hand-written, character for character).
TRAD_LONG = (
    "惲淇丞一行先後前往常州亦泓科技有限公司、澎芯半導體(常州)有限公司,"
    "搶抓第三代化合物半導體產業發展機遇,積極搶佔新質生產力新賽道。"
)
SIMP_LONG = (
    "恽淇丞一行先后前往常州亦泓科技有限公司、澎芯半导体(常州)有限公司,"
    "抢抓第三代化合物半导体产业发展机遇,积极抢占新质生产力新赛道。"
)

LENGTH_SAMPLES = [
    "",
    "\x00",
    "a\x00b\x00",
    TRAD,
    SIMP,
    TRAD_LONG,
    "ＡＢＣ１２３　ｘｙｚ！",
    "Straße İstanbul ǅ ΣΑΣ Ω K Å ﬁ ß",  # characters whose str.lower() changes length
    "𠮷野家 𪚥 𫝈 𰻞𰻞麵 \U00031350\U000323af",  # astral ideographs (Ext. B-H)
    "😀👍🏽 emoji ☃ \U0010ffff",
    "\ud800 lone surrogate",
    "⼀⽇ 丽 兀",  # Kangxi radicals and compatibility ideographs
    "看著 瞭解 藉口 衹有 彷彿 薴",
    "\t\r\n \u3000\u00a0",
    "".join(chr(cp) for cp in range(0x20, 0x3000, 7)),
    "".join(chr(cp) for cp in range(0xF900, 0xFFFF, 3)),
]


@pytest.fixture(scope="module")
def index():
    schema = Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=WordAnalyzer(), phrase=True, stored=True),
        chars=TEXT(analyzer=CharAnalyzer()),
        grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
    )
    docs = {
        "compound": "常州打造化合物半导体产业高地,化合物半导体特色园区加快建设。",
        "apart": "化合物半导体材料研发取得突破,带动常州半导体产业集聚。",
        "trad": TRAD,
        "simp-long": SIMP_LONG,
        "company": "江苏昂宝力德宝微电子有限公司主要从事电源管理芯片及功率器件封装测试代工业务。",
        "hk": "香港特区政府代表团来访。",
        "moore": "摩尔线程系统级产品研发总部签约。",
    }
    storage = RamStorage()
    ix = storage.create_index(schema)
    with ix.writer() as w:
        for key, text in docs.items():
            w.add_document(id=key, body=text, chars=text, grams=text)
    # Re-open from storage: the schema (and our analyzers) is unpickled again.
    return storage.open_index()


def _search(ix, q):
    with ix.searcher() as s:
        return sorted(hit["id"] for hit in s.search(q, limit=None))


def _tokens(analyzer, text, **kw):
    kw.setdefault("positions", True)
    kw.setdefault("chars", True)
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, **kw)]


# --- normalisation -------------------------------------------------------------


@pytest.mark.parametrize(
    "src, expected",
    [
        ("芯片產業", "芯片产业"),
        ("武進", "武进"),
        ("惲淇丞", "恽淇丞"),
        ("ＡＢＣ１２３", "abc123"),
        ("CEO iPhone ÀÉ", "ceo iphone àé"),
        ("中国\u3000江苏", "中国 江苏"),
        ("看著", "看着"),  # search fold: t2s leaves 著 alone
        ("瞭解", "了解"),
        ("薴", "苎"),  # chained t2s entry resolved
        ("⽇本", "日本"),  # Kangxi radical from PDF extraction
        ("芯片产业", "芯片产业"),  # Simplified is left alone
    ],
)
def test_normalize_examples(src, expected):
    assert normalize(src) == expected


@pytest.mark.parametrize("text", LENGTH_SAMPLES)
def test_normalize_preserves_length(text):
    out = normalize(text)
    assert len(out) == len(text)
    assert normalize(out) == out  # idempotent


def test_normalize_nul_and_astral_pass_through():
    assert normalize("a\x00𠮷B") == "a\x00𠮷b"


def test_long_texts_fold_exactly_as_the_table_says():
    """Long texts go through a lookup array, short ones through str.translate: the same folds,
    for every code point the table changes (BMP and beyond), astral, NUL and lone surrogates."""
    table = fold.fold_table()
    changed = "".join(chr(code) for code in sorted(table))
    samples = [changed, "a\x00𠮷B\ud800ＡＢ\u3000" * 40, (TRAD_LONG + SIMP_LONG) * 3,
               "x" * (fold.LONG_TEXT - 1) + "Ｑ", "x" * fold.LONG_TEXT + "Ｑ"]
    for text in samples:
        assert normalize(text) == text.translate(table)
    assert len(changed) >= fold.LONG_TEXT and normalize(changed) != changed


def test_translation_table_is_one_to_one():
    table = fold.fold_table()
    assert len(table) > 4000
    assert all(len(v) == 1 for v in table.values())


# --- word cutting ---------------------------------------------------------


def test_offsets_point_into_traditional_original():
    toks = _tokens(WordAnalyzer(), TRAD)
    assert [t[0] for t in toks] == ["区", "领导", "调研", "芯片", "产业", "相关", "企业"]
    for term, _pos, start, end in toks:
        assert normalize(TRAD[start:end]) == term


@pytest.mark.parametrize("text", [TRAD, TRAD_LONG, SIMP_LONG, "CEO2024 iPhone16 ２.５Ｄ封装,5G!"])
def test_offsets_and_consecutive_positions(text):
    toks = analyze(text)
    assert [t[1] for t in toks] == list(range(len(toks)))
    for term, _pos, start, end in toks:
        assert normalize(text[start:end]) == term
    # Whoosh tokenizer agrees with analyze()
    assert _tokens(WordAnalyzer(), text) == toks


def test_start_pos_and_start_char_honoured():
    toks = _tokens(WordTokenizer(), "芯片产业", start_pos=10, start_char=100)
    assert toks == [("芯片", 10, 100, 102), ("产业", 11, 102, 104)]


def test_keeporiginal_gives_original_script():
    originals = [t.original for t in WordTokenizer()("芯片產業", keeporiginal=True)]
    assert originals == ["芯片", "產業"]


def test_tokenize_false_yields_whole_normalised_value():
    toks = _tokens(WordTokenizer(), "摩爾線程*", tokenize=False)
    assert toks == [("摩尔线程*", 0, 0, 5)]
    assert [t.text for t in CharTokenizer()("ＡＢ產", tokenize=False)] == ["ab产"]
    assert [t.text for t in BigramTokenizer()("ＡＢ產", tokenize=False)] == ["ab产"]


@pytest.mark.parametrize("word", ["摩尔线程", "恽淇丞", "化合物半导体", "昂宝力德宝"])
def test_user_dictionary_words_kept_whole(word):
    assert word in query_terms(f"区长调研{word}并参加座谈")
    assert query_terms(word) == [word]


def _dictionary_entries():
    return [
        (path.name, word)
        for path in dictionary.dictionary_files()
        for word, _freq, _tag in dictionary._read_userdict(path)
    ]


def test_dictionary_folder_has_entries():
    names = {path.name for path in dictionary.dictionary_files()}
    assert "userdict.txt" in names
    assert len(_dictionary_entries()) > 50


@pytest.mark.parametrize("filename, word", _dictionary_entries())
def test_every_dictionary_entry_is_kept_whole(filename, word):
    assert query_terms(word) == [normalize(word)], f"{filename}: raise the frequency of {word}"


def test_dictionary_comments_are_not_words():
    tok = get_tokenizer()
    assert not any(w.startswith("#") for w in tok.FREQ if tok.FREQ[w])
    assert tok is get_tokenizer()
    import jieba

    assert tok is not jieba.dt


def test_dictionary_fingerprint_is_stable():
    assert dictionary.dictionary_fingerprint() == dictionary.dictionary_fingerprint()
    assert len(dictionary.dictionary_fingerprint()) == 16


@pytest.mark.parametrize("trad, simp", [(TRAD, SIMP), (TRAD_LONG, SIMP_LONG), ("武進區惲淇丞", "武进区恽淇丞")])
def test_traditional_and_simplified_give_identical_terms(trad, simp):
    assert query_terms(trad) == query_terms(simp)
    assert [t[1:] for t in analyze(trad)] == [t[1:] for t in analyze(simp)]


def test_mixed_letters_and_digits():
    assert query_terms("CEO2024") == ["ceo", "2024"]
    assert query_terms("iPhone16") == ["iphone", "16"]
    assert query_terms("2.5D/3D封装") == ["2.5d", "3d", "封装"]
    assert query_terms("5G网络") == ["5g", "网络"]
    assert query_terms("28nm") == ["28", "nm"]
    assert query_terms("增长59.8%") == ["增长", "59.8"]
    assert query_terms("轻舟微电子MEMS传感器") == ["轻舟微电子", "mems", "传感器"]
    assert query_terms("ＧＰＵ") == ["gpu"]


def test_punctuation_and_whitespace_dropped():
    terms = query_terms("“芯”赛道,打造——发展高地!《行动计划》 (试行) …… \u3000\n\t!?、。")
    assert terms == ["芯", "赛道", "打造", "发展", "高地", "行动计划", "试行"]
    assert query_terms("  ,.;—、。 ") == []
    assert query_terms("") == []


def test_single_and_rare_ideographs_kept():
    # single CJK characters, Extension A/B and 〇 survive as terms
    assert "〇" in query_terms("二〇二四年")
    assert query_terms("𠮷野家") == ["𠮷", "野家"]
    assert "㐀" in query_terms("㐀字")
    assert "芯" in query_terms("聚力“芯”赛道")


# --- character fields and query pieces ------------------------------------------


def test_char_tokenizer_yields_each_ideograph_once():
    terms = [t.text for t in CharTokenizer()("香港昂寶力德寶CEO2024香港")]
    assert terms == ["香", "港", "昂", "宝", "力", "德"]  # letters and digits are the word field's
    assert CharTokenizer().term_set("香港昂寶") == {"香", "港", "昂", "宝"}


def test_bigram_tokenizer_gives_every_adjacent_pair_at_its_offset():
    toks = _tokens(BigramTokenizer(), "副理事長于燮康,CEO說")
    # pairs cross jieba's cuts (长于 | 燮 | 康) but never a comma or a letter run
    assert [t[0] for t in toks] == ["副理", "理事", "事长", "长于", "于燮", "燮康"]
    assert toks[4] == ("于燮", 4, 4, 6)  # position = offset, offsets into the original
    assert BigramTokenizer().term_set("工程机械,工程") == {"工程", "程机", "机械"}


def test_query_pieces_and_pairs():
    assert substring_pieces("5g基站建设,港") == [("5g", False), ("基站建设", True), ("港", True)]
    assert query_bigrams("于燮康") == ["于燮", "燮康"]
    assert is_han("科技园") and not is_han("5g") and not is_han("")


# --- Whoosh integration --------------------------------------------------------


def test_phrase_query_on_words(index):
    # adjacent words: "化合物半导体 产业"
    q = QueryParser("body", index.schema).parse('"化合物半导体 产业"')
    assert isinstance(q, query.Phrase)
    assert _search(index, q) == ["compound", "simp-long"]
    assert _search(index, query.Phrase("body", query_terms("化合物半导体产业"))) == ["compound", "simp-long"]
    # both words present but not adjacent: AND matches, phrase does not
    assert _search(index, query.And([query.Term("body", "化合物半导体"), query.Term("body", "产业")])) == [
        "apart",
        "compound",
        "simp-long",
    ]


def test_traditional_query_finds_simplified_document(index):
    parser = QueryParser("body", index.schema)
    assert "simp-long" in _search(index, parser.parse("惲淇丞"))
    assert "simp-long" in _search(index, parser.parse('"化合物半導體 產業"'))
    assert "simp-long" in _search(index, query.Phrase("body", query_terms("新質生產力新賽道")))


def test_simplified_query_finds_traditional_document(index):
    parser = QueryParser("body", index.schema)
    assert _search(index, parser.parse('"芯片 产业"')) == ["trad"]
    assert _search(index, query.Phrase("body", query_terms("区领导调研芯片产业"))) == ["trad"]


def test_character_fields_find_strings_inside_and_across_words(index):
    assert _search(index, query.Phrase("grams", query_bigrams(normalize("力德寶")))) == ["company"]
    assert _search(index, query.Term("chars", "港")) == ["hk"]
    # 导体产 straddles 半导体 | 产业: found as a string, in order only
    assert _search(index, query.Phrase("grams", query_bigrams("导体产"))) == ["apart", "compound", "simp-long"]
    assert _search(index, query.Phrase("grams", query_bigrams("产导体"))) == []
    # jieba never yields 力德宝 or 港 on their own in the word field
    assert _search(index, query.Term("body", "力德宝")) == []
    assert _search(index, query.Term("body", "港")) == []


def test_prefix_query_uses_tokenize_false(index):
    q = QueryParser("body", index.schema).parse("摩爾*")
    assert isinstance(q, query.Prefix) and q.text == "摩尔"
    assert _search(index, q) == ["moore"]


def test_highlight_offsets_with_whoosh(index):
    with index.searcher() as s:
        hits = s.search(QueryParser("body", index.schema).parse("芯片"))
        assert "<b" in hits[0].highlights("body").lower()


# --- pickling ------------------------------------------------------------------


@pytest.mark.parametrize("factory", [WordAnalyzer, CharAnalyzer, BigramAnalyzer, WordTokenizer, CharTokenizer,
                                     BigramTokenizer])
def test_analyzers_survive_pickle(factory):
    original = factory()
    clone = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
    assert clone == original
    assert _tokens(clone, TRAD_LONG) == _tokens(original, TRAD_LONG)


def test_schema_survives_pickle():
    schema = Schema(body=TEXT(analyzer=WordAnalyzer(), phrase=True), chars=TEXT(analyzer=CharAnalyzer()))
    clone = pickle.loads(pickle.dumps(schema))
    assert clone == schema
    assert [t.text for t in clone["body"].analyzer("摩爾線程")] == ["摩尔线程"]
