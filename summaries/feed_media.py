"""Each item's Media RSS photo (url, caption, credit), read from the XML itself.

feedparser keeps media:content's url but loses the media:description and media:title inside
it (kurtmckee/feedparser#53), and those are exactly a news photo's caption. So the same bytes
are read once more with the stdlib's ElementTree, only when they are well formed and declare
no entities (no billion laughs; ElementTree never loads external entities or DTDs). On any
doubt this returns None and the caller falls back to what feedparser kept.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_MEDIA_NAMESPACES = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp)(?:[?#]|$)", re.IGNORECASE)
_ENTRY_NAMES = frozenset({"item", "entry"})


@dataclass(frozen=True, slots=True)
class MediaPhoto:
    """An item's photo as Media RSS describes it; "" where the feed says nothing."""

    url: str
    caption: str = ""
    credit: str = ""


def media_photos(data: bytes) -> list[MediaPhoto | None] | None:
    """One entry per item/entry in document order (None: no Media RSS photo), or None when
    the XML cannot be read safely and fully."""
    if b"<!ENTITY" in data:
        return None
    try:
        root = ET.fromstring(data)  # noqa: S314 - no entity declarations, checked above
    except (ET.ParseError, ValueError):
        return None
    return [_photo(element) for element in root.iter() if _local(element.tag) in _ENTRY_NAMES]


def _photo(item: ET.Element) -> MediaPhoto | None:
    """The item's first image media:content (itself or in a media:group), else its first
    media:thumbnail; the caption and credit inside it win over the item's own."""
    contents = [*_media(item, "content"), *_in_groups(item, "content")]
    image = next((c for c in contents if _is_image(c) and c.get("url", "").strip()), None)
    if image is None:
        thumbnails = [*_media(item, "thumbnail"), *_in_groups(item, "thumbnail")]
        for content in contents:
            thumbnails.extend(_media(content, "thumbnail"))
        image = next((t for t in thumbnails if t.get("url", "").strip()), None)
    if image is None:
        return None
    scopes = (image, *_media(item, "group"), item)
    caption = _first_text(scopes, "description") or _first_text(scopes, "title")
    return MediaPhoto(image.get("url", "").strip(), caption, _first_text(scopes, "credit"))


def _is_image(content: ET.Element) -> bool:
    """medium="image", an image/* type, or, when neither is given, an image file name."""
    medium, kind = content.get("medium", ""), content.get("type", "")
    if medium or kind:
        return medium == "image" or kind.startswith("image/")
    return bool(_IMAGE_SUFFIX.search(content.get("url", "")))


def _first_text(scopes: tuple[ET.Element, ...], name: str) -> str:
    """The text of the first media:`name` child found, looking in `scopes` in order."""
    for scope in scopes:
        for element in _media(scope, name):
            text = "".join(element.itertext()).strip()
            if text:
                return text
    return ""


def _media(parent: ET.Element, name: str) -> list[ET.Element]:
    """`parent`'s direct media:`name` children, whichever spelling of the namespace."""
    return [child for ns in _MEDIA_NAMESPACES for child in parent.findall(f"{{{ns}}}{name}")]


def _in_groups(item: ET.Element, name: str) -> list[ET.Element]:
    """media:`name` elements inside the item's media:group elements."""
    return [child for group in _media(item, "group") for child in _media(group, name)]


def _local(tag: object) -> str:
    """An element's name without its namespace; "" for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
