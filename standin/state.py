"""What the stand-in remembers: calls, the messages each chat shows, files it issued."""

import random
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
# The smallest valid PNG (1x1, transparent): uploads must be real images, as on Telegram.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"BM")


@dataclass
class Call:
    """One Bot API call as the stand-in saw and answered it (params normalised)."""

    method: str
    params: Json
    status: int
    response: Json

    @property
    def ok(self) -> bool:
        """Whether Telegram would have answered `"ok": true`."""
        return self.status == 200


@dataclass
class ChatMessage:
    """A message as a chat shows it now: Telegram's Message JSON plus what the bot sent."""

    json: Json
    from_bot: bool
    source: str | None = None  # text or caption as sent, before HTML parsing
    parse_mode: str | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def message_id(self) -> int:
        """The id Telegram gave it."""
        return int(self.json["message_id"])

    @property
    def chat_id(self) -> int:
        """The chat it is in."""
        return int(self.json["chat"]["id"])

    @property
    def text(self) -> str | None:
        """The plain text the user reads (tags parsed away), or None for media."""
        return self.json.get("text")

    @property
    def caption(self) -> str | None:
        """A media message's plain caption, if any."""
        return self.json.get("caption")

    @property
    def entities(self) -> list[Json]:
        """Formatting of the text or caption, in UTF-16 offsets."""
        return list(self.json.get("entities") or self.json.get("caption_entities") or [])

    @property
    def reply_markup(self) -> Json | None:
        """The inline keyboard under the message, if any."""
        return self.json.get("reply_markup")

    @property
    def buttons(self) -> list[Json]:
        """Every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def photo(self) -> str | None:
        """The file_id of the largest photo size, if it is a photo."""
        sizes = self.json.get("photo")
        return str(sizes[-1]["file_id"]) if sizes else None


@dataclass
class Fault:
    """An injected failure for the next calls of one method."""

    status: int
    description: str
    retry_after: int | None = None
    timeout: bool = False
    times: int = 1
    acted: bool = True  # a timeout after Telegram acted on the call (its answer was lost)


@dataclass
class StoredFile:
    """A file the stand-in issued an id for."""

    file_id: str
    unique_id: str
    path: str
    content: bytes | None  # None: sent by URL; Telegram has it, the stand-in doesn't


@dataclass
class Files:
    """Issues file ids like Telegram: opaque, unique, only valid if issued here."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))  # noqa: S311 - ids only
    by_id: dict[str, StoredFile] = field(default_factory=dict)
    photos: dict[str, list[Json]] = field(default_factory=dict)  # any size's id -> all sizes
    serial: int = 0

    def issue(
        self, content: bytes | None, folder: str = "photos", suffix: str = "jpg"
    ) -> StoredFile:
        """Store a file under a new file_id and file_path."""
        self.serial += 1
        serial = self.serial
        token = "".join(
            self.rng.choices(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", k=40
            )
        )
        stored = StoredFile(
            f"AgACAgIAAxkDAAI{serial:04d}{token}", f"AQAD{serial:04d}{token[:8]}",
            f"{folder}/file_{serial}.{suffix}", content,
        )  # fmt: skip
        self.by_id[stored.file_id] = stored
        return stored

    def photo_sizes(self, content: bytes | None) -> list[Json]:
        """Telegram stores every photo in several sizes, each with its own file_id."""
        sizes: list[Json] = []
        for width, height in ((90, 90), (320, 320)):
            stored = self.issue(content)
            sizes.append({
                "file_id": stored.file_id, "file_unique_id": stored.unique_id,
                "width": width, "height": height, "file_size": len(content or b""),
            })  # fmt: skip
        for size in sizes:
            self.photos[size["file_id"]] = sizes
        return sizes

    def by_path(self, path: str) -> StoredFile | None:
        """The file a getFile file_path points at."""
        return next((f for f in self.by_id.values() if f.path == path), None)


def is_image(content: bytes) -> bool:
    """Whether Telegram could process `content` as a photo (by its magic bytes)."""
    return content.startswith(IMAGE_MAGIC)
