from __future__ import annotations

import pytest

from summaries.article_summary import add_article
from summaries.fts import fts_query
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.samples import BODY

HOSTILE = [
    '"',
    '""',
    "AND(",
    "*",
    "NEAR",
    "NEAR(a b)",
    "a OR",
    "-bridge",
    "title:bridge",
    "bridge^",
    "'",
    "\\",
    "(",
    ")",
    "{a b}",
    "😀",
    "🇺🇦 bridge",
    "NOT",
    "a AND NOT b",
    "x" * 4000,
    "bridge " * 1000,
    "\x00",
    "%",
    "_",
    "bridge*",
    "+",
    ":",
    "^",
    "",
]


@pytest.fixture
def filled(store: ArticleStore) -> ArticleStore:
    add_article(store, Draft(title="Bridge approved", body=BODY), now=utc_now())
    add_article(
        store,
        Draft(title="Election night", body="Voters went to the polls. Turnout was high."),
        now=utc_now(),
    )
    add_article(
        store,
        Draft(title="Café reopens", body="The café on the square reopened on Friday."),
        now=utc_now(),
    )
    return store


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(filled: ArticleStore, query: str) -> None:
    results = filled.search(query)
    assert isinstance(results, list)


def test_operators_are_words_not_syntax(filled: ArticleStore) -> None:
    assert fts_query('bridge" OR "x') == '"bridge" "OR" "x"'
    assert filled.search("bridge OR election") == []  # all words must appear


def test_search_matches_title_and_body_with_stemming(filled: ArticleStore) -> None:
    assert [a.title for a in filled.search("elections")] == ["Election night"]
    assert [a.title for a in filled.search("voter turnout")] == ["Election night"]
    assert [a.title for a in filled.search("BRIDGE")] == ["Bridge approved"]


def test_accents_are_folded(filled: ArticleStore) -> None:
    assert [a.title for a in filled.search("cafe")] == ["Café reopens"]


def test_punctuation_only_finds_nothing(filled: ArticleStore) -> None:
    assert fts_query("?!… 😀") is None
    assert filled.search("?!… 😀") == []


@pytest.mark.parametrize(
    "query",
    [
        "elec\u200btion",  # a zero-width space pasted inside the word
        "elec\u00adtion",  # a soft hyphen
        "\ufeffelection\u2060",  # a byte order mark, a word joiner
        "ｅｌｅｃｔｉｏｎ",  # full-width letters
        "ELECTION\u200e",  # a direction mark
    ],
)
def test_invisible_and_compatibility_characters_are_normalized_as_the_index_does(
    filled: ArticleStore, query: str
) -> None:
    assert [a.title for a in filled.search(query)] == ["Election night"]


def test_decomposed_accents_and_underscores_are_split_as_the_index_does(
    filled: ArticleStore,
) -> None:
    assert [a.title for a in filled.search("cafe\u0301")] == ["Café reopens"]  # e + ´
    assert [a.title for a in filled.search("CAFÉ")] == ["Café reopens"]
    assert fts_query("voters_turnout") == '"voters" "turnout"'
    assert fts_query("___") is None


def test_articles_are_stored_without_invisible_characters(store: ArticleStore) -> None:
    article = add_article(
        store, Draft(title="Elec\u00adtion night", body="Vo\u200bters went out."), now=utc_now()
    )
    assert (article.title, article.body) == ("Election night", "Voters went out.")
    assert [a.id for a in store.search("voters")] == [article.id]


@pytest.fixture
def multilingual(store: ArticleStore) -> ArticleStore:
    for title, body, language in [
        ("Київ готується до зими", "Мерія Києва відкрила нові укриття.", "ukrainian"),
        ("Выборы в Москве", "Избиратели пришли на участки в среду.", "russian"),
        ("Köln sperrt die Straße", "Die Brücke über den Rhein bleibt zu.", "german"),
        ("İstanbul'da seçim", "Seçmenler sandık başına gitti.", "turkish"),
        ("Ηλεκτρικό ρεύμα", "Η Αθήνα είχε διακοπές ρεύματος την Τρίτη.", "greek"),
    ]:
        add_article(store, Draft(title=title, body=body, language=language), now=utc_now())
    return store


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Київ", "Київ готується до зими"),
        ("КИЇВ", "Київ готується до зими"),  # Cyrillic case folds, Ї included
        ("києва", "Київ готується до зими"),
        ("МОСКВЕ", "Выборы в Москве"),
        ("выборы", "Выборы в Москве"),
        ("koln", "Köln sperrt die Straße"),  # accents fold both ways
        ("KÖLN", "Köln sperrt die Straße"),
        ("brucke", "Köln sperrt die Straße"),
        ("straße", "Köln sperrt die Straße"),
        ("ISTANBUL", "İstanbul'da seçim"),  # Turkish dotted capital I
        ("secim", "İstanbul'da seçim"),
        ("ΑΘΉΝΑ", "Ηλεκτρικό ρεύμα"),
    ],
)
def test_cyrillic_greek_and_accented_queries_find_their_words(
    multilingual: ArticleStore, query: str, title: str
) -> None:
    assert [a.title for a in multilingual.search(query)] == [title]


def test_search_matches_whole_word_forms_outside_english(multilingual: ArticleStore) -> None:
    # The index stems English only (porter): other languages match a word's exact form,
    # case and Latin accents aside, so "Москва" does not find "Москве".
    assert multilingual.search("Москва") == []
