"""Per-sentence features of a news article, shared by NewsSummarizer and its training script.

All are linear in the article's length (no sentence-by-sentence similarity matrix), so the
default method stays fast on long articles: what the lead says, where a sentence stands,
how long it is, how central its words are, and what it shares with the headline.
"""

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
)
# A sentence opening with these leans on the one before it.
_PRONOUNS = frozenset({"he", "she", "it", "they", "this", "that", "these", "those", "his",
                       "her", "their", "but", "and", "so", "also"})  # fmt: skip
_SAID = re.compile(r"\b(?:said|says|told)\b")
_QUOTES = re.compile(r"[\"\u201c\u201d]")
_OPENERS = "\"'\u201c\u2018(["
_CLOSERS = "\"'\u201d\u2019)]"  # closing quotes and brackets may follow the final stop
_FINAL_PUNCTUATION = re.compile(rf"[.!?\u2026][{re.escape(_CLOSERS)}]*$")


class SentenceView:
    """What the features need of one sentence: its text, content stems and paragraph start."""

    __slots__ = ("paragraph_start", "stems", "text", "words")

    def __init__(self, text: str, words: int, stems: Sequence[str], paragraph_start: bool) -> None:
        """Keep the parts; `words` counts every word, `stems` only content words."""
        self.text = text
        self.words = words
        self.stems = stems
        self.paragraph_start = paragraph_start


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
            found.append(SentenceView(text, len(words), stems, index == 0))
    return found


def _cosine(left: Counter[str], right: Counter[str], right_norm: float) -> float:
    if not left or not right_norm:
        return 0.0
    dot = sum(count * right[word] for word, count in left.items())
    return dot / (math.sqrt(sum(c * c for c in left.values())) * right_norm)


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
    title = set(title_stems)
    rows = []
    for index, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        words, text = sentence.words, sentence.text
        tokens = text.split()
        probability = sum(document[w] for w in sentence.stems) / (total * len(sentence.stems) or 1)
        fragment = text.endswith(" .") or not _FINAL_PUNCTUATION.search(text)
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
            "centroid": _cosine(bag, document, document_norm),
            "word_probability": probability * 100,
            "lead_similarity": _cosine(bag, lead, lead_norm) if index >= 3 else 0.0,
            "title_overlap": len(title & bag.keys()) / len(title) if title else 0.0,
            "quote": float(bool(_QUOTES.search(text))),
            "digit": float(any(c.isdigit() for c in text)),
            "capitalized": sum(t[:1].isupper() for t in tokens[1:]) / (len(tokens) - 1 or 1),
            "pronoun_start": float(
                bool(tokens) and tokens[0].strip(_OPENERS).lower() in _PRONOUNS
            ),
            "said": float(bool(_SAID.search(text))),
            "fragment": float(fragment),
            "question": float(text.rstrip(_CLOSERS + " ").endswith("?")),
            "paragraph_start": float(sentence.paragraph_start and index > 0),
        }
        rows.append([values[name] for name in FEATURES])
    return rows
