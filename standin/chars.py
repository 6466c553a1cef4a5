"""Character-level rules shared by the HTML parser and the limits: UTF-16 units, entities."""

import re

from standin.errors import entity_error

NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]\w*));")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram's unit for offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """Where `text[index]` starts in UTF-8: Telegram's errors count bytes."""
    return len(text[:index].encode())


def decode_entity(text: str, start: int) -> tuple[str, int]:
    """The character an HTML entity at `start` stands for, and where the entity ends.

    Only Telegram's four named entities and numeric ones; anything else is refused, including
    a lone `&`, which Telegram would keep as text.
    """
    match = ENTITY.match(text, start)
    at = byte_offset(text, start)
    if match is None:
        raise entity_error(f'Character "&" at byte offset {at} must be escaped as "&amp;"')
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in NAMED_ENTITIES:
            raise entity_error(f'Unsupported HTML entity "{match[0]}" at byte offset {at}')
        return NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise entity_error(f"Invalid character code at byte offset {at}")
    return chr(code), match.end()
