"""The search index (the FTS5 table `article_words`), kept by the store as articles change.

Filled from Python (summaries.search_words), not by triggers: its words are folded and
stemmed by code SQLite doesn't have. The index is contentless, so the words aren't stored a
second time (they took more room than the articles' text); such an index can't forget one
row's words safely, so an article's new words go into a new row, its `search_row` points
there, and the row left behind matches no article. The whole index is made
again when the rows left behind are a quarter of it, and when what makes the words changes
(this module's version, Unicode's, a stemmer package's): checked each time the database is
opened for writing.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.metadata import version

from sqlite_utils import Database

from summaries.search_words import SEARCH_WORDS_VERSION, words_to_index

MATCHING = "a.search_row IN (SELECT rowid FROM article_words WHERE article_words MATCH ?)"
"""Articles `a` whose words an FTS5 query (summaries.fts) matches; one parameter. The
newest-first index (articles_latest) holds `search_row`: a search walking it reads no row."""
BATCH = 500  # articles read and indexed at a time when the whole index is made again
MIN_LEFT_BEHIND = 1_000  # rows left behind by edits before a rebuild is worth it


@cache
def index_version() -> str:
    """What the index's words depend on: our rules, Unicode's tables, the stemmers."""
    stemmers = " ".join(f"{name}={version(name)}" for name in ("nltk", "snowballstemmer", "sumy"))
    return f"{SEARCH_WORDS_VERSION} unicode={unicodedata.unidata_version} {stemmers}"


def index_article(db: Database, article_id: int, title: str, body: str, language: str) -> None:
    """Index one article's words in a new row; call it in the transaction that writes it."""
    old = db.execute("SELECT search_row FROM articles WHERE id = ?", [article_id]).fetchone()
    row = db.execute(
        "INSERT INTO article_words (words) VALUES (?)", [words_to_index(title, body, language)]
    ).lastrowid
    db.execute("UPDATE articles SET search_row = ? WHERE id = ?", [row, article_id])
    if old is not None and old[0] is not None:
        db.execute("UPDATE article_words_state SET left_behind = left_behind + 1")


def reindex_if_needed(db: Database) -> int:
    """Make the whole index again if it is out of date or a quarter of it is left behind;
    how many articles were indexed (0 when it was not needed).

    The write lock is taken first: two processes opening the database at once do it once.
    Deleted articles are indexed too, so one restored is found at once.
    """
    if not _needs_rebuild(db):
        return 0
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        done = _index_all(db) if _needs_rebuild(db) else 0
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
    return done


def _needs_rebuild(db: Database) -> bool:
    state = db.execute("SELECT version, left_behind FROM article_words_state").fetchone()
    if state is None or state[0] != index_version():
        return True
    if state[1] < MIN_LEFT_BEHIND:
        return False
    live = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    return bool(state[1] * 4 > live)


def _index_all(db: Database) -> int:
    db.execute("INSERT INTO article_words (article_words) VALUES ('delete-all')")
    done, last = 0, 0
    while rows := db.execute(
        "SELECT id, title, body, language FROM articles WHERE id > ? ORDER BY id LIMIT ?",
        [last, BATCH],
    ).fetchall():
        for article_id, title, body, language in rows:
            cursor = db.execute(
                "INSERT INTO article_words (words) VALUES (?)",
                [words_to_index(title, body, language)],
            )
            db.execute(
                "UPDATE articles SET search_row = ? WHERE id = ?", [cursor.lastrowid, article_id]
            )
        done, last = done + len(rows), rows[-1][0]
    db.execute("DELETE FROM article_words_state")
    db.execute(
        "INSERT INTO article_words_state (version, left_behind) VALUES (?, 0)", [index_version()]
    )
    return done
