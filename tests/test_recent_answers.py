"""Recently answered searches (search/service/recent.py): the same question in the same state
of the index is answered without searching again; any change of the index or the synonym
groups, another script or language is a new answer."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from archive import script_switch
from archive.models import Article
from search.engines.whoosh.engine import WhooshEngine
from search.models import SynonymGroup
from search.service.recent import ANSWERS, RecentAnswers, remembered
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

API = reverse("archive:api_article_list")
PAGE = reverse("search:search")


def without_csrf_token(page: bytes) -> bytes:
    """The page without the form token Django masks afresh for every answer."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)


def found(client, query: str) -> set[int]:
    return {row["id"] for row in client.get(API, {"q": query, "page_size": 50}).json()["results"]}


@pytest.fixture
def cache_on(settings):
    settings.ARCHIVE_SEARCH_CACHE_SECONDS = 300
    ANSWERS.clear()
    yield
    ANSWERS.clear()


@pytest.fixture
def searches(monkeypatch) -> list:
    """The plans the Whoosh engine was asked to find."""
    asked: list = []
    find = WhooshEngine.find

    def counted(self, plan):
        asked.append(plan)
        return find(self, plan)

    monkeypatch.setattr(WhooshEngine, "find", counted)
    return asked


def test_the_same_page_twice_is_searched_once(client, seeded, cache_on, searches):
    first = client.get(PAGE, {"q": "半导体"})
    asked = len(searches)
    again = client.get(PAGE, {"q": "半导体"})
    assert asked >= 1 and len(searches) == asked
    assert first.status_code == again.status_code == 200
    assert "半导体" in again.content.decode()
    assert without_csrf_token(again.content) == without_csrf_token(first.content)
    client.get(PAGE, {"q": "半导体", "page": "1", "sort": "newest"})  # another question: searched
    assert len(searches) > asked


def test_the_same_json_twice_is_searched_once(client, seeded, cache_on, searches):
    first = client.get(API, {"q": "芯片"}).json()
    asked = len(searches)
    assert client.get(API, {"q": "芯片"}).json() == first and len(searches) == asked
    assert first["count"] > 0


def test_an_editors_save_is_seen_at_once(admin_client, client, seeded, cache_on, django_capture_on_commit_callbacks):
    article = Article.objects.get(headline="中国电科来锡考察")
    assert article.pk in found(client, "headline:考察")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:archive_article_change", args=[article.pk]),
                                     change_form_data(article, headline="中国电科来锡洽谈量子芯片"))
    assert response.status_code == 302
    assert article.pk not in found(client, "headline:考察")


def test_a_synonym_edit_is_seen_at_once(client, seeded, cache_on):
    assert client.get(API, {"q": "摩尔线程"}).json()["also_searched"] == []
    SynonymGroup.objects.create(terms=["摩尔线程", "摩尔"])
    assert client.get(API, {"q": "摩尔线程"}).json()["also_searched"] == ["摩尔"]


def test_each_script_has_its_own_answer(client, seeded, cache_on):
    simplified = client.get(PAGE, {"q": "芯片产业", "script": "hans"}).content.decode()
    traditional = client.get(PAGE, {"q": "芯片产业", "script": "hant"}).content.decode()
    assert "芯片产业" in simplified and "芯片產業" in traditional
    assert client.cookies[script_switch.COOKIE].value == "hant"


def test_an_engine_that_cannot_say_its_version_is_not_cached(settings):
    settings.ARCHIVE_SEARCH_CACHE_SECONDS = 300

    class Unversioned:
        def version(self):
            return None

    answers = iter(range(10))
    assert [remembered(Unversioned(), "json", {"q": "x"}, (), lambda: next(answers)) for _ in range(2)] == [0, 1]


def test_answers_are_kept_per_state_least_recently_used_dropped_first():
    answers = RecentAnswers(size=2)
    computed: list[str] = []

    def compute(key):
        return lambda: computed.append(key) or key

    for key in ("a", "b", "a", "c", "a", "b"):  # c pushes out b (a was used after it)
        answers.answer("state 1", key, compute(key), 60)
    assert computed == ["a", "b", "c", "b"]
    answers.answer("state 2", "a", compute("a"), 60)  # a new state drops every answer
    assert computed[-1] == "a" and len(computed) == 5
    answers.answer("state 2", "x", compute("x"), -1)  # expired at once
    answers.answer("state 2", "x", compute("x"), 60)
    assert computed[-2:] == ["x", "x"]
