"""A feed item's HTML as plain paragraphs, and its first image.

Feeds carry HTML fragments (content:encoded, Atom content, JSON Feed content_html) that are
often broken; the stdlib's forgiving html.parser reads them without fetching or running
anything. Articles are stored as plain text, paragraphs separated by a blank line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Their text is not the story's: code, styling, embeds, image captions (the photo's own).
_SKIPPED = frozenset(
    {"script", "style", "iframe", "noscript", "template", "object", "svg", "figcaption", "head"}
)
_BLOCKS = frozenset(
    {
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "section", "article", "header", "footer", "aside", "figure", "table", "tr",
        "dl", "dt", "dd", "hr", "main", "nav", "address", "body", "html",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
# Trailers that link to the page instead of saying anything: WordPress's footer and the
# "Continue reading" / "Read more" links many feeds end their text with.
_FOOTER = re.compile(r"^The post .+ appeared first on .+$", re.IGNORECASE)
_MORE_LINK = re.compile(
    r"(?:^|(?<=[.!?…])|(?<=[.!?…] ))\[?(?:continue reading|read more|keep reading|read the full"
    r" (?:story|article|post))\b[^\n.!?]{0,100}[.…→»\]]*\s*$"
    r"|\s*\[(?:…|\.\.\.)\]\s*$",
    re.IGNORECASE,
)


class _TextCollector(HTMLParser):
    """Collects text by paragraph: a block element's start or end closes the paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:  # <br/>, <hr/>; a self-closed <script/> skips nothing
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if tag in self._skipping:  # broken HTML: close up to the matching start
                del self._skipping[len(self._skipping) - self._skipping[::-1].index(tag) - 1 :]
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def _break(self) -> None:
        text = _SPACES.sub(" ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def text(self) -> list[str]:
        """The paragraphs read so far, the last one closed."""
        self.close()
        self._break()
        return self.paragraphs


def html_to_text(html: str) -> str:
    """Plain text, one paragraph per block element, separated by a blank line.

    Entities are decoded, script/style/embeds and figure captions dropped, and the trailers
    feeds append (WordPress's "The post ... appeared first on ...", "Continue reading")
    removed, so the text is only the story.
    """
    collector = _TextCollector()
    collector.feed(html)
    paragraphs = collector.text()
    while paragraphs and _FOOTER.match(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs:
        last = _MORE_LINK.sub("", paragraphs[-1])
        if last != paragraphs[-1]:
            last = last.rstrip(" .…") + "…" if last else ""
        paragraphs[-1:] = [last] if last else []
    return "\n\n".join(paragraphs)


def text_paragraphs(text: str) -> str:
    """Plain text in the same shape: blank-line paragraphs, spaces collapsed within each."""
    paragraphs = (_SPACES.sub(" ", part).strip() for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(part for part in paragraphs if part)


class _ImageFinder(HTMLParser):
    """Stops at the first <img> with a real picture: no data: URI, no 1x1 tracking pixel."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img" or self.found is not None:
            return
        values = {name: (value or "").strip() for name, value in attrs}
        src = values.get("src", "")
        if (
            not src
            or src.startswith("data:")
            or values.get("width") == values.get("height") == "1"
        ):
            return
        self.found = (src, _SPACES.sub(" ", values.get("alt", "")).strip())


def first_image(html: str, base_url: str) -> tuple[str, str] | None:
    """The first image's absolute http(s) src and its alt text, or None if there is none."""
    finder = _ImageFinder()
    finder.feed(html)
    finder.close()
    if finder.found is None:
        return None
    src = urljoin(base_url, finder.found[0])
    if urlsplit(src).scheme not in {"http", "https"}:
        return None
    return src, finder.found[1]
