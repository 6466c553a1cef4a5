"""The schema's history. Append new steps; never edit one that has shipped.

A step is frozen: it does forever what it did when written, so it imports nothing from
the rest of newsbot (code that moves on would change what an old upgrade does).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("newsbot")
STEPS: list[str] = []
"""Our own list of step names, in order (sqlite-utils keeps its list private)."""

Step = Callable[[Database], None]


def step(function: Step) -> Step:
    """Register a migration, and note its name in STEPS."""
    STEPS.append(function.__name__)
    return migrations()(function)


@step
def m001_articles(db: Database) -> None:
    """Articles, their images, and full-text search kept in sync by triggers."""
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT 'english',
            url TEXT,
            photo_url TEXT,
            photo_file_id TEXT,
            photo_caption TEXT NOT NULL DEFAULT '',
            photo_credit TEXT NOT NULL DEFAULT '',
            published_at TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # Newest first is every listing's order; the partial index skips deleted rows.
    db.execute(
        "CREATE INDEX articles_latest ON articles (published_at DESC, id DESC) WHERE deleted = 0"
    )
    db.execute("CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url IS NOT NULL")
    db.execute(
        """
        CREATE TABLE photos (
            article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            mime TEXT NOT NULL,
            data BLOB NOT NULL
        )
        """
    )
    # porter: a search for "elections" finds "election"; unicode61 underneath folds accents.
    db.table("articles").enable_fts(
        ["title", "body"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2"
    )


@step
def m002_summaries(db: Database) -> None:
    """Summaries computed when an article is stored, keyed by what they were made from."""
    db.execute(
        """
        CREATE TABLE summaries (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            method TEXT NOT NULL,
            sentences INTEGER NOT NULL,
            source_digest TEXT NOT NULL,
            summary TEXT NOT NULL,
            PRIMARY KEY (article_id, method, sentences)
        ) WITHOUT ROWID
        """
    )


@step
def m003_activity(db: Database) -> None:
    """Reads per article and day (for statistics), and chats that blocked the bot."""
    db.execute(
        """
        CREATE TABLE reads (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, day)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        "CREATE TABLE blocked_chats (chat_id INTEGER PRIMARY KEY, blocked_at TEXT NOT NULL)"
    )


@step
def m004_subscriptions(db: Database) -> None:
    """Daily-digest subscribers, every delivery (claimed, then marked), and the sender lease."""
    db.execute(
        """
        CREATE TABLE subscribers (
            chat_id INTEGER PRIMARY KEY,
            time_of_day TEXT NOT NULL,
            timezone TEXT NOT NULL,
            topics TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active',
            blocked INTEGER NOT NULL DEFAULT 0,
            nothing_new INTEGER NOT NULL DEFAULT 0,
            breaking INTEGER NOT NULL DEFAULT 0,
            due_day TEXT,
            due_at TEXT,
            seen_id INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # The scheduler's one query: active, reachable readers whose digest time has come.
    db.execute(
        "CREATE INDEX subscribers_due ON subscribers (due_at) "
        "WHERE status = 'active' AND blocked = 0"
    )
    db.execute(
        """
        CREATE TABLE deliveries (
            chat_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            finished_at TEXT,
            articles TEXT NOT NULL DEFAULT '[]',
            error TEXT,
            PRIMARY KEY (chat_id, kind, key)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX deliveries_state ON deliveries (state) WHERE state = 'claimed'")
    db.execute(
        "CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, "
        "expires_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX articles_created ON articles (created_at)")


@step
def m005_admin(db: Database) -> None:
    """Chat data and conversation steps kept across restarts (JSON), and breaking news."""
    db.execute(
        "CREATE TABLE chat_state (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
        "PRIMARY KEY (kind, key)) WITHOUT ROWID"
    )
    # A broadcast is recorded before any send, so a restart resumes it where it stopped.
    db.execute(
        "CREATE TABLE broadcasts (article_id INTEGER PRIMARY KEY REFERENCES articles (id), "
        "created_by TEXT, created_at TEXT NOT NULL, finished_at TEXT)"
    )
    # Counts edits, so two admins editing one article can't overwrite each other unseen.
    db.execute("ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "CREATE INDEX subscribers_breaking ON subscribers (chat_id) "
        "WHERE breaking = 1 AND status = 'active' AND blocked = 0"
    )


@step
def m006_draft_keys(db: Database) -> None:
    """An admin's draft has a key: publishing it twice (a double press, a redelivered update
    after a crash) finds the article already there instead of storing a second one."""
    db.execute("ALTER TABLE articles ADD COLUMN draft_key TEXT")
    db.execute(
        "CREATE UNIQUE INDEX articles_draft_key ON articles (draft_key) "
        "WHERE draft_key IS NOT NULL"
    )


@step
def m007_normalized_urls(db: Database) -> None:
    """Source links are stored normalized (summaries.articles.normalize_url) and looked up
    so: older rows follow, or https://EXAMPLE.org/a would no longer be found. When two rows
    spell one link, the older keeps it and the other stays as it was (the index is unique)."""
    rows = db.execute("SELECT id, url FROM articles WHERE url IS NOT NULL ORDER BY id")
    taken = {url for _, url in db.execute("SELECT id, url FROM articles WHERE url IS NOT NULL")}
    for article_id, url in rows.fetchall():
        normal = _normalize_url_m007(url)
        if normal != url and normal not in taken:
            db.execute("UPDATE articles SET url = ? WHERE id = ?", [normal, article_id])
            taken.add(normal)


def _normalize_url_m007(url: str) -> str:
    """summaries.articles.normalize_url as m007 shipped with it, frozen here."""
    url = url.strip().partition("#")[0]
    parts = urlsplit(url)
    scheme, rest = parts.scheme, url[len(parts.scheme) :]
    default_ports = {"http": "80", "https": "443"}
    if scheme not in default_ports or not parts.netloc or not rest.startswith("://"):
        return url
    if not rest.startswith(f"://{parts.netloc}"):  # pragma: no cover - urlsplit cleaned it
        return url
    userinfo, at, host = parts.netloc.rpartition("@")
    port = ""
    if (colon := host.rfind(":")) > host.rfind("]"):
        host, port = host[:colon], host[colon + 1 :]
    if port in {"", default_ports[scheme]}:
        port = ""
    netloc = f"{userinfo}{at}{host.lower()}{':' if port else ''}{port}"
    return f"{scheme}://{netloc}{rest[3 + len(parts.netloc) :]}"


@step
def m008_one_blocked_and_indexes(db: Database) -> None:
    """'Blocked' lives in one place, subscribers.blocked, and the digest job's, /stats' and
    pruning's lookups each have an index.

    blocked_chats is folded in: a subscriber's row already says whether they are blocked
    (mark_blocked set both; subscribe() and mark_unblocked() cleared the column, and a row
    in the table with the column at 0 means the reader came back since). Its time stays as
    the row's updated_at. A blocked chat with no subscriber row is not kept: nothing is ever
    sent to such a chat unasked, and writing to the bot again unblocks it anyway.
    """
    db.execute(
        "UPDATE subscribers SET updated_at = max(updated_at, ("
        "  SELECT b.blocked_at FROM blocked_chats b WHERE b.chat_id = subscribers.chat_id)) "
        "WHERE blocked = 1 AND chat_id IN (SELECT chat_id FROM blocked_chats)"
    )
    db.execute("DROP TABLE blocked_chats")
    # settle_unfinished: deliveries left on the wire (deliveries_state covers 'claimed').
    db.execute("CREATE INDEX deliveries_sending ON deliveries (state) WHERE state = 'sending'")
    # pruning: deliveries older than the retention window.
    db.execute("CREATE INDEX deliveries_claimed ON deliveries (claimed_at)")
    # /stats: digests sent since a day (a local date leads the key).
    db.execute("CREATE INDEX deliveries_sent ON deliveries (kind, key) WHERE state = 'sent'")
    # the job's open broadcasts (finished_at IS NULL, by created_at), and pruning's old ones.
    db.execute("CREATE INDEX broadcasts_finished ON broadcasts (finished_at, created_at)")
    # /stats: readers by state, and new readers by day.
    db.execute("CREATE INDEX subscribers_state ON subscribers (status, blocked)")
    db.execute("CREATE INDEX subscribers_created ON subscribers (created_at)")
    # /stats: reads since a day.
    db.execute("CREATE INDEX reads_day ON reads (day, article_id, count)")


@step
def m009_feed_sources(db: Database) -> None:
    """Feeds as sources of articles: each source's schedule and health, and every item seen
    (stored or only remembered), so an item becomes an article once, whatever is repeated.

    sources.id never comes back once removed (AUTOINCREMENT): articles keep the id of the
    source that brought them. feed_items holds an item's keys as it was first seen; its
    unique indexes make one item one row even if two pollers race. articles.hand_edited
    marks an admin's edit or deletion, which the feed never overwrites.
    """
    db.execute(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            language TEXT,
            every INTEGER,
            paused INTEGER NOT NULL DEFAULT 0,
            etag TEXT,
            last_modified TEXT,
            last_poll_at TEXT,
            next_poll_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            failing_since TEXT,
            last_error TEXT,
            retry_after TEXT,
            told_failing INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            first_poll_done INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX sources_due ON sources (next_poll_at) WHERE paused = 0")
    db.execute(
        """
        CREATE TABLE feed_items (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            guid TEXT,
            link TEXT,
            text_hash TEXT NOT NULL,
            article_id INTEGER REFERENCES articles (id),
            content_hash TEXT NOT NULL,
            seen_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX feed_items_guid ON feed_items (source_id, guid) "
        "WHERE guid IS NOT NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX feed_items_link ON feed_items (source_id, link) "
        "WHERE link IS NOT NULL"
    )
    # An item with neither guid nor link is known by its text alone.
    db.execute(
        "CREATE UNIQUE INDEX feed_items_text ON feed_items (source_id, text_hash) "
        "WHERE guid IS NULL AND link IS NULL"
    )
    db.execute("CREATE INDEX feed_items_hash ON feed_items (source_id, text_hash)")
    db.execute("CREATE INDEX feed_items_article ON feed_items (article_id)")
    db.execute("ALTER TABLE articles ADD COLUMN source_id INTEGER")
    db.execute("ALTER TABLE articles ADD COLUMN hand_edited INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX articles_source ON articles (source_id) WHERE source_id IS NOT NULL")


@step
def m010_alerts(db: Database) -> None:
    """What the bot tells its admins on its own (a feed failing, then working again): queued
    with the change it reports, sent once to each admin through the deliveries ledger."""
    db.execute(
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            details TEXT NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX alerts_open ON alerts (id) WHERE finished_at IS NULL")


@step
def m011_outlets(db: Database) -> None:
    """Channels and groups the bot posts to (outlets), one ledger row per outlet and article
    (queued, claimed, sending, then sent / in doubt / partial / failed, and corrected in place
    after), holds on a chat after a 429, readers' arrivals through an outlet's button, and
    corrections told to readers.

    outlets.id never comes back (AUTOINCREMENT): deep links name it. One outlet per chat and
    forum topic (thread 0 stands for the whole chat). A trigger marks the sent posts of an
    article that is edited, deleted or undeleted as `due` (an edit or a delete may be owed),
    and drops its queued posts when it is deleted, so corrections are found by an index.
    """
    db.execute(
        """
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id INTEGER NOT NULL,
            thread_id INTEGER,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            username TEXT,
            topics TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            backfill_hours INTEGER NOT NULL DEFAULT 0,
            paused_reason TEXT,
            paused_since TEXT,
            seen_id INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX outlets_place ON outlets (chat_id, coalesce(thread_id, 0))")
    db.execute(
        """
        CREATE TABLE outlet_posts (
            id INTEGER PRIMARY KEY,
            outlet_id INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles (id),
            chat_id INTEGER,
            state TEXT NOT NULL DEFAULT 'queued',
            queued_at TEXT NOT NULL,
            owner TEXT,
            claimed_at TEXT,
            left_at TEXT,
            finished_at TEXT,
            message_count INTEGER NOT NULL DEFAULT 0,
            messages TEXT NOT NULL DEFAULT '[]',
            posted_version INTEGER,
            error TEXT,
            due INTEGER NOT NULL DEFAULT 0,
            fix TEXT,
            fix_state TEXT,
            fix_version INTEGER,
            fix_owner TEXT,
            fix_at TEXT,
            fix_error TEXT,
            edited_at TEXT,
            removed TEXT,
            removed_at TEXT,
            UNIQUE (outlet_id, article_id)
        )
        """
    )
    # the poster's queue: each outlet's queued posts in article order
    db.execute(
        "CREATE INDEX outlet_posts_queue ON outlet_posts (outlet_id, article_id) "
        "WHERE state = 'queued'"
    )
    # pace: messages that left for a chat lately
    db.execute(
        "CREATE INDEX outlet_posts_pace ON outlet_posts (chat_id, left_at) "
        "WHERE left_at IS NOT NULL"
    )
    # corrections owed (edits, deletes)
    db.execute("CREATE INDEX outlet_posts_due ON outlet_posts (due) WHERE due = 1")
    # claims count against their chat's pace; settle_unfinished finds what a crash left
    db.execute(
        "CREATE INDEX outlet_posts_claimed ON outlet_posts (chat_id) WHERE state = 'claimed'"
    )
    db.execute("CREATE INDEX outlet_posts_sending ON outlet_posts (state) WHERE state = 'sending'")
    db.execute("CREATE INDEX outlet_posts_article ON outlet_posts (article_id)")
    db.execute(
        """
        CREATE TRIGGER outlet_posts_article_changed AFTER UPDATE OF version, deleted ON articles
        WHEN new.version != old.version OR new.deleted != old.deleted
        BEGIN
            UPDATE outlet_posts SET due = 1 WHERE article_id = new.id
                AND state IN ('sent', 'in-doubt', 'partial') AND messages != '[]'
                AND removed IS NOT 'deleted';
            UPDATE outlet_posts SET state = 'dropped', finished_at = new.updated_at
                WHERE article_id = new.id AND state = 'queued' AND new.deleted = 1;
        END
        """
    )
    db.execute("CREATE TABLE chat_holds (chat_id INTEGER PRIMARY KEY, until TEXT NOT NULL)")
    db.execute(
        """
        CREATE TABLE outlet_arrivals (
            outlet_id INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            arrived_at TEXT NOT NULL,
            PRIMARY KEY (outlet_id, article_id, chat_id)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id INTEGER NOT NULL REFERENCES articles (id),
            note TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX corrections_open ON corrections (id) WHERE finished_at IS NULL")


@step
def m013_reader_languages(db: Database) -> None:
    """Each reader's language: Telegram's at first contact, or the one chosen with /language.

    A table of its own, as readers without a digest are answered in their language too.
    """
    db.execute(
        "CREATE TABLE reader_languages (chat_id INTEGER PRIMARY KEY, language TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)"
    )


@step
def m014_removed_outlets(db: Database) -> None:
    """A removed outlet is kept, marked `removed_at`: nothing new is posted there, but its
    posts (which join it for their forum topic) are still edited, deleted or withdrawn when
    their articles change. Adding the same chat and topic again revives it, same id."""
    db.execute("ALTER TABLE outlets ADD COLUMN removed_at TEXT")


@step
def m015_search_words(db: Database) -> None:
    """Search over words made in Python (summaries.search_words): case, accents, `ı`, `ё`
    and apostrophes folded, stems in each article's language (SQLite's porter tokenizer
    stemmed English alone). The index is contentless (the words aren't stored twice); an
    article's `search_row` is the index row that holds its words now, so a row an edit left
    behind matches no article. The newest-first index holds `search_row` too: a search walks
    it without reading article rows. Marks are letters to the tokenizer (Hindi's vowel signs
    are inside its words). The index starts empty, with no version: the store fills
    it when it opens, with the code of the day (a frozen step can't), and again when that
    changes."""
    db.execute("DROP TRIGGER IF EXISTS articles_ai")
    db.execute("DROP TRIGGER IF EXISTS articles_ad")
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute("DROP TABLE IF EXISTS articles_fts")
    db.execute("ALTER TABLE articles ADD COLUMN search_row INTEGER")
    db.execute("DROP INDEX articles_latest")
    db.execute(
        "CREATE INDEX articles_latest ON articles (published_at DESC, id DESC, search_row) "
        "WHERE deleted = 0"
    )
    db.execute(
        "CREATE VIRTUAL TABLE article_words USING fts5(words, content = '', "
        "tokenize = \"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
    )
    db.execute(
        "CREATE TABLE article_words_state (version TEXT NOT NULL, left_behind INTEGER NOT NULL)"
    )


@step
def m016_source_error_codes(db: Database) -> None:
    """Why a source's last poll failed, as a code and its fields (JSON) beside the English
    words in `last_error`, so the chat can word it in each admin's language. Rows from before
    have no code: their words are shown as they are."""
    db.execute("ALTER TABLE sources ADD COLUMN last_error_code TEXT")
    db.execute("ALTER TABLE sources ADD COLUMN last_error_fields TEXT")


KNOWN = frozenset(STEPS)
