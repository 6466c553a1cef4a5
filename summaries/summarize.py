"""Extractive summaries: whole sentences of the article, in its order, by any sumy method."""

import math
import random
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summaries.boilerplate import drop_boilerplate
from summaries.errors import EmptyTextError, SummaryError, TextTooLongError, UnknownMethodError
from summaries.languages import is_summarized, known_language, splitter_for
from summaries.lexicon import stemmer, stop_words
from summaries.news import TRAINED_LANGUAGES, NewsSummarizer
from summaries.tokenizer import (
    OfflineTokenizer,
    check_language,
    split_headline,
    split_paragraphs,
    tokenizer_for,
)

DEFAULT_METHOD = "news"
DEFAULT_SENTENCES = 3
# Raise when a change of these rules changes summaries: stored ones are then recomputed.
# 2: the headline repeated as the text's first line is no longer a sentence.
# 3: nor is a first line alone without a final stop, when the title given is another.
# 4: nor are bylines and time stamps ("By . Jane Doe . PUBLISHED: . 13:12 EST, ...").
# 5: the news default is a new model (gradient-boosted trees, sentences chosen together).
# 6: a line that is only a byline goes wherever it stands (below a standfirst, at the end).
RULES_VERSION = 6
_SUMY: dict[str, Callable[..., Any]] = {
    "news": NewsSummarizer,
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "edmundson": EdmundsonSummarizer,
    "sumbasic": SumBasicSummarizer,
    "kl": KLSummarizer,
    "reduction": ReductionSummarizer,
}
METHODS: tuple[str, ...] = ("news", "lead", "lexrank", "textrank", "lsa", "luhn", "edmundson",
                            "sumbasic", "kl", "reduction", "random")  # fmt: skip
# Sentences at most for the methods whose cost grows faster than the text: LexRank and
# TextRank rate every pair of sentences, LSA takes an SVD of the term x sentence matrix,
# Reduction compares every pair, KL re-scores every sentence for each pick. 20,000 sentences
# of LexRank ran for 13 minutes in 1.25 GB; at these limits one call takes about 3 to 6 s
# (measured in BENCHMARKS.md), and twice the limit about four times as long.
MAX_SENTENCES: dict[str, int] = {
    "lexrank": 500,
    "textrank": 1000,
    "lsa": 500,
    "reduction": 1000,
    "kl": 200,
}
LINEAR_METHODS = ("news", "lead")  # for any length: what a too-long text is pointed to
# Edmundson's cue method needs words that mark unimportant sentences; hedges and asides do.
_STIGMA_WORDS = ("hardly", "impossible", "perhaps", "maybe", "meanwhile", "reportedly", "unclear")


def summarize(
    text: str,
    *,
    title: str = "",
    sentences: int | None = None,
    chars: int | None = None,
    method: str = DEFAULT_METHOD,
    language: str = "english",
) -> list[str]:
    """The best whole sentences of `text`, in the article's order.

    Args:
        text: the article; blank lines separate paragraphs, and a newline ends a sentence. A
            first line that repeats the title, or a first line standing alone without a final
            stop, is the headline: never returned (used as the title when none is given).
            Bylines and time stamps are never returned either (see summaries.boilerplate).
        title: the headline, if any: it is never returned, but steers `news` and `edmundson`.
        sentences: how many sentences at most (3 when neither budget is given).
        chars: a character budget instead (1024 for a Telegram caption, 4096 for a message):
            the best-ranked sentences whose single-space join fits. A sentence is never cut,
            so when no sentence fits the result is [] and the caller decides what to show.
        method: one of METHODS; `news`, the default, is tuned for news articles (in English;
            in other languages it is the lead, which it could not beat there).
        language: one of tokenizer.SUPPORTED_LANGUAGES, or another language an article may
            be stored in (summaries.languages): then the first sentences, whatever the method.

    Raises:
        EmptyTextError: no sentence in `text`.
        TextTooLongError: more sentences than MAX_SENTENCES allows `method`.
        UnknownMethodError, UnsupportedLanguageError: as named; SummaryError: both budgets.
    """
    if sentences is not None and chars is not None:
        raise SummaryError("give either sentences or chars, not both")
    if method not in METHODS:
        raise UnknownMethodError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if not is_summarized(language) and known_language(language):  # no stems, no stop words
        method, language = "lead", splitter_for(language)
    document, title = prepare(text, title, language)
    found = document.sentences
    if not found:
        raise EmptyTextError("there is no sentence to summarize")
    check_length(len(found), method)
    ranking = rank(document, method, title, check_language(language))
    if chars is None:
        chosen = ranking[: DEFAULT_SENTENCES if sentences is None else max(sentences, 0)]
    else:
        chosen = fit_chars(ranking, [len(str(s)) for s in found], chars)
    return [str(found[i]) for i in sorted(chosen)]


def prepare(text: str, title: str, language: str) -> tuple[ObjectDocumentModel, str]:
    """The article as every method sees it (and bench/train_news.py trains on): the headline
    split off and used as the title, bylines and time stamps dropped, then the document of the
    story's sentences, and the title.
    """
    tokenizer = tokenizer_for(check_language(language))
    headline, text = split_headline(text, title)  # the headline is no sentence of the story
    if title and not headline:  # a headline other than the title given (pasted, retitled):
        headline, text = split_headline(text)  # a first line alone, with no stop, is one too
    title = title or headline
    text = drop_boilerplate(text)  # bylines and time stamps are no sentences of the story
    return build_document(text, title, tokenizer), title


def check_length(count: int, method: str) -> None:
    """TextTooLongError if `method` can't rank `count` sentences in reasonable time."""
    limit = MAX_SENTENCES.get(method)
    if limit is not None and count > limit:
        raise TextTooLongError(
            f"the text has {count} sentences; {method} takes at most {limit} (its time grows "
            f"faster than the text); use {' or '.join(LINEAR_METHODS)}, which take any length"
        )


def build_document(text: str, title: str, tokenizer: OfflineTokenizer) -> ObjectDocumentModel:
    """sumy's document: paragraphs at blank lines, each sentence once, the title as a heading."""
    seen: set[str] = set()  # sumy rates sentences by text: a repeated one would count twice
    paragraphs = []
    for block in split_paragraphs(text):
        fresh = [s for s in dict.fromkeys(tokenizer.to_sentences(block)) if s not in seen]
        seen.update(fresh)
        if fresh:
            paragraphs.append(Paragraph([Sentence(s, tokenizer) for s in fresh]))
    heading = " ".join(title.split())
    if heading:  # headings are left out of document.sentences, so it is never returned
        paragraphs.insert(0, Paragraph([Sentence(heading, tokenizer, is_heading=True)]))
    return ObjectDocumentModel(paragraphs)


def rank(document: ObjectDocumentModel, method: str, title: str, language: str) -> list[int]:
    """Indices of document.sentences, best first, as `method` rates them."""
    count = len(document.sentences)
    if method == "lead" or (method == "news" and language not in TRAINED_LANGUAGES):
        return list(range(count))  # the news model knows English only: elsewhere, the lead
    if method == "random":  # the floor; seeded by the text so results are reproducible
        order = list(range(count))
        seed = zlib.crc32("\n".join(map(str, document.sentences)).encode())
        random.Random(seed).shuffle(order)  # noqa: S311  # not for secrets
        return order
    summarizer = make_summarizer(method, language, document)
    ranked: list[Any] = []

    def keep_all(infos: Sequence[Any]) -> Sequence[Any]:  # sumy passes infos best first
        ranked.extend(infos)
        return infos

    with numpy.errstate(all="ignore"), warnings.catch_warnings():
        # LexRank divides by zero when no word is shared (NaN ratings, ranked last below);
        # LSA warns when a short text has fewer distinct words than sentences.
        warnings.simplefilter("ignore", UserWarning)
        summarizer(document, keep_all)
    order = [i.order for i in sorted(ranked, key=lambda i: (_worst_first(i.rating), i.order))]
    # Some methods skip sentences they can't rate (e.g. only stop words): those come last, in
    # article order, so a short text still gives what it has.
    rated = set(order)
    return order + [i for i in range(count) if i not in rated]


def _worst_first(rating: float) -> float:
    """A sort key: higher ratings first, NaN (no evidence) after everything."""
    return math.inf if math.isnan(rating) else -float(rating)


def make_summarizer(method: str, language: str, document: ObjectDocumentModel) -> Any:
    """A sumy summarizer with the language's stemmer and stop words."""
    if method != "edmundson":  # the others keep no state of a document: one serves all
        return shared_summarizer(method, language)
    summarizer = _SUMY[method](stemmer(language))
    summarizer.null_words = stop_words(language)
    summarizer.stigma_words = _STIGMA_WORDS
    summarizer.bonus_words = bonus_words(document, stop_words(language))
    return summarizer


@cache
def shared_summarizer(method: str, language: str) -> Any:
    """One summarizer per method and language: setting stop words lowercases every one of
    them, 0.06 ms a call, which is 4% of the default's time on a 30-sentence article."""
    summarizer = _SUMY[method](stemmer(language))
    if hasattr(summarizer, "stop_words"):
        summarizer.stop_words = stop_words(language)
    return summarizer


def bonus_words(document: ObjectDocumentModel, stop: frozenset[str]) -> list[str]:
    """The headline's content words, or without one the document's ten most frequent."""
    source = document.headings or document.sentences
    words = [w.lower() for s in source for w in s.words if w.lower() not in stop]
    return [w for w, _ in Counter(words).most_common(10)] or ["news"]


def fit_chars(ranking: list[int], lengths: list[int], chars: int) -> list[int]:
    """Take sentences best first while their single-space join fits in `chars`."""
    chosen: list[int] = []
    used = -1  # n sentences take n - 1 joining spaces
    for index in ranking:
        if used + 1 + lengths[index] <= chars:
            chosen.append(index)
            used += 1 + lengths[index]
    return chosen
