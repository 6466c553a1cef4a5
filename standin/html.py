"""Telegram's HTML parse mode, strict: what the server accepts, and the entities it makes.

Written from the Bot API's "HTML style" rules and Telegram's error wording. Stricter than the
real server in two ways, so that rendering bugs show up here first: a raw `&` that doesn't start
a known entity is an error (Telegram keeps it as text), and so is an `<a>` whose href isn't an
http(s), tg:// or mailto: link (Telegram silently drops the link).
"""

import re
from dataclasses import dataclass
from typing import Any

from standin.chars import byte_offset, decode_entity, utf16_len
from standin.errors import entity_error

SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
}  # fmt: skip
ALLOWED_TAGS = {*SIMPLE_TAGS, "span", "a", "tg-emoji", "blockquote"}
PLAIN = re.compile(r"[<&]")
LINK = re.compile(r"(https?://[^\s/$.?#][^\s]*|tg://[^\s]+|mailto:[^\s@]+@[^\s]+)", re.IGNORECASE)


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    name: str
    start: int  # UTF-16 offset in the plain text
    argument: str | None


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse HTML-style text into plain text and MessageEntity dicts, or raise ApiError(400)."""
    parser = _Parser(text)
    return parser.run()


class _Parser:
    """One pass over the text; errors name byte offsets in UTF-8, as Telegram's do."""

    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0
        self.out: list[str] = []
        self.pos = 0  # UTF-16 length of self.out
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, index: int) -> int:
        return byte_offset(self.text, index)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char == "&":
                self.emit(self.entity())
            elif char != "<":  # a run of plain text, up to the next tag or entity
                end = _plain_end(text, self.i)
                self.emit(text[self.i : end])
                self.i = end
            elif text.startswith("</", self.i):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            name = self.stack[-1].name
            raise entity_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only counts inside <pre>
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.pos += utf16_len(chars)

    def entity(self) -> str:
        """Decode the entity at self.i; a raw `&` is an error here (Telegram is lenient)."""
        char, self.i = decode_entity(self.text, self.i)
        return char

    def start_tag(self) -> None:
        text, begin = self.text, self.i
        end = begin + 1
        while end < len(text) and not text[end].isspace() and text[end] != ">":
            end += 1
        if end >= len(text):
            raise entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = text[begin + 1 : end].lower()
        if name not in ALLOWED_TAGS:
            at = self.byte_offset(begin)
            raise entity_error(f'Unsupported start tag "{name}" at byte offset {at}')
        self.i = end
        attributes = self.attributes(name, begin)
        self.stack.append(_Open(name, self.pos, self.argument(name, attributes, begin)))

    def attributes(self, tag: str, begin: int) -> dict[str, str]:
        text, found = self.text, dict[str, str]()
        while True:
            while self.i < len(text) and text[self.i].isspace():
                self.i += 1
            if self.i >= len(text):
                at = self.byte_offset(begin)
                raise entity_error(f'Unclosed start tag "{tag}" at byte offset {at}')
            if text[self.i] == ">":
                self.i += 1
                return found
            name_start = self.i
            while (
                self.i < len(text) and not text[self.i].isspace() and text[self.i] not in "=>/\"'"
            ):
                self.i += 1
            name = text[name_start : self.i].lower()
            if not name:
                at = self.byte_offset(begin)
                raise entity_error(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
            while self.i < len(text) and text[self.i].isspace():
                self.i += 1
            found[name] = self.value() if text.startswith("=", self.i) else ""

    def value(self) -> str:
        text = self.text
        self.i += 1  # the "="
        while self.i < len(text) and text[self.i].isspace():
            self.i += 1
        if self.i < len(text) and text[self.i] in "\"'":
            quote, chars = text[self.i], []
            self.i += 1
            while self.i < len(text) and text[self.i] != quote:
                if text[self.i] == "&":
                    chars.append(self.entity())
                else:
                    chars.append(text[self.i])
                    self.i += 1
            self.i += 1
            return "".join(chars)
        start = self.i
        while self.i < len(text) and (text[self.i].isalnum() or text[self.i] in ".-"):
            self.i += 1
        if self.i < len(text) and not text[self.i].isspace() and text[self.i] != ">":
            at = self.byte_offset(self.i)
            raise entity_error(f"Unexpected end of name token at byte offset {at}")
        return text[start : self.i].lower()

    def argument(self, tag: str, attributes: dict[str, str], begin: int) -> str | None:
        """What the entity needs from the tag's attributes, checked the way Telegram does."""
        at = self.byte_offset(begin)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        if tag == "a":
            href = attributes.get("href", "")
            if not LINK.fullmatch(href):
                raise entity_error(f'Invalid URL "{href}" in tag "a" at byte offset {at}')
            return href
        if tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdecimal():
                raise entity_error("Invalid custom emoji identifier specified")
            return emoji_id
        if tag == "code" and attributes.get("class", "").startswith("language-"):
            return attributes["class"].removeprefix("language-")
        if tag == "blockquote" and "expandable" in attributes:
            return "expandable"
        return None

    def end_tag(self) -> None:
        text, begin = self.text, self.i
        at = self.byte_offset(begin)
        if not self.stack:
            raise entity_error(f"Unexpected end tag at byte offset {at}")
        end = text.find(">", begin)
        if end < 0:
            raise entity_error(f"Unclosed end tag at byte offset {at}")
        name = text[begin + 2 : end].strip().lower()
        expected = self.stack[-1].name
        if name and name != expected:
            raise entity_error(
                f'Unmatched end tag at byte offset {at}, expected "</{expected}>", '
                f'found "</{name}>"'
            )
        self.i = end + 1
        self.close(self.stack.pop())

    def close(self, tag: _Open) -> None:
        length = self.pos - tag.start
        if length <= 0:
            return  # Telegram drops empty entities
        entity: dict[str, Any] = {"offset": tag.start, "length": length}
        if tag.name in SIMPLE_TAGS:
            entity["type"] = SIMPLE_TAGS[tag.name]
        elif tag.name == "span":
            entity["type"] = "spoiler"
        elif tag.name == "a":
            entity.update(type="text_link", url=tag.argument)
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.argument)
        else:  # blockquote
            entity["type"] = f"{tag.argument}_blockquote" if tag.argument else "blockquote"
        last = self.entities[-1] if self.entities else None
        if tag.name == "pre" and last and last["type"] == "code" and _same_span(last, entity):
            last["type"] = "pre"  # <pre><code class="language-x">: one pre entity
            return
        if tag.name == "code" and tag.argument:
            entity["language"] = tag.argument
        self.entities.append(entity)


def _same_span(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["offset"] == b["offset"] and a["length"] == b["length"])


def _plain_end(text: str, start: int) -> int:
    """Where the plain text starting at `start` ends: the next `<` or `&`, or the end."""
    special = PLAIN.search(text, start)
    return len(text) if special is None else special.start()
