from __future__ import annotations

import pytest

from summaries.feed_identity import canonical_link, content_hash, text_hash


@pytest.mark.parametrize(
    "spelling",
    [
        "https://news.example.org/story/1",
        "HTTPS://News.Example.ORG/story/1",
        "https://news.example.org:443/story/1",
        "https://news.example.org/story/1/",
        "https://news.example.org/story/1#comments",
        "https://news.example.org/story/1?utm_source=rss&utm_medium=feed",
        "https://news.example.org/story/1?UTM_Campaign=x",
        "https://news.example.org/story/1?fbclid=abc&gclid=d&mc_cid=1&mc_eid=2&ref_src=twsrc",
        "  https://news.example.org/story/1/?utm_source=rss#top  ",
    ],
)
def test_one_story_has_one_link(spelling: str) -> None:
    assert canonical_link(spelling) == "https://news.example.org/story/1"


def test_other_query_parameters_stay_in_their_order() -> None:
    link = "https://example.org/read?z=1&utm_source=x&a=2&id=%20x&fbclid=y"
    assert canonical_link(link) == "https://example.org/read?z=1&a=2&id=%20x"


def test_other_pages_stay_apart() -> None:
    assert canonical_link("https://example.org/a?id=1") != canonical_link(
        "https://example.org/a?id=2"
    )
    assert canonical_link("http://example.org/a") != canonical_link("https://example.org/a")
    assert canonical_link("https://example.org/A") != canonical_link("https://example.org/a")


def test_the_site_root_keeps_its_slash() -> None:
    assert canonical_link("https://Example.org") == "https://example.org/"
    assert canonical_link("https://example.org/?utm_source=x") == "https://example.org/"


def test_a_link_that_is_not_http_is_only_stripped() -> None:
    assert canonical_link(" mailto:desk@example.org ") == "mailto:desk@example.org"


def test_hashes() -> None:
    assert text_hash("A  title", "Some\ntext") == text_hash("A title", "Some text")
    assert text_hash("A title", "text") != text_hash("Another", "text")
    assert content_hash("t", "b", None) == content_hash("t", "b", None)
    assert content_hash("t", "b", None) != content_hash("t", "b", "https://x.org/p.jpg")
    assert content_hash("t", "b", None) != content_hash("t", "b ", None)
