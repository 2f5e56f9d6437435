"""search.engine evaluates compiled searches with set arithmetic: it must agree with
Whoosh's own matchers and collectors, document for document."""
from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command
from whoosh import query as wq
from whoosh import sorting

from archive.models import Article
from archive.text.words import query_terms
from search.engines.whoosh import caches, columns, matchset
from search.engines.whoosh import evaluate as evaluation
from search.engines.whoosh import positions as position_lists
from search.engines.whoosh import postings as posting_lists
from search.engines.whoosh import space as joined_space
from search.engines.whoosh.compile import compile_query, filter_query
from search.indexing.outbox import backend
from search.service.plan import loose_query, search_filters
from search.service.query import parse_query
from tests.factories import make_article, make_section

QUERIES = ["芯片", "港", "半导体 产业", '"化合物半导体"', "武进 OR 无锡", "芯片 -长电", "headline:签约",
           "byline:朱梦琪", "常州市武进区", "導體", "的"]


def whoosh_docnums(searcher, query, filter_=None) -> set[int]:
    return {hit.docnum for hit in searcher.search(query, limit=None, filter=filter_)}


@pytest.mark.parametrize("text", QUERIES)
def test_matches_agree_with_whoosh(seeded, text):
    searcher = backend().searcher()
    query = compile_query(parse_query(text))
    assert matchset.matches(searcher, query, None).global_ids() == whoosh_docnums(searcher, query)


def test_loose_and_filtered_queries_agree_with_whoosh(seeded):
    searcher = backend().searcher()
    loose = compile_query(loose_query(parse_query("武进区 化合物半导体 产业 发展 签约 仪式")), loose=True)
    assert isinstance(loose, wq.Or) and loose.minmatch >= 2
    # Whoosh's own OR matchers ignore minmatch; the engine asks for that many words, as documented.
    hits = Counter(doc for sub in loose.subqueries for doc in whoosh_docnums(searcher, sub))
    expected = {doc for doc, n in hits.items() if n >= loose.minmatch}
    assert expected and matchset.matches(searcher, loose, None).global_ids() == expected
    query = compile_query(parse_query("的"))
    for data in ({"city": "常州"}, {"date_from": dt.date(2025, 1, 1)}, {"year": 2024, "kind": "text"}):
        filter_ = filter_query(search_filters(data))
        found = matchset.matches(searcher, query, filter_).global_ids()
        assert found == whoosh_docnums(searcher, query, filter_), data


def test_counts_agree_with_whoosh_facets(seeded):
    searcher = backend().searcher()
    query = compile_query(parse_query("的"))
    found = matchset.matches(searcher, query, None)
    for name in ("city", "publication", "year", "kind"):
        stock = searcher.search(query, limit=None, groupedby=sorting.FieldFacet(name, maptype=sorting.Count))
        expected = {key: n for key, n in stock.groups(name).items()}
        assert dict(found.value_counts(name)) == expected, name


def test_month_city_counts_and_date_order_follow_the_database(seeded):
    searcher = backend().searcher()
    found = matchset.matches(searcher, compile_query(parse_query("的")), None)
    ids = {int(searcher.stored_fields(doc)["django_id"]): doc for doc in found.global_ids()}
    articles = Article.objects.in_bulk(list(ids))
    expected = Counter((a.date.replace(day=1), a.city) for a in articles.values() if a.date)
    assert found.month_city_counts() == expected
    newest = found.by_date(len(ids), newest_first=True)
    dates = [articles[int(searcher.stored_fields(doc)["django_id"])].date for doc in newest]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated  # undated last
    oldest = found.by_date(3, newest_first=False)
    assert [articles[int(searcher.stored_fields(d)["django_id"])].date for d in oldest] == sorted(dated)[:3]


def test_month_city_counts_fold_into_years_only_past_the_span(seeded):
    found = matchset.matches(backend().searcher(), compile_query(parse_query("的")), None)
    months = found.month_city_counts()
    span = max(month.year * 12 + month.month for month, _city in months) - min(
        month.year * 12 + month.month for month, _city in months)
    per_year = Counter()
    for (month, city), count in months.items():
        per_year[(month.replace(month=1), city)] += count
    assert len(per_year) < len(months)  # the seeds span several months of one year
    assert found.month_city_counts(years_beyond=span) == per_year
    assert found.month_city_counts(years_beyond=span + 1) == months


def test_deleted_articles_are_not_matched(seeded, django_capture_on_commit_callbacks):
    article = Article.objects.filter(headline__contains="摩尔线程").first()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    searcher = backend().searcher()
    query = compile_query(parse_query("摩尔线程"))
    found = matchset.matches(searcher, query, None).global_ids()
    assert found == whoosh_docnums(searcher, query)
    assert all(int(searcher.stored_fields(doc)["django_id"]) != article.pk for doc in found)


def test_a_query_word_cut_differently_in_the_text_is_found(client, db, django_capture_on_commit_callbacks):
    """科技园 is one word in the query; in the text jieba cuts 长电科技 | 园."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(make_section(), headline="园区动态", body="常州长电科技园今年新增企业十家。")
    data = client.get("/api/articles/", {"q": "科技园"}).json()
    assert [row["id"] for row in data["results"]] == [article.pk]
    data = client.get("/api/articles/", {"q": "电科"}).json()  # inside a word
    assert [row["id"] for row in data["results"]] == [article.pk]


def test_posting_arrays_equal_whoosh_postings(seeded):
    """Blocks read from the segment file in large reads decode to Whoosh's own ids and weights."""
    searcher = backend().searcher()
    checked = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname in ("text", "headline", "chars"):
            for raw in list(reader.lexicon(fieldname))[:300]:
                text = raw.decode("utf-8")
                docs, weights = posting_lists.postings(reader, fieldname, text)
                matcher = reader.postings(fieldname, text)
                expected = list(matcher.items_as("weight"))
                assert docs.tolist() == [doc for doc, _ in expected], (fieldname, text)
                assert weights.tolist() == pytest.approx([weight for _, weight in expected]), (fieldname, text)
                checked += 1
    assert checked > 300


@pytest.mark.parametrize("text", ["的", "武进", "摩尔线程", "headline:签约"])
@pytest.mark.parametrize("kind", ["company", "place"])
@pytest.mark.parametrize("dense_share", [64, 3])
def test_entity_counts_follow_the_database(seeded, text, kind, dense_share, monkeypatch):
    """Few matches are counted from their values, many from bitmaps of the common values and
    pairs of the rest (with a share of 3, only values of six articles or more are bitmaps):
    the same counts either way."""
    monkeypatch.setattr(joined_space, "DENSE_SHARE", dense_share)
    searcher = backend().searcher()
    found = matchset.matches(searcher, compile_query(parse_query(text)), None)
    ids = [int(searcher.stored_fields(doc)["django_id"]) for doc in found.global_ids()]
    expected: Counter = Counter()
    for article in Article.objects.filter(pk__in=ids).prefetch_related("entity_links__entity"):
        expected.update(link.entity.name for link in article.entity_links.all()
                        if link.entity.kind == kind and not link.removed)
    assert ids and found.multi_value_counts(kind) == expected


def test_entity_counts_limit_keeps_the_top(seeded):
    searcher = backend().searcher()
    found = matchset.matches(searcher, compile_query(parse_query("的")), None)
    expected = found.multi_value_counts("company")
    top = found.multi_value_counts("company", limit=3)
    assert list(top.items()) == sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:3]


def test_posting_lists_of_several_blocks_decode_whole(db):
    """Whoosh writes 128 postings a block; a list of several blocks is rebased block by block."""
    search_backend = backend()
    with search_backend.writer() as writer:
        for number in range(700):
            text = "共同 词语" if number % 3 else "共同"
            writer.add_document(id=f"archive.article.{number}", django_ct="archive.article",
                                django_id=str(number), text=text)
    reader = search_backend.searcher().leaf_searchers()[0][0].reader()
    for word in ("共同", "词语"):
        docs, _weights = posting_lists.postings(reader, "text", word)
        assert docs.tolist() == list(reader.postings("text", word).all_ids())
    assert len(posting_lists.postings(reader, "text", "共同")[0]) == 700


def _several_blocks_index() -> object:
    """700 documents: 共同 in each, 词语 after it in two of three, and 词语 共同 in every fifth."""
    search_backend = backend()
    with search_backend.writer() as writer:
        for number in range(700):
            text = "共同 词语" if number % 3 else "共同"
            if number % 5 == 0:
                text += " 词语 共同"
            writer.add_document(id=f"archive.article.{number}", django_ct="archive.article",
                                django_id=str(number), text=text)
    return search_backend.searcher()


def test_postings_within_documents_read_only_the_blocks_holding_them(db):
    """Ranking a few matches by a word in every document decodes the blocks that hold them,
    not the whole list: 128 postings a block."""
    reader = _several_blocks_index().leaf_searchers()[0][0].reader()
    caches.POSTINGS.forget(set())
    docs, weights = posting_lists.postings(reader, "text", "共同", within=np.array([5, 300]))
    assert docs.tolist() == list(range(0, 128)) + list(range(256, 384))
    assert len(weights) == len(docs)
    whole = posting_lists.postings(reader, "text", "共同")[0]
    assert len(whole) == 700
    # Once the whole list is cached, it is what is returned.
    assert posting_lists.postings(reader, "text", "共同", within=np.array([5]))[0].tolist() == whole.tolist()


def test_positions_within_documents_equal_the_whole_lists_rows(db):
    reader = _several_blocks_index().leaf_searchers()[0][0].reader()
    docs, starts, flat = position_lists.positions(reader, "text", "词语")
    some = docs[::7]
    sub_docs, sub_starts, sub_flat = position_lists.positions(reader, "text", "词语", within=np.append(some, 10_000))
    assert sub_docs.tolist() == some.tolist()
    where = np.searchsorted(docs, some)
    assert [sub_flat[sub_starts[i]:sub_starts[i + 1]].tolist() for i in range(len(some))] == \
        [flat[starts[j]:starts[j + 1]].tolist() for j in where]


@pytest.mark.parametrize("cached", [False, True])
def test_phrases_over_several_blocks_agree_with_whoosh(db, cached):
    """Cold, the rarest word's list is read whole and the others only where it occurs; with
    the words' postings cached, only their common documents' blocks are read: same matches."""
    searcher = _several_blocks_index()
    space = joined_space.Space(searcher)
    caches.POSTINGS.forget(set())
    for words in (["共同", "词语"], ["词语", "共同"], ["共同", "词语", "共同"], ["词语", "词语"]):
        if cached:
            for word in words:
                space.postings("text", word)
        phrase = wq.Phrase("text", words)
        assert set(evaluation.evaluate(phrase, space).tolist()) == whoosh_docnums(searcher, phrase), words


def _phrase_windows(limit: int = 60) -> list[str]:
    """Stretches of the seed articles' bodies, 3 to 9 characters, at fixed offsets."""
    windows = []
    for article in Article.objects.order_by("pk"):
        body = "".join(article.body.split())
        for start, size in ((0, 4), (17, 6), (41, 9), (80, 3), (123, 7)):
            piece = body[start:start + size]
            if len(piece) >= 3 and piece not in windows:
                windows.append(piece)
    return windows[:limit]


def test_phrases_from_positions_agree_with_whoosh(seeded):
    """Phrases are checked from decoded position arrays, not Whoosh's span matcher: the
    same documents, including words repeated in the phrase and phrases nowhere in the text."""
    searcher = backend().searcher()
    space = joined_space.Space(searcher)
    checked = 0
    for text in _phrase_windows() + ["发展 发展", "武进 无锡 武进", "芯片 半导体 签约 仪式 产业"]:
        words = query_terms(text)
        if len(words) < 2:
            continue
        for fieldname in ("text", "headline"):
            phrase = wq.Phrase(fieldname, words)
            assert set(evaluation.evaluate(phrase, space).tolist()) == whoosh_docnums(searcher, phrase), (fieldname, text)
            checked += 1
    assert checked > 40


def test_an_unquoted_term_finds_everything_its_phrase_finds(seeded):
    """Unquoted terms are compiled without a phrase check: the words-in-sequence matches
    must still be a subset of what they find."""
    searcher = backend().searcher()
    for text in _phrase_windows(30):
        quoted = matchset.matches(searcher, compile_query(parse_query(f'"{text}"')), None).global_ids()
        unquoted = matchset.matches(searcher, compile_query(parse_query(text)), None).global_ids()
        assert quoted <= unquoted, text


def test_positions_equal_whoosh_positions(seeded):
    searcher = backend().searcher()
    checked = 0
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        live = columns.live_mask(reader)
        for fieldname in ("text", "headline"):
            for raw in list(reader.lexicon(fieldname))[:300]:
                text = raw.decode("utf-8")
                docs, starts, flat = position_lists.positions(reader, fieldname, text)
                ours = [(doc, flat[starts[i]:starts[i + 1]].tolist()) for i, doc in enumerate(docs.tolist())
                        if live is None or live[doc]]
                matcher = reader.postings(fieldname, text)
                theirs = []
                while matcher.is_active():
                    theirs.append((matcher.id(), matcher.value_as("positions")))
                    matcher.next()
                assert ours == theirs, (fieldname, text)
                checked += 1
    assert checked > 300


def test_position_values_decode_at_every_integer_width():
    """Deltas of one, two and four bytes in Whoosh's pickled layout; anything else is refused
    (None) so that the caller falls back to Whoosh's matcher."""
    from whoosh.formats import Positions

    lists = [[0], [5], [3, 4, 300], [1, 256, 70_000, 70_001], list(range(0, 4000, 7)), [65_535, 65_536]]
    values = [Positions().encode(positions) for positions in lists]
    starts, flat = position_lists._decode_positions(values)
    assert [flat[starts[i]:starts[i + 1]].tolist() for i in range(len(lists))] == lists
    without_stop = position_lists._decode_positions([value[:-1] for value in values])  # Whoosh accepts these too
    assert [without_stop[1][without_stop[0][i]:without_stop[0][i + 1]].tolist() for i in range(len(lists))] == lists
    assert position_lists._decode_positions([values[2].replace(b"q\x00", b"q\x01")]) is None
    assert position_lists._decode_positions([b"\x00\x00\x00\x01" + pickle.dumps([1.5], 2)]) is None


def test_joined_arrays_of_earlier_segment_sets_are_dropped(client, seeded, django_capture_on_commit_callbacks):
    """A save adds a segment; after the next search only the arrays joined for the index's
    current segments remain cached."""
    client.get("/search/", {"q": "武进"})
    before = {key[0] for key in caches.JOINED}
    article = Article.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "qzjoined " + article.headline
        article.save()
    assert client.get("/api/articles/", {"q": "headline:qzjoined"}).json()["count"] == 1
    client.get("/search/", {"q": "武进"})
    current = caches.live_segments(backend().searcher())
    assert before and all(set(segments) != current for segments in before)  # the save added a segment
    assert caches.JOINED and all(set(key[0]) == current for key in caches.JOINED)


def test_document_frequencies_agree_with_whoosh_cold_and_cached(seeded):
    """Term entries are read once per segment and kept; the counts stay Whoosh's, and a
    word no segment holds counts 0 (and has no postings)."""
    searcher = backend().searcher()
    space = joined_space.Space(searcher)
    words = [raw.decode("utf-8") for raw in list(searcher.reader().lexicon("text"))[:200]] + ["qzabsentword"]
    for _pass in ("cold", "cached"):
        for word in words:
            assert space.doc_frequency("text", word) == searcher.doc_frequency("text", word), word
    assert space.doc_frequency("text", "qzabsentword") == 0
    assert len(space.postings("text", "qzabsentword")[0]) == 0
    assert any(key[2] == "qzabsentword" for key in caches.RECENT_TERM_ENTRIES._items)


def test_term_entries_of_merged_segments_are_dropped(client, seeded, django_capture_on_commit_callbacks):
    client.get("/search/", {"q": "武进"})
    read_from = {key[0] for key in caches.RECENT_TERM_ENTRIES._items}
    article = Article.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "qzentries " + article.headline
        article.save()
    call_command("compact_index", "--below", "1000000")
    client.get("/search/", {"q": "武进"})
    current = caches.live_segments(backend().searcher())
    assert read_from - current  # merged away
    assert caches.RECENT_TERM_ENTRIES._items and all(key[0] in current for key in caches.RECENT_TERM_ENTRIES._items)
