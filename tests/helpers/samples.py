"""The paths, sample article text and image that tests read."""

from __future__ import annotations

import base64
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"  # fixtures/ and eval/, beside the checkout as CI provides them
FIXTURE_ARTICLE = SHARED / "fixtures" / "haunting-photo-article.txt"

# A 1x1 PNG: the smallest real image, for photo tests.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

BODY = (
    "The city council voted on Monday to build a new bridge over the river. "
    "The bridge will cost 40 million euros and open in 2028. "
    "Residents have asked for a crossing for more than a decade. "
    "Work starts in the spring."
)

LAST_SENTENCE = "And that, at last, is where the story of the bridge ends."
_WORDS = [
    "council", "river", "bridge", "vote", "budget", "residents", "engineers", "spring",
    "crossing", "traffic", "ferry", "mayor", "plan", "cost", "euros", "contract",
    "steel", "tunnel", "cyclists", "harbour", "committee", "report", "delay",
]  # fmt: skip


def long_article(size: int = 100_000, seed: int = 16) -> str:
    """A story of about `size` characters: paragraphs of 1 to 12 sentences of varied length,
    with abbreviations (U.S., Dr.), HTML's special characters and emoji; LAST_SENTENCE last."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total, number = 0, 0
    while total < size - len(LAST_SENTENCE):
        sentences = []
        for _ in range(rng.randint(1, 12)):
            number += 1
            words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 40)))
            extra = rng.choice(["", " & <partners>", " (U.S. money)", " 🚆🇺🇦", " said Dr. Roe"])
            sentences.append(f"Sentence {number}: the {words}{extra}.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    paragraphs.append(LAST_SENTENCE)
    return "\n\n".join(paragraphs)
