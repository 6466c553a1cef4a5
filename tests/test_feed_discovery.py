"""feed_links: a page's RSS, Atom and JSON Feed links, as absolute URLs, on any HTML."""

from __future__ import annotations

import pytest

from summaries.feed_discovery import feed_links

PAGE = "https://news.example.org/world/index.html"


def test_every_kind_of_feed_in_document_order() -> None:
    html = """<html><head>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Atom">
    <link rel="alternate" type="application/rss+xml" href="https://news.example.org/rss">
    <link rel="alternate" type="application/feed+json" href="feed.json">
    <link rel="alternate" type="application/json" href="//cdn.example.org/feed.json">
    <link rel="alternate" hreflang="de" href="/de/">
    <link rel="alternate" type="text/html" href="/print">
    <link rel="icon" type="application/rss+xml" href="/not-a-feed">
    </head><body></body></html>"""
    assert feed_links(html, PAGE) == [
        "https://news.example.org/atom.xml",
        "https://news.example.org/rss",
        "https://news.example.org/world/feed.json",
        "https://cdn.example.org/feed.json",
    ]


def test_rel_with_several_tokens_and_any_case() -> None:
    html = """<LINK REL="Alternate Home" TYPE="Application/RSS+XML" HREF="/a.xml">
    <link rel="feed alternate" type="application/atom+xml; charset=utf-8" href=/b.xml>
    <link rel=" alternate  " type='application/feed+json' href=' /c.json '>
    <link rel="alternates" type="application/rss+xml" href="/not-a-feed.xml">"""
    assert feed_links(html, PAGE) == [
        "https://news.example.org/a.xml",
        "https://news.example.org/b.xml",
        "https://news.example.org/c.json",
    ]


def test_base_href_moves_relative_links() -> None:
    html = """<head><base href="/en/"><base href="/ignored/">
    <link rel="alternate" type="application/rss+xml" href="rss.xml">
    <link rel="alternate" type="application/atom+xml" href="/atom.xml"></head>"""
    assert feed_links(html, PAGE) == [
        "https://news.example.org/en/rss.xml",
        "https://news.example.org/atom.xml",
    ]
    absolute = (
        '<base href="http://mirror.example.net/x/">'
        "<link rel=alternate type=application/rss+xml href=feed>"
    )
    assert feed_links(absolute, PAGE) == ["http://mirror.example.net/x/feed"]


def test_each_feed_once_and_entities_decoded() -> None:
    html = """<link rel="alternate" type="application/rss+xml" href="/feed?a=1&amp;b=2">
    <link rel="alternate" type="application/atom+xml" href="https://news.example.org/feed?a=1&b=2">
    <link rel="alternate" type="application/rss+xml" href="/other">"""
    assert feed_links(html, PAGE) == [
        "https://news.example.org/feed?a=1&b=2",
        "https://news.example.org/other",
    ]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "plain text, no tags at all",
        "<html><head><title>No feeds</title></head><body><p>Hello</p></body></html>",
        '<link rel="alternate" type="application/rss+xml">',  # no href
        '<link rel="alternate" type="application/rss+xml" href="">',
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
        '<link rel="alternate" type="application/rss+xml" href="mailto:news@example.org">',
        '<a rel="alternate" type="application/rss+xml" href="/rss">not a link tag</a>',
    ],
)
def test_no_feed_is_an_empty_list(html: str) -> None:
    assert feed_links(html, PAGE) == []


def test_broken_html_still_gives_its_feeds() -> None:
    html = """<html><head><title>Unclosed <b>bold
    <link rel="alternate" type="application/rss+xml" href="/one.xml"
    <div class=x><p>never closed</i></span>
    <link rel=alternate type=application/atom+xml href=/two.xml>
    <!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
    <script>var s = '<link rel="alternate" type="application/rss+xml" href="/script.xml">';
    </script></body></html></html>
    <link rel="alternate" type="application/feed+json" href="/three.json">
    <link rel="alternate" type="application/rss+xml" href="/unfinished"""
    assert feed_links(html, PAGE) == [
        "https://news.example.org/one.xml",  # its missing > ends at the next tag's, as in browsers
        "https://news.example.org/two.xml",
        "https://news.example.org/three.json",
    ]


def test_self_closing_tags_and_non_ascii_urls() -> None:
    html = '<link rel="alternate" type="application/rss+xml" href="/nachrichten/über.xml" />'
    assert feed_links(html, "https://zeitung.example.de/") == [
        "https://zeitung.example.de/nachrichten/über.xml"
    ]
