"""Readers' digest topics: parsed as typed, repeats once, refused whole past the limits."""

from __future__ import annotations

import pytest

from summaries.errors import TopicsError
from summaries.topics import parse_topics, split_topics, topics_or_all


def test_topics_are_refused_whole_never_cut() -> None:
    assert parse_topics("Rail, rail!, climate  change") == ("Rail", "climate change")
    assert parse_topics("x" * 40) == ("x" * 40,)
    with pytest.raises(TopicsError, match=r"at most 40 characters, and 'x+' is 41"):
        parse_topics("rail, " + "x" * 41)
    assert len(parse_topics(", ".join(f"t{n}" for n in range(10)) + ", t0, T1")) == 10  # repeats
    with pytest.raises(TopicsError, match="That's 11 topics; the most is 10"):
        parse_topics(", ".join(f"t{n}" for n in range(11)))
    with pytest.raises(TopicsError, match="Topics need words"):
        parse_topics(", ,--")


def test_topics_are_kept_as_typed_and_matched_on_their_words() -> None:
    assert parse_topics("<b>x</b>, &amp;") == ("<b>x</b>", "&amp;")  # not "b x b, amp"
    repeats = "Climate\u200b change, CLIMATE CHANGE, Café, cafe"
    assert parse_topics(repeats) == ("Climate change", "Café")
    assert parse_topics("economy,, ") == ("economy",)  # empty ones between commas say nothing
    with pytest.raises(TopicsError, match=r"Topics need words, and '🚆' has none\. Nothing"):
        parse_topics("economy, 🚆")  # refused whole: not silently dropped


def test_topics_after_a_letter_that_lowercases_longer_are_cut_right() -> None:
    assert split_topics("8:00 İstanbul Topics: rail") == ("8:00 İstanbul ", "topics:", " rail")


def test_all_or_none_means_every_article_and_the_subscribe_prefix_is_dropped() -> None:
    assert topics_or_all("All") == topics_or_all(" none ") == ()
    assert topics_or_all("Topics: rail, climate") == ("rail", "climate")
    with pytest.raises(TopicsError, match=r"Topics need words: e\.g\."):
        topics_or_all("topics: ,")
