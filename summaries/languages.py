"""The language of an article given without one, told offline from its text.

py3langid's model (langid.py's naive Bayes over byte n-grams) ships inside its wheel, so
nothing is downloaded. It is asked only about languages a newsroom may meet: the ones we
summarize and the widely written others, which are kept and summarized by their first
sentences. Rare ones it knows (Nigerian Pidgin, Pulaar, ...) took short English texts.
"""

from functools import cache
from typing import Any

from babel import Locale

from summaries.tokenizer import SUPPORTED_LANGUAGES

# Our summarizer's languages by their two-letter codes: a feed's or a page's declared
# language (bot/fetch.py) and a source's --language read with it.
LANGUAGES_BY_CODE = {
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "it": "italian",
    "no": "norwegian",
    "nb": "norwegian",  # Bokmål
    "nn": "norwegian",  # Nynorsk: the same Punkt model and Snowball stemmer serve it
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "es": "spanish",
    "sv": "swedish",
    "tr": "turkish",
    "uk": "ukrainian",
}
# Written widely, but with no stemmer, stop words or sentence model here: told, kept, and
# summarized as the lead.
_OTHERS = (
    "af am ar az be bg bn bs ca cy et eu fa ga gl he hi hr hu hy id is ja ka kk km ko lt lv mk"
    " ms mt ne ro sk sl so sq sr sw ta te th tl ur uz vi zh"
)
OTHER_CODES = tuple(_OTHERS.split())
MIN_LETTERS = 30  # fewer ("Hello world.", a short headline) are too few to tell
MIN_CONFIDENCE = 0.9  # py3langid's normalized probability; below it we don't know
DETECT_CHARS = 2_000  # the headline and the story's start tell the language
DEFAULT_LANGUAGE = "english"  # what an article is when its language can't be told
LEAD_SPLITTER = "english"  # Punkt's English model cuts a led language at . ! and ?


@cache
def _identifier() -> Any:
    """The model, loaded once on first use (1.3 s), restricted to the languages we name."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    codes = {*LANGUAGES_BY_CODE, *OTHER_CODES} & set(identifier.labels)  # it says "no", not "nb"
    identifier.set_languages(sorted(codes))
    return identifier


@cache
def other_languages() -> dict[str, str]:
    """Names of the languages told but not summarized ("swahili"), by code."""
    return {code: (Locale.parse(code).english_name or code).lower() for code in OTHER_CODES}


def known_language(name: str) -> bool:
    """True for a language an article may be stored in: summarized, or told and led."""
    return name in LANGUAGES_BY_CODE.values() or name in other_languages().values()


def detect_language(text: str) -> str | None:
    """The text's language by our name for it ("russian", "swahili"), or None when unsure:
    too few letters, or no language clearly ahead."""
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(text)
    if confidence < MIN_CONFIDENCE:
        return None
    return LANGUAGES_BY_CODE.get(code) or other_languages().get(code)


def language_named(given: str) -> str:
    """Our name for a language given by name or ISO code, any case: "de", "pt-BR" and
    "German" are "german", "portuguese"... ("" stays "": none given; anything else as typed)."""
    name = given.strip().lower()
    code = name.replace("_", "-").split("-", maxsplit=1)[0]
    names = {**other_languages(), **LANGUAGES_BY_CODE}
    return names.get(name) or names.get(code) or name


def display_name(name: str) -> str:
    """A stored language name as readers write it: "swahili" is "Swahili"."""
    return name[:1].upper() + name[1:]


def is_summarized(name: str) -> bool:
    """True for a language every method summarizes; the others get their lead."""
    return name in SUPPORTED_LANGUAGES


def splitter_for(name: str) -> str:
    """The language whose sentence splitter serves `name`: its own, or the lead's."""
    return name if is_summarized(name) else LEAD_SPLITTER


def told_language(title: str, body: str) -> str:
    """The language of an article given without one: told from its headline and start,
    English when it can't be told (too short, or no language clearly ahead)."""
    return detect_language(f"{title}\n{body}"[:DETECT_CHARS]) or DEFAULT_LANGUAGE
