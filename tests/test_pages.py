"""Paging an article's full text: every page within the limit, cut at the best place, and
nothing lost, doubled or reordered."""

from __future__ import annotations

import pytest

from summaries.length import tg_len
from summaries.pages import paginate, safe_prefix
from tests.helpers.samples import LAST_SENTENCE, long_article

LIMIT = 4096


def words(text: str) -> list[str]:
    return text.split()


def test_a_100000_character_article_pages_to_its_last_sentence() -> None:
    text = long_article(100_000)
    assert len(text) >= 100_000
    pages = paginate(text, LIMIT, head=40, tail=30)
    assert len(pages) > 6  # more than the old cap of six messages
    assert all(0 < tg_len(page) <= LIMIT for page in pages)
    assert tg_len(pages[0]) <= LIMIT - 40
    assert tg_len(pages[-1]) <= LIMIT - 30
    assert words(" ".join(pages)) == words(text)  # in order, none lost, none twice
    assert pages[-1].endswith(LAST_SENTENCE)
    assert all(page.endswith(".") for page in pages)  # between sentences, every one
    assert all(page == page.strip() for page in pages)


def test_pages_break_between_paragraphs_when_the_page_is_half_full() -> None:
    paragraphs = [
        f"Paragraph {i}. " + "A sentence of the story. " * (20 + i % 50) for i in range(60)
    ]
    pages = paginate("\n\n".join(paragraphs), LIMIT)
    starts = {p.strip()[:14] for p in paragraphs}
    assert all(page[:14] in starts for page in pages)  # each page opens a paragraph
    assert all(tg_len(page) >= LIMIT // 2 for page in pages[:-1])


def test_the_same_text_always_pages_the_same() -> None:
    text = long_article(30_000, seed=3)
    assert paginate(text, LIMIT, head=12) == paginate(text, LIMIT, head=12)


def test_a_long_paragraph_without_sentence_ends_is_cut_between_words() -> None:
    text = " ".join(f"word{i}" for i in range(900))  # about 6,000 characters, no full stop
    assert len(text) > 5_000
    pages = paginate(text, LIMIT)
    assert len(pages) == 2
    assert all(tg_len(page) <= LIMIT for page in pages)
    assert words(pages[0]) + words(pages[1]) == words(text)  # no word cut in two
    assert tg_len(pages[0]) > LIMIT - 10  # the first page is filled


def test_a_giant_word_is_cut_between_characters() -> None:
    pages = paginate("x" * 10_000 + " Tail.", LIMIT)
    assert [len(page) for page in pages] == [4096, 4096, 1808 + 6]
    assert "".join(pages).replace(" ", "") == "x" * 10_000 + "Tail."


@pytest.mark.parametrize(
    "unit",
    ["😀", "🇺🇦", "👨\u200d👩\u200d👧", "👍🏽", "❤\ufe0f", "e\u0301"],
    ids=["emoji", "flag", "family", "skin-tone", "variation", "combining"],
)
def test_astral_characters_count_twice_and_stay_whole(unit: str) -> None:
    text = unit * (9_000 // tg_len(unit))  # no space: cut between characters
    pages = paginate(text, LIMIT)
    assert all(tg_len(page) <= LIMIT for page in pages)
    assert all(len(page) % len(unit) == 0 for page in pages), "a character sequence was split"
    assert "".join(pages) == text
    assert tg_len(pages[0]) > LIMIT - tg_len(unit) - 1  # filled, in UTF-16 units


def test_emoji_with_spaces_are_cut_between_them() -> None:
    text = "😀 " * 3_000
    pages = paginate(text, LIMIT)
    assert all(tg_len(page) <= LIMIT for page in pages)
    assert sum(page.count("😀") for page in pages) == 3_000


def test_a_text_that_fits_is_one_page_whatever_its_length() -> None:
    text = "A" * (LIMIT - 30)
    assert paginate(text, LIMIT, head=20, tail=10) == [text]
    assert len(paginate(text + "A", LIMIT, head=20, tail=10)) == 2
    assert paginate("", LIMIT) == [""]


def test_the_last_page_makes_room_for_the_link() -> None:
    paragraphs = [("Sentence one is here. " * 90).strip()] * 2  # about 2,000 characters each
    text = "\n\n".join(paragraphs)
    assert paginate(text, LIMIT) == [text]  # one page without the link
    pages = paginate(text, LIMIT, tail=200)
    assert len(pages) == 2
    assert tg_len(pages[-1]) <= LIMIT - 200
    assert words(" ".join(pages)) == words(text)


def test_html_special_characters_are_text_like_any_other() -> None:
    text = "\n\n".join(["a<b & c>d &amp; " * 300] * 3)
    pages = paginate(text, LIMIT)
    assert all(tg_len(page) <= LIMIT for page in pages)
    assert words(" ".join(pages)) == words(text)


def test_safe_prefix_backs_off_to_a_whole_character() -> None:
    assert safe_prefix("🇺🇦🇺🇦", 6) == "🇺🇦"  # 6 units would end inside the second flag
    assert safe_prefix("ab\u0301c", 2) == "a"  # not before the accent
    assert safe_prefix("😀😀", 3) == "😀"


def test_a_language_we_only_lead_pages_with_the_leads_splitter() -> None:
    """Swahili is detected and stored, not summarized: its pages still cut between sentences."""
    sentence = "Serikali imetangaza mpango mpya wa maji kwa vijiji vya pwani mwaka huu. "
    text = sentence * 200  # one paragraph, twice a page
    pages = paginate(text, LIMIT, language="swahili")
    assert len(pages) > 1
    assert all(page.endswith(".") for page in pages)
    assert words(" ".join(pages)) == words(text)
