from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from summaries.articles import MAX_BODY, MAX_FIELD, MAX_TITLE
from summaries.errors import FeedError, NotAFeedError
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.feed_parse import MAX_FEED_BYTES, parse_feed
from tests.helpers.samples import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds"


def parse_file(name: str, url: str, content_type: str = "") -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url=url, content_type=content_type)


def rss(items: str, head: str = "<title>Test feed</title>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{head}{items}</channel></rss>"
    ).encode()


def only_item(data: bytes, url: str = "https://example.com/feed.xml") -> FeedItem:
    (item,) = parse_feed(data, url=url).items
    return item


def test_news_site_rss() -> None:
    feed = parse_file("news_rss.xml", "https://news.example.com/world/rss.xml", "text/xml")
    assert (feed.title, feed.language, feed.malformed, feed.skipped) == (
        "Harbour Herald – World News",
        "en-gb",
        None,
        0,
    )
    assert [item.guid for item in feed.items] == [
        "herald-world-118204",
        "herald-business-118199",
        "herald-science-118150",
        "herald-world-118133",
        "herald-sport-118090",
    ]
    first = feed.items[0]
    assert first.title == "Flood barriers hold as river reaches record height in Rotterdam"
    assert first.link == (
        "https://news.example.com/world/2026/dec/04/rotterdam-flood-barriers-record"
        "?utm_source=rss&utm_medium=feed&utm_campaign=world"
    )
    assert first.published == datetime(2026, 12, 4, 18, 12, tzinfo=UTC)
    assert first.photo_url == "https://images.example.com/herald/2026/12/04/maeslant-barrier.jpg"
    # Inside media:content, where feedparser loses them (feedparser#53).
    assert first.photo_caption == (
        "The Maeslant barrier closing on the Nieuwe Maas near Hoek van Holland on Friday."
    )
    assert first.photo_credit == "Photograph: Jan Peters/Reuters"
    paragraphs = first.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The Maeslant storm surge barrier closed on Friday")
    assert "“We prepared for worse,” said the city’s deputy mayor" in paragraphs[1]


def test_news_rss_offsets_thumbnails_titles_and_scripts() -> None:
    items = parse_file("news_rss.xml", "https://news.example.com/world/rss.xml").items
    assert items[1].published == datetime(2026, 12, 4, 14, 30, tzinfo=UTC)  # +0100 in the feed
    assert "Markets react" in items[1].body.split("\n\n")
    roman = items[2]
    assert roman.photo_url == (
        "https://images.example.com/herald/2026/12/03/roman-road-thumb.jpg"
    )  # media:thumbnail before the <img> in the text
    assert "analytics" not in roman.body
    assert "Wheel ruts are still" not in roman.body
    assert roman.body.endswith("so shoppers can see part of the road.")
    assert (items[3].photo_caption, items[3].photo_credit) == (
        "Rain over the Grampians in Victoria",  # media:title when there is no description
        "Photograph: Sam Whitfield/AAP",
    )
    for item in items:
        assert "<" not in item.body
        assert "&" not in item.body


def test_teaser_rss() -> None:
    feed = parse_file("teaser_rss.xml", "https://gazette.example.org/local/rss")
    library, bikes, _, water = feed.items
    assert library.body == (
        "The central library will stay open until 8 p.m. on Saturdays from January. "
        "Sunday hours are unchanged."
    )
    assert library.photo_url == "https://gazette.example.org/img/library-4821.jpg"
    assert library.published == datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
    assert (
        bikes.body == "Councillors voted 6–3 for protected lanes between First and Ninth Avenue."
    )
    # A title and no text: kept with an empty body, for the caller to fetch the page.
    assert (water.title, water.body, water.photo_url) == (
        "Water main repair closes Elm Street until Monday",
        "",
        None,  # an audio enclosure is not a photo
    )
    assert water.link == "https://gazette.example.org/local/elm-street-water-main-4807"


def test_atom() -> None:
    feed = parse_file("atom.xml", "https://blog.example.de/feed.atom")
    assert (feed.title, feed.language) == ("Stadtblog Freiburg", "de-DE")
    tram, market, trees = feed.items
    assert tram.title == "Neue Straßenbahnlinie fährt ab Montag"
    assert tram.link == "https://blog.example.de/2026/12/strassenbahn-linie-6"  # not rel=edit
    assert tram.guid == "tag:blog.example.de,2026:post-431"
    assert tram.published == datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
    assert tram.body.split("\n\n")[-1] == "Zur Eröffnung ist die Fahrt am Montag kostenlos."
    assert (tram.photo_url, tram.photo_caption) == (
        "https://blog.example.de/bilder/linie-6.jpg",
        "Die neue Bahn an der Haltestelle Hauptbahnhof",
    )
    assert market.published == datetime(2026, 12, 3, 10, 15, tzinfo=UTC)  # <updated> only
    assert trees.published is None
    assert trees.body == (
        "The city has published its register of 56,000 street trees as open data.\n\n"
        "Each record lists the species, the year it was planted and its last inspection."
    )


def test_json_feed_1_1() -> None:
    feed = parse_file("feed.json", "https://notes.example.net/feed.json", "application/feed+json")
    assert (feed.title, feed.language, feed.skipped) == ("Northern Lights Notes", "en-CA", 0)
    aurora, tips, note, link_post = feed.items
    assert aurora.published == datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
    assert aurora.photo_url == "https://notes.example.net/images/aurora-2026-12.jpg"
    assert aurora.body.endswith("Regina & Winnipeg.\n\nFind a dark spot away from city lights "
                                "and look north after 10 p.m.")  # fmt: skip
    assert tips.link == "https://notes.example.net/2026/12/photo-tips"  # relative to home page
    assert tips.photo_url == "https://notes.example.net/images/phone-aurora.jpg"  # attachment
    assert tips.body.count("\n\n") == 4
    assert note.title == "Clear skies tonight over Yellowknife."  # untitled: its first sentence
    assert (note.link, note.guid) == (None, "note-8841")
    assert link_post.link == "https://science.example.org/articles/solar-maximum-2026"
    assert link_post.published == datetime(2026, 11, 30, 12, tzinfo=UTC)  # date_modified
    assert link_post.photo_url == "https://notes.example.net/images/sun-banner.jpg"


def test_json_feed_1_0_with_content_text() -> None:
    # Sniffed from its first byte: servers often call it text/plain.
    feed = parse_file("feed_v1.json", "https://ferry.example.com/updates.json", "text/plain")
    assert (feed.title, feed.language) == ("Harbour Ferry Updates", None)
    assert feed.items[0].body.split("\n\n") == [
        "All sailings after 6 p.m. today are cancelled because of gusts above 90 km/h.",
        "Tickets for cancelled sailings will be refunded automatically. Morning sailings "
        "tomorrow are expected to run as normal.",
    ]
    assert feed.items[0].photo_url == "https://ferry.example.com/img/waves.jpg"


def test_json_feed_language_from_items_odd_fields_and_dates() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": 7, "title": ["not", "a", "string"], "content_text": "Text.", "language": "fr"},
            {"id": " ", "title": "Future", "date_published": "3000-01-01T00:00:00Z"},
            {"title": "Bad date", "date_published": "next Tuesday"},
            {"id": "empty"},
            "not an item",
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), url="https://micro.example.com/feed.json")
    assert (feed.title, feed.language, feed.skipped) == ("micro.example.com", "fr", 2)
    text, future, bad = feed.items
    assert (text.guid, text.title, text.body) == ("7", "Text.", "Text.")
    assert future.guid is None
    assert future.published == datetime(3000, 1, 1, tzinfo=UTC)
    assert bad.published is None


def test_json_that_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not a JSON Feed"):
        parse_feed(b'{"version": "2.0", "items": []}', url="https://e.com/x")
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(b"{not json", url="https://e.com/x", content_type="application/json")


def test_wordpress_footer_and_continue_reading_are_dropped() -> None:
    feed = parse_file("wordpress.xml", "https://allotment.example.com/feed/")
    garlic, leaves = feed.items
    assert garlic.guid == "https://allotment.example.com/?p=2214"
    assert garlic.body.endswith("onion marmalade this weekend – recipe to follow.")
    assert "appeared first on" not in garlic.body
    assert "15 cm apart" in garlic.body  # &nbsp; is a space
    assert (garlic.photo_url, garlic.photo_caption) == (
        "https://allotment.example.com/wp-content/uploads/2026/12/garlic-planting-1024x683.jpg",
        "Garlic cloves laid out in rows before planting",
    )
    assert leaves.body.endswith("Avoid evergreen leaves, which take years.")
    assert "[…]" not in leaves.body
    assert "Continue reading" not in leaves.body


def test_malformed_feed_keeps_what_was_recovered() -> None:
    feed = parse_file("malformed.xml", "https://cornershop.example.com/rss")
    assert feed.malformed == "not well-formed (invalid token) at line 4"
    assert [item.guid for item in feed.items] == [
        "cornershop-101",
        "cornershop-102",
        "cornershop-103",
    ]  # bare guids stay as written, not resolved as links
    assert "bread & rolls" in feed.items[0].body


def test_nothing_recoverable_is_a_feed_error() -> None:
    with pytest.raises(
        FeedError,
        match=r"^the feed is malformed \(not well-formed \(invalid token\) at line 8\) and no",
    ):
        parse_file("broken.xml", "https://e.com/feed")


def test_harmless_bozo_is_not_malformed() -> None:
    # feedparser flags a text/html content type and a charset the XML overrides as "bozo".
    feed = parse_file("news_rss.xml", "https://e.com/rss", "text/html; charset=iso-8859-1")
    assert (feed.malformed, len(feed.items)) == (None, 5)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", ""])
def test_web_page_is_not_a_feed(content_type: str) -> None:
    with pytest.raises(NotAFeedError, match="that is a web page, not a feed"):
        parse_file("page_with_feed.html", "https://news.example.com/world", content_type)


def test_page_without_doctype_is_not_a_feed() -> None:
    page = b"\xef\xbb\xbf\n<!-- cached -->\n<HTML><body><p>Hi</p></body></HTML>"
    with pytest.raises(NotAFeedError):
        parse_feed(page, url="https://e.com/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the feed is empty"),
        (b" \n\t", "the feed is empty"),
        (b"just some words, no markup", "not a feed"),
        (b'<?xml version="1.0"?><catalog><book/></catalog>', "not a feed"),
    ],
)
def test_unusable_data(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(data, url="https://e.com/feed")


def test_over_ten_megabytes() -> None:
    item = "<item><title>x</title><description>" + "y" * 1000 + "</description></item>"
    data = rss(item * (MAX_FEED_BYTES // len(item) + 1))
    assert len(data) > MAX_FEED_BYTES
    with pytest.raises(FeedError, match=r"^the feed is more than 10 MB$"):
        parse_feed(data, url="https://e.com/feed")


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42", encoding="utf-8")
    data = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>Hello &xxe;</title><description>Body &xxe;</description></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed(data, url="https://e.com/feed")
    assert "TOPSECRET" not in repr(feed)
    assert [item.title for item in feed.items] == ["Hello &xxe;"]


def test_billion_laughs_does_not_expand() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{"".join(levels)}]>\n'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>Laugh &lol9;</title><description>x</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(data, url="https://e.com/feed")
    assert len(repr(feed)) < 2000
    assert "lollol" not in repr(feed)


def test_far_future_and_unreadable_dates() -> None:
    items = rss(
        "<item><title>a</title><pubDate>Wed, 01 Jan 3000 00:00:00 GMT</pubDate></item>"
        "<item><title>b</title><pubDate>sometime last week</pubDate></item>"
        "<item><title>c</title><pubDate>2999-12-31T23:00:00-02:00</pubDate></item>"
    )
    assert [item.published for item in parse_feed(items, url="https://e.com/f").items] == [
        datetime(3000, 1, 1, tzinfo=UTC),  # the store clamps, not the parser
        None,
        datetime(3000, 1, 1, 1, tzinfo=UTC),
    ]


def test_relative_links_resolve_against_the_feed_url() -> None:
    item = only_item(
        rss(
            "<item><title>t</title><link>/news/42?utm_source=rss</link>"
            '<description>&lt;p&gt;x &lt;img src="../img/a.jpg" alt="A"&gt;&lt;/p&gt;'
            "</description></item>"
        ),
        url="https://site.example.com/feeds/all.xml",
    )
    assert item.link == "https://site.example.com/news/42?utm_source=rss"
    assert item.photo_url == "https://site.example.com/img/a.jpg"  # against the story's link


def test_entities_and_html_in_titles_and_bodies() -> None:
    item = only_item(
        rss(
            "<item><title>Tom &amp;amp; Jerry&#8217;s   &lt;b&gt;new&lt;/b&gt;\n show</title>"
            "<description>&lt;p&gt;Caf&amp;eacute;&amp;nbsp;open&lt;/p&gt;"
            "&lt;style&gt;p{}&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
            "</description></item>"
        )
    )
    assert item.title == "Tom & Jerry’s new show"
    assert item.body == "Café open"


def test_cdata_body() -> None:
    item = only_item(
        rss(
            "<item><title>t</title><content:encoded><![CDATA[<p>First & only.</p>"
            "<p>Second <em>para</em>.</p>]]></content:encoded>"
            "<description>Short</description></item>"
        )
    )
    assert item.body == "First & only.\n\nSecond para."


def test_untitled_and_empty_items() -> None:
    feed = parse_feed(
        rss(
            "<item><guid>1</guid></item>"
            "<item><title> </title><description>  </description></item>"
            f"<item><description>{'word ' * 60}and more. Second sentence.</description></item>"
            "<item><description>Short note. Then more.</description></item>"
        ),
        url="https://e.com/f",
    )
    assert feed.skipped == 2
    long_one, short_one = feed.items
    assert len(long_one.title) <= 120
    assert long_one.title.endswith("word…")
    assert short_one.title == "Short note."


def test_enormous_fields_are_clipped_to_the_store_limits() -> None:
    paragraph = "<p>" + "Sentence of text. " * 50 + "</p>"
    item = only_item(
        rss(
            f"<item><title>{'Headline ' * 500}</title>"
            f"<content:encoded><![CDATA[{paragraph * 1300}]]></content:encoded>"
            '<media:content url="https://e.com/a.jpg" medium="image">'
            f"<media:description>{'caption ' * 300}</media:description>"
            f"<media:credit>{'credit ' * 300}</media:credit></media:content></item>"
        )
    )
    assert len(item.title) <= MAX_TITLE
    assert item.title.endswith("Headline…")
    assert MAX_BODY - 1000 < len(item.body) <= MAX_BODY
    assert item.body.endswith("Sentence of text.…")  # cut between paragraphs
    assert len(item.photo_caption) <= MAX_FIELD
    assert len(item.photo_credit) <= MAX_FIELD


def test_ten_thousand_items_in_feed_order() -> None:
    items = "".join(
        f"<item><title>Story {n}</title><guid>g{n}</guid><description>Text {n}.</description>"
        "</item>"
        for n in range(10_000)
    )
    feed = parse_feed(rss(items), url="https://e.com/f")
    assert [item.guid for item in feed.items] == [f"g{n}" for n in range(10_000)]
    assert feed.items[-1].title == "Story 9999"


def test_feed_without_a_title_is_named_by_its_host_and_may_be_empty() -> None:
    feed = parse_feed(rss("", head=""), url="https://www.example.org/rss")
    assert (feed.title, feed.items, feed.language) == ("www.example.org", (), None)


def test_media_group_thumbnail_and_feedparser_fallback() -> None:
    group = (
        "<item><title>t</title><description>x</description><media:group>"
        '<media:content url="https://e.com/v.mp4" medium="video"/>'
        '<media:content url="/big.jpg"><media:credit>AP</media:credit></media:content>'
        "<media:description>Group caption</media:description></media:group></item>"
    )
    item = only_item(rss(group), url="https://e.com/f")
    assert (item.photo_url, item.photo_caption, item.photo_credit) == (
        "https://e.com/big.jpg",
        "Group caption",
        "AP",
    )
    # Malformed XML: only feedparser's reading, which keeps the url and the credit.
    broken = rss(
        "<item><title>A & B</title><description>x</description>"
        '<media:content url="https://e.com/p.jpg" medium="image">'
        "<media:credit>Reuters</media:credit></media:content></item>"
    )
    feed = parse_feed(broken, url="https://e.com/f")
    assert feed.malformed is not None
    assert (feed.items[0].photo_url, feed.items[0].photo_credit) == (
        "https://e.com/p.jpg",
        "Reuters",
    )


def test_control_characters_and_spaces_in_links_do_not_reach_the_store() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "1",
                "title": "Bell\u0007 and\u001b escape",
                "content_text": "Text\u0000 with\u0085 debris.",
                "url": "/news/a story\n.html",
                "image": "https://cdn.example.com/a b.jpg",
            }
        ],
    }
    item = only_item(json.dumps(document).encode(), url="https://e.com/feed.json")
    assert (item.title, item.body) == ("Bell and escape", "Text with debris.")
    assert item.link == "https://e.com/news/a%20story.html"
    assert item.photo_url == "https://cdn.example.com/a%20b.jpg"


def test_json_content_type_on_xml_is_read_as_xml() -> None:
    feed = parse_file("teaser_rss.xml", "https://gazette.example.org/rss", "application/json")
    assert len(feed.items) == 4


def test_a_body_that_names_a_file_is_not_read_from_disk() -> None:
    # feedparser opens bytes that are a path; a hostile server could send one as its body.
    local = FEEDS / "news_rss.xml"
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(str(local).encode(), url="https://e.com/feed")


def test_rss_1_0_rdf() -> None:
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://slash.example.org/"><title>Slash Example</title>
<link>https://slash.example.org/</link><description>News</description>
<dc:language>en-us</dc:language>
<items><rdf:Seq><rdf:li rdf:resource="https://slash.example.org/story/1"/></rdf:Seq></items>
</channel>
<item rdf:about="https://slash.example.org/story/1"><title>First</title>
<link>https://slash.example.org/story/1</link><description>One &amp;amp; done.</description>
<dc:date>2026-12-04T10:00:00+02:00</dc:date></item>
</rdf:RDF>"""
    feed = parse_feed(data, url="https://slash.example.org/index.rdf")
    assert (feed.title, feed.language, feed.malformed) == ("Slash Example", "en-us", None)
    (item,) = feed.items
    assert (item.title, item.body, item.link) == (
        "First",
        "One & done.",
        "https://slash.example.org/story/1",
    )
    assert item.published == datetime(2026, 12, 4, 8, tzinfo=UTC)


def test_rss_0_91_with_netscape_entities_in_latin_1() -> None:
    data = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE rss PUBLIC "-//Netscape '
        b'Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b'\n<rss version="0.91"><channel><title>Old School</title><language>fr</language>'
        b"<link>http://old.example.com/</link><description>d</description><item>"
        b"<title>Caf\xe9 &amp; cr&#232;me</title><link>http://old.example.com/1</link>"
        b"<description>Une br\xe8ve&nbsp;nouvelle.</description></item></channel></rss>"
    )
    feed = parse_feed(data, url="http://old.example.com/rss")
    assert (feed.language, feed.malformed) == ("fr", None)  # &nbsp; is the DTD's
    assert [(item.title, item.body) for item in feed.items] == [
        ("Café & crème", "Une brève nouvelle.")
    ]
