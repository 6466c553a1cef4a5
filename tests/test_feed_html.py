from __future__ import annotations

from summaries.feed_html import first_image, html_to_text, text_paragraphs


def test_block_elements_become_paragraphs() -> None:
    html = (
        "<h2>Markets react</h2><p>The currency <b>fell</b>.</p>Loose text<br>after a break"
        "<ul><li>one</li><li>two</li></ul><div><div>nested</div></div>"
    )
    assert html_to_text(html) == (
        "Markets react\n\nThe currency fell.\n\nLoose text\n\nafter a break\n\none\n\ntwo"
        "\n\nnested"
    )


def test_entities_are_decoded_and_spaces_collapsed() -> None:
    html = "<p>Tom &amp; Jerry&#8217;s   \n  caf&eacute;&nbsp;opens\tat 10&#160;a.m.</p>"
    assert html_to_text(html) == "Tom & Jerry’s café opens at 10 a.m."


def test_scripts_styles_embeds_and_captions_are_dropped() -> None:
    html = (
        "<style>p { color: red }</style><p>Story.</p>"
        "<script>if (a < b) { track('x') }</script><noscript>Enable JS</noscript>"
        "<iframe src='https://video.example.com'>Your browser</iframe>"
        "<figure><img src='a.jpg'><figcaption>A caption</figcaption></figure><p>End.</p>"
    )
    assert html_to_text(html) == "Story.\n\nEnd."


def test_broken_html_is_read_as_far_as_it_goes() -> None:
    assert html_to_text("<p>Open <b>bold <i>both</p><p>Next</div></span>") == (
        "Open bold both\n\nNext"
    )
    assert html_to_text("<p>Before</p><script>never closed") == "Before"
    assert html_to_text("a < b and c > d") == "a < b and c > d"


def test_wordpress_footer_and_read_more_links_are_dropped() -> None:
    html = (
        "<p>The story.</p><p>More story. <a href='/x'>Continue reading →</a></p>"
        "<p>The post <a href='/x'>Title</a> appeared first on <a href='/'>Blog</a>.</p>"
    )
    assert html_to_text(html) == "The story.\n\nMore story…"
    assert html_to_text("<p>Teaser text&#160;[&#8230;]</p>") == "Teaser text…"
    assert html_to_text("<p>Story.</p><p><a href='/x'>Read more</a></p>") == "Story."


def test_plain_text_keeps_its_paragraphs() -> None:
    assert text_paragraphs("  One\nline.\n\n\n  Two  \n \n") == "One line.\n\nTwo"


def test_first_image_is_absolute_with_its_alt() -> None:
    html = "<p>x</p><img src='/media/a.jpg' alt=' Wheel  ruts '><img src='b.jpg'>"
    assert first_image(html, "https://news.example.com/science/story") == (
        "https://news.example.com/media/a.jpg",
        "Wheel ruts",
    )


def test_first_image_skips_pixels_data_uris_and_non_web_links() -> None:
    base = "https://example.com/"
    pixel = "<img src='https://t.example.com/p.gif' width='1' height='1'>"
    assert first_image(pixel + "<img src='real.png'>", base) == (
        "https://example.com/real.png",
        "",
    )
    assert first_image("<img src='data:image/png;base64,AAAA'>", base) is None
    assert first_image("<img src='javascript:alert(1)'>", base) is None
    assert first_image("<p>No picture</p><img alt='no src'>", base) is None


def test_read_more_inside_a_sentence_stays() -> None:
    html = "<p>The report is long. You can read more about it in the annex.</p>"
    assert html_to_text(html) == "The report is long. You can read more about it in the annex."
    assert html_to_text("<p>Done.Read more »</p>") == "Done…"
    assert html_to_text("<p>[Continue reading…]</p>") == ""
