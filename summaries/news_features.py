"""Per-sentence features of a news article, shared by NewsSummarizer and its training script.

All are linear in the article's length (no sentence-by-sentence similarity matrix), so the
default method stays fast on long articles: what the lead says, where a sentence stands,
how long it is, how central its words are, and what it shares with the headline.
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

FEATURES: tuple[str, ...] = (
    "bias",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "inverse_position",
    "log_position",
    "relative_position",
    "log_words",
    "words_30",
    "words_30_squared",
    "short",
    "long",
    "centroid",
    "word_probability",
    "lead_similarity",
    "title_overlap",
    "quote",
    "digit",
    "capitalized",
    "pronoun_start",
    "said",
    "fragment",
    "question",
    "paragraph_start",
    "has_title",
    "title_precision",
    "title_bigram",
    "paragraph_index",
    "space_dot",
    "colon_lead",
    "first_similarity",
    "digits",
    "capital_runs",
    "chars_100",
    "upper_words",
    "by_start",
    "log_count",
    "wire_dateline",
)
# A sentence opening with these leans on the one before it.
_PRONOUNS = frozenset({"he", "she", "it", "they", "this", "that", "these", "those", "his",
                       "her", "their", "but", "and", "so", "also"})  # fmt: skip
_SAID = re.compile(r"\b(?:said|says|told)\b")
_QUOTES = re.compile(r"[\"\u201c\u201d]")
_OPENERS = "\"'\u201c\u2018(["
_CLOSERS = "\"'\u201d\u2019)]"  # closing quotes and brackets may follow the final stop
_FINAL_PUNCTUATION = re.compile(rf"[.!?\u2026][{re.escape(_CLOSERS)}]*$")
# A short label and a colon opening a sentence: Daily Mail captions ("Crime behind bars: ...").
_COLON_LEAD = re.compile(r"^[^\W\d_][^:.!?]{0,40}:\s")
# "LONDON (Reuters) -", "(CNN) --": wire copy's dateline, whose lead carries the story.
_WIRE_DATELINE = re.compile(r"^[^.!?]{0,80}?\(\s*[A-Z][\w .&-]{0,30}\)\s*(?:--|-|\u2013|\u2014)\s")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"(?<!\S)\d")  # a word that starts with a digit
_CAPITALIZED = re.compile(r"\s[A-Z]")  # a capitalized word after the first (English news)
_UPPER_WORD = re.compile(r"\b[A-Z]{2,}\b")  # CNN, PUBLISHED, EST
_CAPITAL_RUN = re.compile(r"(?:\b[A-Z][\w'-]*\s+){1,}[A-Z][\w'-]*")


class SentenceView:
    """What the features need of one sentence: its text, content stems and paragraph start."""

    __slots__ = ("paragraph_index", "paragraph_start", "stems", "text", "words")

    def __init__(
        self, text: str, words: int, stems: Sequence[str], paragraph_index: int = 0
    ) -> None:
        """Keep the parts; `words` counts every word, `stems` only content words."""
        self.text = text
        self.words = words
        self.stems = stems
        self.paragraph_index = paragraph_index  # its place in its paragraph, from 0
        self.paragraph_start = paragraph_index == 0


def views(
    paragraphs: Sequence[Sequence[tuple[str, Sequence[str]]]],
    stem: Callable[[str], str],
    stop_words: frozenset[str],
) -> list[SentenceView]:
    """SentenceViews of (text, words) pairs grouped by paragraph."""
    found = []
    for paragraph in paragraphs:
        for index, (text, words) in enumerate(paragraph):
            lowered = [w.lower() for w in words]
            stems = [stem(w) for w in lowered if w not in stop_words]
            found.append(SentenceView(text, len(words), stems, index))
    return found


def _cosine(left: Counter[str], left_norm: float, right: Counter[str], right_norm: float) -> float:
    if not left_norm or not right_norm:
        return 0.0
    get = right.get
    return sum(count * get(word, 0) for word, count in left.items()) / (left_norm * right_norm)


def _norm(counts: Counter[str]) -> float:
    return math.sqrt(sum(c * c for c in counts.values()))


def features(sentences: Sequence[SentenceView], title_stems: Sequence[str]) -> list[list[float]]:
    """One row of FEATURES values per sentence."""
    count = len(sentences)
    bags = [Counter(s.stems) for s in sentences]
    document: Counter[str] = Counter()
    for bag in bags:
        document.update(bag)
    total = sum(document.values()) or 1
    lead: Counter[str] = Counter()
    for bag in bags[:3]:
        lead.update(bag)
    document_norm, lead_norm = _norm(document), _norm(lead)
    first = bags[0] if bags else Counter()
    first_norm = _norm(first)
    title = set(title_stems)
    title_pairs = set(itertools.pairwise(title_stems))
    log_count = math.log1p(count)
    wire = float(bool(sentences and _WIRE_DATELINE.match(sentences[0].text)))
    frequency = document.get
    rows = []
    for index, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        words, text = sentence.words, sentence.text
        tokens = text.split()
        norm = _norm(bag)
        probability = sum(frequency(w, 0) for w in sentence.stems) / (
            total * len(sentence.stems) or 1
        )
        fragment = text.endswith(" .") or not _FINAL_PUNCTUATION.search(text)
        shared = len(title & bag.keys())
        pairs = title_pairs & set(itertools.pairwise(sentence.stems)) if title_pairs else ()
        values = {
            "bias": 1.0,
            "first": float(index == 0),
            "second": float(index == 1),
            "third": float(index == 2),
            "fourth": float(index == 3),
            "fifth": float(index == 4),
            "inverse_position": 1.0 / (index + 1),
            "log_position": math.log1p(index),
            "relative_position": index / count,
            "log_words": math.log1p(words),
            "words_30": words / 30,
            "words_30_squared": (words / 30) ** 2,
            "short": float(words < 8),
            "long": float(words > 40),
            "centroid": _cosine(bag, norm, document, document_norm),
            "word_probability": probability * 100,
            "lead_similarity": _cosine(bag, norm, lead, lead_norm) if index >= 3 else 0.0,
            "title_overlap": len(title & bag.keys()) / len(title) if title else 0.0,
            "quote": float(bool(_QUOTES.search(text))),
            "digit": float(bool(_DIGIT.search(text))),
            "capitalized": len(_CAPITALIZED.findall(text)) / (len(tokens) - 1 or 1),
            "pronoun_start": float(
                bool(tokens) and tokens[0].strip(_OPENERS).lower() in _PRONOUNS
            ),
            "said": float(bool(_SAID.search(text))),
            "fragment": float(fragment),
            "question": float(text.rstrip(_CLOSERS + " ").endswith("?")),
            "paragraph_start": float(sentence.paragraph_start and index > 0),
            "has_title": float(bool(title)),
            "title_precision": shared / len(bag) if title and bag else 0.0,
            "title_bigram": len(pairs) / len(title_pairs) if title_pairs else 0.0,
            "paragraph_index": float(sentence.paragraph_index),
            "space_dot": float(text.endswith(" .")),
            "colon_lead": float(bool(_COLON_LEAD.match(text))),
            "first_similarity": _cosine(bag, norm, first, first_norm) if index else 0.0,
            "digits": float(len(_NUMBER.findall(text))),
            "capital_runs": float(len(_CAPITAL_RUN.findall(text))),
            "chars_100": len(text) / 100,
            "upper_words": len(_UPPER_WORD.findall(text)) / (len(tokens) or 1),
            "by_start": float(text.startswith("By ")),
            "log_count": log_count,
            "wire_dateline": wire,
        }
        rows.append([values[name] for name in FEATURES])
    return rows
