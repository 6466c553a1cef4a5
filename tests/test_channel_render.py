"""A channel post's layouts and their limits, in UTF-16 units of the text Telegram shows."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from telegram.constants import MessageLimit

from bot import render
from bot.render.channel import (
    WITHDRAWN,
    ChannelPost,
    channel_post,
    withdrawn_caption,
    withdrawn_text,
)
from summaries.models import Article

SUMMARY = ["The council voted for a bridge.", "It opens in 2028."]


def article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": 12, "title": "Bridge & <river>", "body": "Body.", "language": "english",
        "url": "https://www.example.org/a?x=1&y=<2>", "has_photo": True, "photo_url": None,
        "photo_file_id": None, "photo_caption": "Caption & <stuff>", "photo_credit": "AP & Co",
        "published_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC), "created_by": None,
        "updated_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC),
    }  # fmt: skip
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def shown(fragment: str) -> str:
    """What Telegram shows: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def units(fragment: str) -> int:
    return len(shown(fragment).encode("utf-16-le")) // 2


def post(a: Article, summary: list[str] = SUMMARY, start_param: str | None = None) -> ChannelPost:
    return channel_post(a, summary, bot_username="newsbot", start_param=start_param, tz=UTC)


def test_a_summary_that_fits_goes_whole_in_the_caption_with_the_button() -> None:
    p = post(article())
    assert (p.photo, p.text) == (True, None)
    assert p.caption is not None
    assert shown(p.caption) == (  # /read's caption, then /read's summary message
        "Bridge & <river>\n\nCaption & <stuff>\n\nPhoto: AP & Co\n\n25 Nov 2026, 07:05\n\n"
        "The council voted for a bridge. It opens in 2028.\n\nSource: example.org"
    )
    assert 'href="https://www.example.org/a?x=1&amp;y=&lt;2&gt;"' in p.caption
    [[button]] = p.keyboard.inline_keyboard
    assert button.url == "https://t.me/newsbot?start=12"
    assert "Read in the bot" in button.text


def test_the_start_parameter_is_the_callers() -> None:
    [[button]] = post(article(), start_param="a12o3").keyboard.inline_keyboard
    assert button.url == "https://t.me/newsbot?start=a12o3"


def test_a_long_summary_makes_the_photo_then_reads_mode_text() -> None:
    a = article()
    summary = [f"Sentence {i} of a long summary about the bridge." for i in range(40)]
    p = post(a, summary)
    assert p.photo
    assert p.caption == render.photo_caption(a)  # /read's photo caption
    assert p.text == render.summary_text(a, summary, UTC, with_title=False)  # /read's summary
    assert p.text is not None
    assert "Sentence 39" in shown(p.text)


def test_no_photo_is_one_text_message_with_the_headline() -> None:
    a = article(has_photo=False)
    p = post(a)
    assert (p.photo, p.caption) == (False, None)
    assert p.text == render.summary_text(a, SUMMARY, UTC, with_title=True)


def test_the_summary_is_never_cut_short_in_the_caption() -> None:
    a = article()
    summary = ["x" * 330, "y" * 330, "z" * 330]  # the third would not fit beside the rest
    p = post(a, summary)
    assert p.text is not None
    assert "z" * 330 in p.text


HOSTILE = [
    {"title": "T" * 5000},
    {"title": "🇺🇦🎉" * 900},
    {"title": "<b>&amp;</b> & \"quotes\" 'n' <script>" * 40},
    {"photo_credit": "C" * 1000},
    {"photo_credit": "😀" * 1000, "photo_caption": "𝔸" * 2000},
]


@pytest.mark.parametrize("fields", HOSTILE)
@pytest.mark.parametrize("summary", [SUMMARY, ["😀 " * 300], ["<&> " * 200] * 30])
def test_every_layout_keeps_telegrams_limits(
    fields: dict[str, object], summary: list[str]
) -> None:
    for has_photo in (True, False):
        p = post(article(**{"has_photo": has_photo, **fields}), summary)
        if p.caption is not None:
            assert units(p.caption) <= MessageLimit.CAPTION_LENGTH
            assert "<script>" not in p.caption
        if p.text is not None:
            assert units(p.text) <= MessageLimit.MAX_TEXT_LENGTH
            assert "<script>" not in p.text
        assert p.photo == has_photo
        assert p.caption is not None or p.text is not None


def test_a_1000_character_credit_is_clipped_and_the_summary_still_shown() -> None:
    p = post(article(photo_credit="C" * 1000))
    assert p.caption is not None
    assert p.text is None
    assert "The council voted for a bridge. It opens in 2028." in shown(p.caption)
    assert "C" * 150 in p.caption
    assert "C" * 1000 not in p.caption


@pytest.mark.parametrize(
    "credit",
    ["Photo: A. Reporter", "photograph: A. Reporter", "PICTURE:A. Reporter", "Image: A. Reporter",
     "Credit: A. Reporter", "Foto: A. Reporter", "Фото: A. Reporter"],
)  # fmt: skip
def test_a_credit_with_its_own_label_is_not_labelled_again(credit: str) -> None:
    for a in (article(photo_credit=credit), article(photo_credit=credit, photo_caption="")):
        for caption in (post(a).caption or "", render.photo_caption(a)):  # channel and /read
            assert shown(caption).count("A. Reporter") == 1
            assert f"\n\n{credit}" in shown(caption)
            assert "Photo: Photo" not in caption
    assert "Photo: Photographers' pool" in shown(
        render.photo_caption(article(photo_credit="Photographers' pool"))
    )


def test_a_caption_too_long_beside_the_summary_makes_two_messages_as_read_does() -> None:
    a = article(photo_caption="A long caption of the photo. " * 34)
    p = post(a)
    assert p.caption == render.photo_caption(a)
    assert p.text == render.summary_text(a, SUMMARY, UTC, with_title=False)
    assert p.text is not None
    assert "25 Nov 2026, 07:05" in shown(p.text)


def test_withdrawn_says_so_with_the_headline_within_limits() -> None:
    a = article(title="🇺🇦 <war> & peace " * 400)
    text, caption = withdrawn_text(a), withdrawn_caption(a)
    assert shown(text).startswith(WITHDRAWN)
    assert shown(caption).startswith(WITHDRAWN)
    assert "🇺🇦 <war> & peace" in shown(text)
    assert "&lt;war&gt;" in caption
    assert units(text) <= MessageLimit.MAX_TEXT_LENGTH
    assert units(caption) <= MessageLimit.CAPTION_LENGTH
