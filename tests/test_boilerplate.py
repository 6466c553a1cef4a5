"""Bylines and time stamps are left out of summaries; datelines and story sentences stay."""

import json
import re

import pytest

from summaries.boilerplate import drop_boilerplate
from summaries.summarize import METHODS, summarize
from summaries.tokenizer import split_sentences
from tests.helpers.samples import FIXTURE_ARTICLE, SHARED

TRAIN = [
    json.loads(line)
    for line in (SHARED / "eval" / "train_mixed.jsonl").read_text("utf-8").splitlines()
]
BYLINED = [a["text"] for a in TRAIN if a["text"].startswith("By . ")]
# The flattened byline as the source pipeline wrote it, spelled out independently of the module:
# "By . NAME . [and NAME . ][Follow @handle . ][PUBLISHED: . TIME . | . ][UPDATED: . TIME . ]
# [Last updated at TIME . ]" and then the story.
FLAT_BYLINE = re.compile(
    r"By \. [^.]+? \. (?:and [^.]+? \. )?(?:Follow @\w+ \. )?"
    r"(?:PUBLISHED: \. [^.|]+ \. \| \. )?(?:UPDATED: \. [^.|]+ \. )?(?:Last updated at [^.]+ \. )?"
)
BOILERPLATE = ("By .", "PUBLISHED", "UPDATED", "Last updated", "Follow @")
WIRE_TITLE, WIRE_BODY = FIXTURE_ARTICLE.read_text("utf-8").split("\n", 1)
WIRE_LEAD = split_sentences(WIRE_BODY)[0]


def test_only_the_openings_with_a_byline_or_times_change_and_only_there() -> None:
    changed = [a["text"] for a in TRAIN if drop_boilerplate(a["text"]) != a["text"]]
    assert len(BYLINED) == 84
    assert len(changed) == 85  # and one that opens with "Published: . 19:32 EST, ..."
    assert all(text.endswith(drop_boilerplate(text)) for text in changed)


@pytest.mark.parametrize("text", BYLINED, ids=lambda t: t[5:30])
def test_a_flattened_daily_mail_byline_is_no_summary_sentence(text: str) -> None:
    story = text[FLAT_BYLINE.match(text).end() :]  # type: ignore[union-attr]
    assert summarize(text, method="lead")[0] == split_sentences(story)[0]
    first = summarize(text)[0]
    assert not any(marker in first for marker in BOILERPLATE), first


@pytest.mark.parametrize(
    ("opening", "story"),
    [
        (
            "By . Alex Ward . PUBLISHED: . 13:12 EST, 12 October 2012 . | . UPDATED: . "
            "13:47 EST, 12 October 2012 . ",
            "Crime behind bars: Damien Miller will spend another ten years in jail",
        ),
        ("By . Ian Drury . Last updated at 7:26 PM on 6th October 2011 . ", "They fought, and"),
        ("By . Daily Mail Reporter . Rescue", "Rescue crews were scouring"),
        ("By . Sally Lee . and Australian Associated Press . ", "Australian police today"),
        ("By . Craig Hope . Follow @CraigHope_DM . ", "Gus Poyet does not want"),
        ("By . James White . UPDATED: . 06:48 EST, 13 February 2012 . ", "The U.S."),
        ("By . Dan Bloom for MailOnline . ", "A bid to win favour"),
        ("By . Sean Poulter, Consumer Affairs Editor . PUBLISHED: . ", "They put a smile"),
        (
            "Published: . 19:32 EST, 11 May 2014 . | . Updated: . 09:56 EST, 12 May 2014 . ",
            "Pensioners who require long-term care",
        ),
    ],
)
def test_every_variant_in_the_training_file(opening: str, story: str) -> None:
    (text,) = [a["text"] for a in TRAIN if a["text"].startswith(opening)]
    assert drop_boilerplate(text).startswith(story)
    assert summarize(text, method="lead")[0].startswith(story)


def test_a_cnn_editors_note_that_only_says_when_goes() -> None:
    text = (
        "(CNN)[Breaking news update, posted 9:04 p.m. ET] . The live stream showed the wreck. "
        "[Previous story, posted at 7:47 p.m. ET] . It's a journey beneath the waves."
    )
    assert summarize(text, method="lead") == [
        "(CNN)The live stream showed the wreck.",
        "It's a journey beneath the waves.",
    ]


PASTED = [
    "By Jane Doe | Published: 10:02, 12 October 2012 | Updated: 11:40, 12 October 2012\n",
    "By JANE DOE, Associated Press\n",
    "By Jane Doe, CNN Updated 2:13 PM ET, Mon March 2, 2015\n",
    "By Jane Doe and John Smith, Reuters\nPublished: 10:02 EST, 12 October 2012\n\n",
    "Last updated at 9:47 AM on 12th October 2012\n",
    "Updated 2:13 PM ET, Mon March 2, 2015\n",
    "PUBLISHED: . 13:12 EST, 12 October 2012 .\n",
    "By . Mark Duell and Associated Press Reporter . ",
    "By The Associated Press\n",
    "BY JANE DOE\n",
    "By Jane Doe, CNN\nUpdated 1508 GMT (2308 HKT) March 2, 2015\n",
]

# What of those bylines a summary would show if one were left in.
LEAKS = ("Jane", "JANE", "Duell", "Associated", ":12 EST", "10:02", "2:13 PM", "9:47 AM", "HKT")


@pytest.mark.parametrize("byline", PASTED)
@pytest.mark.parametrize("method", METHODS)
def test_a_pasted_byline_is_no_summary_sentence_for_any_method(byline: str, method: str) -> None:
    text = f"{WIRE_TITLE}\n{byline}{WIRE_BODY}"
    summary = summarize(text, title=WIRE_TITLE, method=method, sentences=30)
    assert not any(part in " ".join(summary) for part in LEAKS)
    if method == "lead":
        assert summary[0] == WIRE_LEAD


def test_the_wire_story_keeps_its_dateline() -> None:
    text = f"{WIRE_TITLE}\nBy Lizbeth Diaz | Published: 10:02 EST, 25 July 2019\n{WIRE_BODY}"
    assert WIRE_LEAD.startswith("MEXICO CITY, July 25( Reuters)")
    assert summarize(text, title=WIRE_TITLE, method="lead")[0] == WIRE_LEAD
    assert summarize(text, title=WIRE_TITLE)[0] == WIRE_LEAD


def test_a_byline_or_time_stamp_line_goes_wherever_it_stands() -> None:
    text = "The council met.\nUpdated: 11:40 GMT, 12 October 2012\nIt voted.\nBy Jane Doe\n"
    assert drop_boilerplate(text) == "The council met.\nIt voted.\n"


STANDFIRST = (
    "Storm floods coastal town\n\n"
    "Hundreds of homes were flooded as the storm surge breached sea defences.\n"
    "{byline}\n"
    "The river rose by two metres overnight, officials said on Monday. Residents of the low "
    "town were evacuated to a school gym. Roads into the town were closed until Tuesday.\n"
)


@pytest.mark.parametrize(
    "byline",
    ["By Jane Doe, Associated Press", "By Jane Doe | Published: 10:02, 12 October 2012"],
)
@pytest.mark.parametrize("method", ["news", "lead"])
def test_a_byline_below_the_standfirst_is_no_sentence(byline: str, method: str) -> None:
    text = STANDFIRST.format(byline=byline)
    summary = summarize(text, method=method)
    assert len(summary) == 3
    assert not any("Jane Doe" in sentence for sentence in summary)


def test_a_byline_inside_a_line_of_the_story_stays() -> None:
    text = "The council met on Monday.\nBy Jane Doe's count, it voted twice.\n"
    assert drop_boilerplate(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "By the time police arrived, the gunman had fled. Two people were hurt.",
        "By Tuesday, the river had risen by two metres.\nResidents left their homes.",
        "By 2030 the city wants every bus to run on electricity.",
        "By Tuesday\nthe river had risen.",
        "By Then . The band's second album came out in 1998.",
        "By law, landlords must fix the heating within a day.",
        "By . the end of the week . the talks had collapsed.",
        "By Christmas . Shops were empty.",
        "By The Way, the shop stays open.",
        "BY 2030 THE CITY WANTS ELECTRIC BUSES.",
        "By Jane Doe Updated the list\nof winners on Monday.",
        "The report, published on Monday, found 300 faults.",
        "Published on Monday, the report found 300 faults.",
        "Updated figures show 2,000 more cases.\nUpdated: the figures.",
        "Posted at 9:04 on Monday night, the video was seen by millions.",
        "LONDON (Reuters) - Police closed streets on Saturday.",
        "(CNN) -- A 2-year-old was found on Wednesday.",
        "MEXICO CITY (AP) — The army moved in.",
        "Photographs by Jane Doe won the prize. Her work was shown in Paris.",
        "[Updated with the mayor's reply]. The mayor said no.",
    ],
)
def test_story_text_is_never_dropped(text: str) -> None:
    assert drop_boilerplate(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "By Jane Doe | Published: 10:02, 12 October 2012",
        "By . Daily Mail Reporter . ",
        "Updated 2:13 PM ET, Mon March 2, 2015\n",
    ],
)
def test_a_text_that_is_only_a_byline_is_left_as_given(text: str) -> None:
    assert drop_boilerplate(text) == text
    assert summarize(text, method="lead")
