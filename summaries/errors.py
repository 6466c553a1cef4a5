"""Domain errors: each says what was wrong in words a user can act on."""


class NewsbotError(Exception):
    """Base of every error the domain raises on purpose.

    str() is its English message (the console, the logs). The chat shows it in the reader's
    language instead: `code` names the message and `fields` fill its placeholders
    (bot/render/errors.py), as the domain knows nothing of languages. No code: str() is shown.
    """

    def __init__(self, message: str = "", *, code: str = "", **fields: object) -> None:
        super().__init__(message)
        self.code = code
        self.fields = fields


class InvalidArticleError(NewsbotError, ValueError):
    """An article's fields are not acceptable (empty title, empty body, bad photo, ...)."""


class ArticleNotFoundError(NewsbotError, LookupError):
    """No article has this id, or it was deleted."""

    def __init__(self, article_id: int, *, deleted: bool = False) -> None:
        super().__init__(
            f"article {article_id} was deleted; newsbot undelete {article_id} brings it back"
            if deleted
            else f"no article with id {article_id}"
        )
        self.article_id = article_id


class SummaryError(NewsbotError, ValueError):
    """The text cannot be summarized as asked (empty text, unknown method or language)."""


class EmptyTextError(SummaryError):
    """There is no sentence to summarize."""


class UnknownMethodError(SummaryError):
    """The summarization method is not one we offer."""


class TextTooLongError(SummaryError):
    """The text has more sentences than the chosen method can rank in reasonable time."""


class UnsupportedLanguageError(SummaryError):
    """The language has no offline sentence splitter, stemmer or stop words."""


class StoreError(NewsbotError):
    """The database cannot be used (not writable, from a newer schema, corrupt)."""


class DuplicateArticleError(InvalidArticleError):
    """Another article already has this source url."""


class DeletedArticleError(DuplicateArticleError):
    """A deleted article already has this url (or import content): undelete it instead."""

    def __init__(self, article_id: int, what: str = "URL") -> None:
        super().__init__(
            f"article {article_id} with this {what} was deleted; "
            f"newsbot undelete {article_id} brings it back"
        )
        self.article_id = article_id


class NotDeletedError(NewsbotError):
    """Undeleting an article that was never deleted."""

    def __init__(self, article_id: int) -> None:
        super().__init__(f"article {article_id} is not deleted")
        self.article_id = article_id


class NotSubscribedError(NewsbotError, LookupError):
    """The reader has no digest subscription to change."""

    def __init__(self) -> None:
        super().__init__(
            "You have no daily digest yet. Send /subscribe to start one.", code="not-subscribed"
        )


class EditConflictError(NewsbotError):
    """The article changed since the editor read it; their edit would overwrite that."""


class TopicsError(NewsbotError, ValueError):
    """Topics the reader typed that we won't store (nothing is changed): the reason, to show."""


class FeedError(NewsbotError, ValueError):
    """A source's feed has nothing usable: too big, empty, malformed beyond repair, not a feed."""


class NotAFeedError(FeedError):
    """The source is a web page, not a feed: its <link rel="alternate"> may name the feed."""


class SourceError(NewsbotError, ValueError):
    """A news source's settings are not acceptable (bad link, language, interval, name)."""


class DuplicateSourceError(SourceError):
    """A source with this feed link is there already."""

    def __init__(self, source_id: int, url: str) -> None:
        super().__init__(
            f"source {source_id} already reads {url}",
            code="duplicate-source",
            id=source_id,
            url=url,
        )
        self.source_id = source_id


class SourceNotFoundError(NewsbotError, LookupError):
    """No source has this id."""

    def __init__(self, source_id: int) -> None:
        super().__init__(f"no source with id {source_id}")
        self.source_id = source_id


class OutletError(NewsbotError, ValueError):
    """An outlet's settings are not acceptable (unknown kind, negative backfill, bad filter)."""


class DuplicateOutletError(OutletError):
    """The chat (or the forum topic) is an outlet already."""

    def __init__(self, outlet_id: int, chat_id: int, thread_id: int | None) -> None:
        where = f"chat {chat_id}" + (f" topic {thread_id}" if thread_id is not None else "")
        super().__init__(f"outlet {outlet_id} already posts to {where}")
        self.outlet_id = outlet_id


class OutletNotFoundError(NewsbotError, LookupError):
    """No outlet has this id."""

    def __init__(self, outlet_id: int) -> None:
        super().__init__(f"no outlet with id {outlet_id}")
        self.outlet_id = outlet_id
