"""The errors the stand-in answers with, in the shape Telegram's Bot API uses."""

from typing import Any


class ApiError(Exception):
    """A Bot API error reply; transports turn it into `{"ok": false, ...}` with its status."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        parameters: dict[str, int] = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


class SimulatedTimeout(Exception):
    """Raised by `FakeTelegram.handle` for an injected timeout; transports raise their own."""


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def entity_error(reason: str) -> ApiError:
    """A 400 for markup that Telegram's HTML parser rejects."""
    return bad_request(f"can't parse entities: {reason}")
