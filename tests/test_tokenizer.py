import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import punkt
import pytest
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.utils import get_stop_words

from summaries.errors import UnsupportedLanguageError
from summaries.languages import LANGUAGES_BY_CODE
from summaries.lexicon import ISO_STOP_WORDS, stemmer, stop_words
from summaries.tokenizer import (
    SUPPORTED_LANGUAGES,
    OfflineTokenizer,
    split_sentences,
    tokenizer_for,
)

SHARED = Path(__file__).parents[2] / "shared"
FIXTURE = SHARED / "fixtures" / "haunting-photo-article.txt"


def dev_text(article_id_prefix: str) -> str:
    with (SHARED / "eval" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["id"].startswith(article_id_prefix):
                return str(item["text"])
    raise LookupError(article_id_prefix)


def has_lexicon(language: str) -> bool:
    try:
        stemmer(language)("word")
        return bool(stop_words(language))
    except LookupError:
        return False


def test_supported_languages_are_those_with_sentences_stems_and_stop_words() -> None:
    # Punkt's models, plus Ukrainian on Russian's; a stemmer and stop words from sumy, NLTK,
    # snowballstemmer or stopwords-iso (summaries.lexicon)
    candidates = {*punkt.available_languages(), "ukrainian"}
    assert set(SUPPORTED_LANGUAGES) == {lang for lang in candidates if has_lexicon(lang)}
    assert {"russian", "ukrainian", "dutch", "danish", "norwegian", "finnish", "turkish"} <= set(
        SUPPORTED_LANGUAGES
    )


def test_sumy_alone_still_supports_the_first_ten() -> None:
    stop_word_files = resources.files("sumy") / "data" / "stopwords"
    sumy_languages = {
        Path(f.name).stem for f in stop_word_files.iterdir() if f.name.endswith(".txt")
    }
    for language in set(SUPPORTED_LANGUAGES) - set(ISO_STOP_WORDS) - {"ukrainian", "turkish"}:
        assert language in sumy_languages
        Stemmer(language)
        get_stop_words(language)


def test_unknown_language_names_the_supported_ones() -> None:
    with pytest.raises(UnsupportedLanguageError, match="english") as caught:
        OfflineTokenizer("klingon")
    assert "klingon" in str(caught.value)
    with pytest.raises(UnsupportedLanguageError):
        split_sentences("Hi.", language="slovak")  # sumy has it, the Punkt package does not


def test_tokenizers_are_cached_and_language_is_normalized() -> None:
    assert tokenizer_for("english") is tokenizer_for("english")
    assert OfflineTokenizer(" English ").language == "english"


@pytest.mark.parametrize(
    "sentences",
    [
        [  # "U.S." mid-sentence and at the end of one
            "(CNN)Following last year's successful U.K. tour, Prince and 3rdEyeGirl are "
            "bringing the Hit & Run Tour to the U.S. for the first time.",
            "So this week, Waring began shipping larger amounts in the Styrofoam cubes, which he "
            "promises will arrive anywhere in the U.S. in less than 20 hours.",
        ],
        [  # Mr., Dr., and a quotation that ends the sentence
            '"In third quarter 2014, Mr. Pugh was under consideration for a future Gryphon '
            'project, but did not meet the qualifications," the airline said in a statement.',
            '"The significance of the altruistic donor is that it opens up possibilities for '
            'pairing compatible donors and recipients," said Dr. Steven Katznelson.',
        ],
        [  # Gen. and Maj. Gen. with an initial, Jan. before a date
            "Gen. Martin Dempsey, chairman of the Joint Chiefs of Staff, expressed his "
            "condolences on Wednesday.",
            "So on December 21, 1864, just as Union Maj. Gen. William T. Sherman's hordes of "
            "soldiers reached Savannah, the ironclad's crew likely opened its water valves.",
            "(That would be the 50th anniversary of the 1960s Batman TV series, which launched "
            "Jan. 12, 1966.)",
        ],
        [  # decimals, initials
            "At first, ShipSnowYo sold snow packed into empty 16.9-ounce water bottles for "
            "$19.99, but the snow usually melted before it reached its destination.",
            "It is exactly what happened when President George W. Bush underwent planned "
            "colonoscopies in 2002 and 2007.",
            "J. R. R. Tolkien wrote it in 3.5 years.",
        ],
        [  # ellipses inside a sentence, and a quote ending with ."
            "\"We haven't adopted the policy of strong short-term stimulus in recent years -- in "
            'other words... we still have plenty of tools in our toolbox," he offered.',
            "He quoted Kafka as helpfully as Corinthians... but he was also someone who noticed "
            'a lot about ordinary human life on earth."',
            "The soldier did not disclose his name.",
        ],
    ],
)
def test_news_sentences_split_where_they_end(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences


def test_dev_article_sentences_come_back_whole() -> None:
    text = dev_text("a4942dd6")
    found = split_sentences(text)
    assert any(s.endswith("said Dr. Steven Katznelson.") for s in found)
    assert " ".join(found) == " ".join(text.split())


def test_newlines_end_headlines_and_paragraphs() -> None:
    found = split_sentences(FIXTURE.read_text(encoding="utf-8"))
    assert (
        found[0]
        == "Haunting Photo Captures Guatemalan Mother Begging Soldier To Let Her Into U.S."
    )
    assert found[1].startswith("MEXICO CITY, July 25( Reuters)")
    assert found[1].endswith("into the United States.")
    assert any("let them cross … she wanted to cross" in s for s in found)  # "…" inside
    assert split_sentences("Headline without a stop\nBody. More body.\n\n\nNext") == [
        "Headline without a stop",
        "Body.",
        "More body.",
        "Next",
    ]


def test_to_words_keeps_words_like_sumy() -> None:
    words = tokenizer_for("english").to_words("Mr. O'Neil's 6-year-old son didn't visit in 2015.")
    assert words == ("Mr", "O'Neil's", "son", "didn't", "visit", "in")


def test_contractions_stay_whole_as_sumy_stop_words_spell_them() -> None:
    words = tokenizer_for("english").to_words("I'm sure it's fine, but they don’t know.")
    assert words == ("I'm", "sure", "it's", "fine", "but", "they", "don't", "know")
    stop = set(get_stop_words("english"))
    assert {"i'm", "it's", "don't"} <= stop  # NLTK's "do", "n't" left "n't" a content word
    assert Stemmer("english")("o'neil's") == "o'neil"  # Snowball drops the possessive itself


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("A well-known, long-running show -- rock--roll.", ("A", "well-known", "long-running",
                                                            "show", "rock", "roll")),
        ("pre- and post-war 'quoted' students' cars", ("pre", "and", "post-war", "quoted",
                                                       "students", "cars")),
        ("3rd 1990s 6-year-old COVID-19 x_y 42 $19.99 @home #tag", ("home", "tag")),
        ("The U.S. team at 5 a.m. (ET) on cnn.com; wow!", ("The", "team", "at", "ET", "on",
                                                           "wow")),
        ("protests...organized by them…all", ("protests", "organized", "by", "them", "all")),
    ],
)  # fmt: skip
def test_words_drop_digits_punctuation_and_dotted_abbreviations(
    sentence: str, words: tuple[str, ...]
) -> None:
    assert tokenizer_for("english").to_words(sentence) == words


@pytest.mark.parametrize(
    ("language", "sentence", "words"),
    [
        ("german", "Die Straße über Köln: Öl für 5-mal.", ("Die", "Straße", "über", "Köln",
                                                          "Öl", "für")),
        ("greek", "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.", ("Η", "Αθήνα", "είναι", "η",
                                                              "πρωτεύουσα", "της", "Ελλάδας")),
        ("polish", "Zażółć gęślą jaźń w Łodzi.", ("Zażółć", "gęślą", "jaźń", "w", "Łodzi")),
        ("czech", "Příliš žluťoučký kůň úpěl ďábelské ódy.", ("Příliš", "žluťoučký", "kůň",
                                                              "úpěl", "ďábelské", "ódy")),
        ("french", "L'homme qu'il voit aujourd'hui, jusqu’à l'été.", ("homme", "il", "voit",
                                                                    "aujourd'hui", "à", "été")),
        ("italian", "Dell'anno c'è un'altra casa.", ("anno", "è", "altra", "casa")),
        ("english", "L'Oréal and O'Brien", ("L'Oréal", "and", "O'Brien")),  # no elision
    ],
)  # fmt: skip
def test_words_in_every_alphabet_and_elisions(
    language: str, sentence: str, words: tuple[str, ...]
) -> None:
    assert tokenizer_for(language).to_words(sentence) == words


def test_every_word_is_one_sumy_keeps() -> None:
    found = [
        w
        for s in split_sentences(dev_text("a4942dd6"))
        for w in tokenizer_for("english").to_words(s)
    ]
    assert len(found) > 300
    assert all(Tokenizer._WORD_PATTERN.match(w) for w in found)


def test_other_languages_split_offline() -> None:
    assert split_sentences("Der Hund bellt. Die Katze schläft.", "german") == [
        "Der Hund bellt.",
        "Die Katze schläft.",
    ]


def test_nothing_reads_or_downloads_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    code = (
        "import nltk, nltk.data\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError(f'nltk data asked for: {args}')\n"
        "nltk.download = nltk.data.find = nltk.data.load = refuse\n"
        "from summaries.summarize import summarize, METHODS\n"
        "text = 'Dr. Smith went home. He was tired. The U.S. team won. Fans cheered.'\n"
        "for method in METHODS:\n"
        "    assert summarize(text, sentences=2, method=method)\n"
        "assert summarize('Der Hund bellt. Die Katze schläft.', language='german')\n"
    )
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert list(empty.iterdir()) == []


def test_every_supported_language_has_a_code_for_feeds_and_pages() -> None:
    assert set(LANGUAGES_BY_CODE.values()) == set(SUPPORTED_LANGUAGES)
