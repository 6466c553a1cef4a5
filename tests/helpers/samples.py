"""The paths, sample article text and image that tests read."""

from __future__ import annotations

import base64
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
