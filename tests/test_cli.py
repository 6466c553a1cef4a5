"""The `newsbot` command end to end, in a subprocess, as a user would run it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.cli import NEWSBOT, newsbot, snapshot
from tests.helpers.samples import BODY, FIXTURE_ARTICLE, PNG


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


def test_every_command_has_help(db: Path) -> None:
    for command in [
        "run",
        "console",
        "summarize",
        "add",
        "import",
        "list",
        "show",
        "edit",
        "delete",
        "undelete",
        "source",
    ]:
        result = newsbot(command, "--help", db=db)
        assert result.returncode == 0, result.stderr
        assert "Usage: newsbot " + command in result.stdout


def test_summarize_prints_one_sentence_a_line(db: Path) -> None:
    result = newsbot("summarize", "--sentences", "2", str(FIXTURE_ARTICLE), db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    text = FIXTURE_ARTICLE.read_text(encoding="utf-8")
    assert all(" ".join(line.split()) in " ".join(text.split()) for line in lines)


def test_summarize_reads_stdin_and_honours_a_char_budget(db: Path) -> None:
    result = newsbot("summarize", "--chars", "120", "-", stdin=BODY, db=db)
    assert result.returncode == 0, result.stderr
    assert 0 < len(" ".join(result.stdout.splitlines())) <= 120


def test_summarize_jsonl(db: Path) -> None:
    lines = [json.dumps({"text": BODY, "title": "Bridge"}), json.dumps({"text": "One. Two."})]
    result = newsbot("summarize", "--jsonl", "-n", "2", stdin="\n".join(lines), db=db)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 2
    assert len(out[0]["summary"]) == 2
    assert out[1] == {"summary": ["One.", "Two."]}


def test_summarize_jsonl_goes_on_past_bad_lines(db: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "One. Two."}),
        json.dumps({"text": ""}),
        "not json",
        json.dumps({"text": "A \u0000 b. C."}),
        json.dumps({"text": "Three. Four."}),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n")
    result = newsbot("summarize", "--jsonl", "batch.jsonl", db=db)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)  # one output line per input line
    assert out[0] == {"summary": ["One.", "Two."]}
    assert out[1] == {"error": "there is no sentence to summarize"}
    assert out[2]["error"].startswith("not valid JSON")
    assert out[3]["error"].startswith("the text holds a control character (U+0000")
    assert out[4] == {"summary": ["Three.", "Four."]}
    assert result.stderr.splitlines() == [
        "batch.jsonl:2: there is no sentence to summarize",
        f"batch.jsonl:3: {out[2]['error']}",
        f"batch.jsonl:4: {out[3]['error']}",
        "Error: 3 of 5 lines could not be summarized",
    ]


LATIN1_BATCH = (
    b'{"text":"Good. Fine."}\n{"text":"Caf\xe9. Bar."}\n\n  \n{"text":"Also good. Yes."}\n\n'
)


def test_summarize_jsonl_decodes_each_line_and_skips_blank_ones(db: Path) -> None:
    result = run_bytes("summarize", "--jsonl", db=db, stdin=LATIN1_BATCH)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    error = "not UTF-8 text (byte 13 of the line)"
    assert out == [
        {"summary": ["Good.", "Fine."]},
        {"error": error},
        {"summary": ["Also good.", "Yes."]},
    ]
    assert result.stderr.decode().splitlines() == [
        f"stdin:2: {error}",
        "Error: 1 of 3 lines could not be summarized",
    ]


def test_import_decodes_each_line_and_ends_with_an_error_line(db: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(
        LATIN1_BATCH.replace(b'"text"', b'"title":"T","body"')
        + b"\xef\xbb\xbf" + json.dumps({"title": "Second file", "body": "One. Two."}).encode()
    )  # fmt: skip
    result = newsbot("import", str(feed), db=db)
    assert result.returncode == 1
    assert result.stdout == "imported 3, already stored 0, bad lines 1\n"
    assert result.stderr.splitlines() == [
        f"{feed}:2: not UTF-8 text (byte 25 of the line)",
        "Error: 1 of 4 lines could not be imported",
    ]


def test_a_byte_order_mark_on_a_later_line_is_dropped(db: Path) -> None:
    batch = json.dumps({"text": "One. Two."}).encode()
    result = run_bytes("summarize", "--jsonl", db=db, stdin=batch + b"\n\xef\xbb\xbf" + batch)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().count("summary") == 2


def test_summarize_refuses_a_text_too_long_for_a_quadratic_method(db: Path) -> None:
    text = " ".join(f"Sentence {n} of a very long text." for n in range(501))
    result = newsbot("summarize", "-m", "lexrank", stdin=text, db=db)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: the text has 501 sentences; lexrank takes at most 500 (its time grows "
        "faster than the text); use news or lead, which take any length\n"
    )
    assert newsbot("summarize", "-m", "lead", stdin=text, db=db).returncode == 0


def test_add_list_show_delete(db: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    added = newsbot(
        "add",
        "--title",
        "Bridge approved",
        "--photo",
        str(photo),
        "--credit",
        "AP",
        "--url",
        "https://example.org/bridge",
        "--published",
        "2026-11-25T09:00",
        stdin=BODY,
        db=db,
    )
    assert added.returncode == 0, added.stderr
    article_id = int(added.stdout.splitlines()[-1])
    second = newsbot(
        "add",
        "--title",
        "Older story",
        "--published",
        "2026-01-01T00:00Z",
        stdin="Something happened. Then more.",
        db=db,
    )
    listed = newsbot("list", db=db).stdout.splitlines()
    assert listed[0].startswith(f"{article_id}\t2026-11-25 08:00\tBridge approved")  # Berlin
    assert listed[1].startswith(second.stdout.strip())
    assert newsbot("list", "--search", "bridge", db=db).stdout.startswith(f"{article_id}\t")
    shown = newsbot("show", str(article_id), db=db)
    assert "Bridge approved" in shown.stdout
    assert "Summary:" in shown.stdout
    assert newsbot("delete", str(article_id), db=db).returncode == 0
    assert not newsbot("list", db=db).stdout.startswith(f"{article_id}\t")


def test_import_is_idempotent_by_url_and_reports_bad_lines(db: Path, tmp_path: Path) -> None:
    (tmp_path / "p.png").write_bytes(PNG)
    good = {
        "title": "A",
        "body": BODY,
        "url": "https://example.org/a",
        "photo": "p.png",
        "published_at": "2026-11-01T10:00:00+00:00",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"title": "", "body": "x"}),
        json.dumps({"title": "B", "body": BODY, "photo": "missing.png"}),
        json.dumps({"title": "C", "body": "Short one. Two."}),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines), encoding="utf-8")
    first = newsbot("import", str(feed), db=db)
    assert first.returncode == 1
    assert "imported 2, already stored 0, bad lines 3" in first.stdout
    assert f"{feed}:2: not valid JSON" in first.stderr
    assert f"{feed}:3: the title is empty" in first.stderr
    assert f"{feed}:4: cannot read the photo" in first.stderr
    feed.write_text(json.dumps(good) + "\n", encoding="utf-8")
    again = newsbot("import", str(feed), db=db)
    assert again.returncode == 0
    assert "imported 0, already stored 1" in again.stdout
    assert len(snapshot(db)) == 2


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["summarize", "/no/such/file"], "", "no such file"),
        (["summarize", "-"], "   \n", "no sentence"),
        (["summarize", "--method", "magic", "-"], BODY, "Invalid value for '--method'"),
        (["summarize", "--language", "klingon", "-"], BODY, "Invalid value for '--language'"),
        (["summarize", "-n", "2", "-c", "100", "-"], BODY, "not both"),
        (["add", "--title", "T"], "", "the body is empty"),
        (["add", "--title", "", "-b", "-"], BODY, "the title is empty"),
        (["add", "--title", "T", "--language", "klingon"], BODY, "unsupported language"),
        (["add", "--title", "T", "--published", "yesterday"], BODY, "not an ISO 8601 time"),
        (["add", "--title", "T", "--body-file", "/no/such/file"], "", "no such file"),
        (["import", "/no/such.jsonl"], "", "no such file: /no/such.jsonl"),
        (["import", "."], "", "is a directory, not a file"),
        (["show", "999"], "", "no article with id 999"),
        (["delete", "999"], "", "no article with id 999"),
        # usage errors: one line too (exit code 2), never click's usage block
        (["show", "abc"], "", "'abc' is not an article id (see 'newsbot show --help')"),
        (["delete", "0"], "", "'0' is not an article id"),
        (["edit", "1.5", "--title", "T"], "", "'1.5' is not an article id"),
        (["show"], "", "Missing argument 'ID' (see 'newsbot show --help')"),
        (["list", "--limit", "0"], "", "0 is less than 1"),
        (["list", "--limit", "ten"], "", "'ten' is not a whole number"),
        (["summarize", "-n", "x", "-"], BODY, "'x' is not a whole number"),
        (["list", "--bogus"], "", "No such option '--bogus' (see 'newsbot list --help')"),
        (["--bogus"], "", "No such option '--bogus' (see 'newsbot --help')"),
        (["nosuch"], "", "No such command 'nosuch'"),
        (["backup", "."], "", "is a directory; give the backup a file name"),
        (["restore", "no-such.db", "--yes"], "", "no such file: no-such.db"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    db: Path, args: list[str], stdin: str, message: str
) -> None:
    result = refused(db, args, stdin, message)
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def refused(
    db: Path, args: list[str], stdin: str, message: str
) -> subprocess.CompletedProcess[str]:
    """Run a command that must fail with `message`, no traceback, and the database as it was."""
    newsbot("add", "--title", "Existing", stdin=BODY, db=db)
    before = snapshot(db)
    result = newsbot(*args, stdin=stdin, db=db)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(db) == before
    return result


def test_photo_that_is_not_an_image(db: Path, tmp_path: Path) -> None:
    fake = tmp_path / "photo.jpg"
    fake.write_text("I am text, not a JPEG")
    result = newsbot("add", "--title", "T", "--photo", str(fake), stdin=BODY, db=db)
    assert result.returncode == 1
    assert "not a JPEG, PNG, GIF or WebP image" in result.stderr
    assert not db.exists()  # checked before the database was even created


def test_unwritable_database_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = newsbot("add", "--title", "T", stdin=BODY, db=blocker / "news.db", cwd=tmp_path)
    assert result.returncode == 1
    assert f"the folder {blocker} is not a folder; create it first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_database_from_a_newer_schema(db: Path) -> None:
    newsbot("add", "--title", "T", stdin=BODY, db=db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('newsbot', 'm999_future', 'x')"
        )
    result = newsbot("list", db=db)
    assert result.returncode == 1
    assert "newer newsbot" in result.stderr


def test_settings_come_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"NEWSBOT_DB={tmp_path / 'from-env.db'}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    result = subprocess.run(
        [*NEWSBOT, "add", "--title", "T"],
        input=BODY,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env.db").exists()


def test_bad_timezone_setting_is_named(db: Path) -> None:
    result = newsbot("list", db=db, env={"NEWSBOT_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 1
    assert "NEWSBOT_TIMEZONE" in result.stderr


def test_an_abbreviation_is_refused_as_readers_are(db: Path) -> None:
    """EST is UTC-5 all year: the bot's zone follows a place's clocks, as /subscribe's does."""
    result = newsbot("list", db=db, env={"NEWSBOT_TIMEZONE": "EST"})
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: NEWSBOT_TIMEZONE: 'EST' doesn't say where you are")
    assert "America/New_York" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "9" * 30], "is not an article id"),
        (["delete", "9" * 30], "is not an article id"),
        (["list", "--offset", "9" * 30], f"{'9' * 30} is more than {2**63 - 1}"),
        (["add", "--title", "T", "--published", "0001-01-01T00:00"], "between the years"),
        (["add", "--title", "T", "--published", "9999-12-31T23:59-05:00"], "between the years"),
        (["add", "--title", "T", "--photo", "ftp://example.org/p.jpg"], "file or an http(s) link"),
    ],
)
def test_out_of_range_input(db: Path, args: list[str], message: str) -> None:
    refused(db, args, BODY, message)
    assert newsbot("list", db=db).returncode == 0


def test_import_cleans_lone_surrogates_and_reports_bad_times(db: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"title": "A\\ud800", "body": "Text \\udfff here. More."}\n'
        '{"title": "B", "body": "Body. More.", "published_at": "soon"}\n'
        '{"title": "C", "body": "Body. More.", "published_at": "0999-01-01T00:00:00Z"}\n',
        encoding="utf-8",
    )
    result = newsbot("import", str(feed), db=db)
    assert "imported 1, already stored 0, bad lines 2" in result.stdout
    assert f"{feed}:2: 'soon' is not an ISO 8601 time" in result.stderr
    assert f"{feed}:3: the publication time must be between" in result.stderr
    assert "A\ufffd" in newsbot("list", db=db).stdout


def test_edit_changes_fields_and_the_summary(db: Path, tmp_path: Path) -> None:
    article_id = newsbot("add", "--title", "Old", stdin=BODY, db=db).stdout.strip()
    result = newsbot(
        "edit",
        article_id,
        "--title",
        "New",
        "--body-file",
        "-",
        stdin="A fresh text. Nothing else.",
        db=db,
    )
    assert result.returncode == 0, result.stderr
    shown = newsbot("show", article_id, db=db).stdout
    assert shown.startswith("New\n")
    assert "  A fresh text." in shown  # the summary followed
    for args, message in [
        ([], "nothing to change: give at least one of --title, --body-file, --photo, "),
        (["--title", ""], "the title is empty"),
        (["--url", "ftp://x"], "must be an http"),
    ]:
        before = snapshot(db)
        bad = newsbot("edit", article_id, *args, db=db)
        assert bad.returncode != 0
        assert message in bad.stderr
        assert snapshot(db) == before
    assert "no article with id 999" in newsbot("edit", "999", "--title", "X", db=db).stderr


def test_help_shows_plain_metavars(db: Path) -> None:
    for command in ["summarize", "list", "show", "edit", "delete"]:
        shown = newsbot(command, "--help", db=db).stdout
        assert "RANGE" not in shown
        assert "<=" not in shown
        assert ">=" not in shown
    assert "--limit N " in newsbot("list", "--help", db=db).stdout
    assert "--sentences N " in newsbot("summarize", "--help", db=db).stdout


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "-s", "x"], ["show", "1"], ["delete", "1"], ["edit", "1", "-t", "T"]],
)
def test_commands_that_need_articles_never_create_a_database(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "news.db"
    result = newsbot(*args, db=missing, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: no database at {missing} (set NEWSBOT_DB, or add articles first)\n"
    )
    assert not missing.exists()


@pytest.mark.parametrize("args", [["list"], ["add", "--title", "T"], ["doctor"]])
def test_a_mistyped_newsbot_db_folder_is_not_made(tmp_path: Path, args: list[str]) -> None:
    typo = tmp_path / "no" / "such" / "news.db"
    result = newsbot(*args, db=typo, cwd=tmp_path, stdin=BODY)
    assert result.returncode == 1
    message = f"NEWSBOT_DB {typo}: the folder {typo.parent} doesn't exist; create it first"
    assert message in result.stdout + result.stderr
    assert not (tmp_path / "no").exists()


def test_import_without_url_is_idempotent_by_content(db: Path, tmp_path: Path) -> None:
    no_url = json.dumps({"title": "No url", "body": "Body here."})
    timed = json.dumps({"title": "No url", "body": "Body here.", "published_at": "2026-01-01"})
    feed = tmp_path / "feed.jsonl"
    feed.write_text(f"{no_url}\n{no_url}\n{timed}\n", encoding="utf-8")
    first = newsbot("import", str(feed), db=db)
    assert first.returncode == 0, first.stderr
    assert "imported 2, already stored 1, bad lines 0" in first.stdout
    again = newsbot("import", str(feed), db=db)
    assert again.returncode == 0, again.stderr
    assert "imported 0, already stored 3, bad lines 0" in again.stdout
    assert len(snapshot(db)) == 2
    deleted = newsbot("list", db=db).stdout.split("\t")[0]
    assert newsbot("delete", deleted, db=db).returncode == 0
    feed.write_text(f"{no_url}\n{timed}\n", encoding="utf-8")
    rerun = newsbot("import", str(feed), db=db)
    assert "imported 0, already stored 1, bad lines 1" in rerun.stdout
    assert rerun.returncode == 1
    assert f"with this content was deleted; newsbot undelete {deleted} brings" in rerun.stderr
    assert len(snapshot(db)) == 2  # a deleted article does not come back, as with a url


def test_undelete_brings_an_article_back_and_deleted_urls_say_so(db: Path, tmp_path: Path) -> None:
    url = "https://example.org/bridge"
    added = newsbot("add", "--title", "Bridge approved", "--url", url, stdin=BODY, db=db)
    article_id = added.stdout.strip()
    assert newsbot("delete", article_id, db=db).returncode == 0
    hint = f"article {article_id} with this URL was deleted; newsbot undelete {article_id} brings"
    again = newsbot("add", "--title", "Bridge again", "--url", url, stdin=BODY, db=db)
    assert (again.returncode, again.stderr) == (1, f"Error: {hint} it back\n")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": "Bridge", "body": BODY, "url": url}) + "\n")
    imported = newsbot("import", str(feed), db=db)
    assert imported.returncode == 1
    assert imported.stderr == (
        f"{feed}:1: {hint} it back\nError: 1 of 1 lines could not be imported\n"
    )
    assert "imported 0, already stored 0, bad lines 1" in imported.stdout
    assert len(snapshot(db)) == 1
    assert newsbot("list", "--search", "bridge", db=db).stdout == ""
    shown = newsbot("show", article_id, db=db)
    assert shown.stderr == f"Error: {hint.replace(' with this URL', '')} it back\n"
    undeleted = newsbot("undelete", article_id, db=db)
    assert (undeleted.returncode, undeleted.stdout) == (0, f"undeleted article {article_id}\n")
    assert newsbot("list", "--search", "bridge", db=db).stdout.startswith(f"{article_id}\t")
    assert newsbot("show", article_id, db=db).returncode == 0
    twice = newsbot("undelete", article_id, db=db)
    assert (twice.returncode, twice.stderr) == (1, f"Error: article {article_id} is not deleted\n")
    missing = newsbot("undelete", "999", db=db)
    assert (missing.returncode, missing.stderr) == (1, "Error: no article with id 999\n")


def test_a_deleted_url_is_found_however_it_is_spelled(db: Path, tmp_path: Path) -> None:
    added = newsbot("add", "--title", "A", "--url", "https://example.org/a", stdin=BODY, db=db)
    assert newsbot("delete", added.stdout.strip(), db=db).returncode == 0
    for url in ("https://EXAMPLE.org/a", "https://example.org/a#x", "https://example.org:443/a"):
        again = newsbot("add", "--title", "A", "--url", url, stdin=BODY, db=db)
        assert again.returncode == 1
        assert "was deleted; newsbot undelete 1 brings it back" in again.stderr
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": "A", "body": BODY, "url": "HTTPS://example.org/a#b"}))
    imported = newsbot("import", str(feed), db=db)
    assert "imported 0, already stored 0, bad lines 1" in imported.stdout
    assert "was deleted" in imported.stderr
    assert len(snapshot(db)) == 1


def test_list_search_without_words_says_so(db: Path) -> None:
    newsbot("add", "--title", "Trains", stdin=BODY, db=db)
    result = newsbot("list", "--search", "🚆 !", db=db)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "Error: 🚆 ! has no words to search for; try a word like trains\n"


def run_bytes(*args: str, db: Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """newsbot with raw bytes on stdin, as a pipe from `head -c 3000 /bin/ls` gives them."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))
    }
    environment |= {"NEWSBOT_DB": str(db), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    return subprocess.run(
        [*NEWSBOT, *args], input=stdin, capture_output=True, env=environment, timeout=60,
        cwd=db.parent, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (Path(sys.executable).read_bytes()[:3000], "stdin is not UTF-8 text"),
        ("Un café. Deux cafés.".encode("latin-1"), "stdin is not UTF-8 text (byte 7)"),
        (b"Text with a NUL \x00 byte. More.", "control character (U+0000 at character 17)"),
        (b"An escape \x1b[31m here. More.", "control character (U+001B"),
    ],
)
@pytest.mark.parametrize(
    "args",
    [["add", "--title", "x"], ["edit", "1", "--body-file", "-"], ["summarize"]],
)
def test_stdin_must_be_utf8_text(db: Path, args: list[str], stdin: bytes, message: str) -> None:
    newsbot("add", "--title", "Existing", stdin=BODY, db=db)
    before = snapshot(db)
    result = run_bytes(*args, db=db, stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.decode().startswith("Error: stdin ")
    assert message in result.stderr.decode()
    assert len(result.stderr.decode().splitlines()) == 1
    assert result.stdout == b""
    assert snapshot(db) == before


def test_a_binary_jsonl_input_is_refused_whole(db: Path) -> None:
    result = run_bytes(
        "summarize", "--jsonl", db=db, stdin=Path(sys.executable).read_bytes()[:3000]
    )
    assert result.returncode == 1
    assert result.stderr.decode().startswith("Error: stdin is not UTF-8 text")
    assert result.stdout == b""


@pytest.mark.parametrize(
    ("args", "number"),
    [
        ([b"add", b"--title", b"a\x85b"], 3),
        ([b"add", b"--title=caf\xe9"], 2),
        ([b"summarize", b"--title", b"T", b"--jsonl", b"\xff.jsonl"], 5),
        ([b"list", b"--search", b"\xe9t\xe9"], 3),
    ],
)
def test_an_argument_that_is_not_utf8_is_refused(db: Path, args: list[bytes], number: int) -> None:
    newsbot("add", "--title", "Existing", stdin=BODY, db=db)
    before = snapshot(db)
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))
    }
    environment |= {"NEWSBOT_DB": str(db), "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [*NEWSBOT, *args], input=BODY.encode(), capture_output=True, env=environment,
        timeout=60, cwd=db.parent, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr == f"Error: argument {number} is not UTF-8 text\n".encode()
    assert snapshot(db) == before


def test_files_are_checked_as_stdin_is(db: Path, tmp_path: Path) -> None:
    binary = tmp_path / "body.txt"
    binary.write_bytes(b"Looks like text \x00\x01\x02. More.")
    refused(db, ["add", "--title", "x", "--body-file", str(binary)], "", "U+0000")
    lines = tmp_path / "in.jsonl"
    lines.write_bytes(b'{"title": "T", "body": "One. Two."}\n\x00\n')
    refused(db, ["import", str(lines)], "", "control character")


def test_a_byte_order_mark_is_dropped(db: Path, tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    lines = tmp_path / "excel.jsonl"
    lines.write_bytes(bom + b'{"title": "From Excel", "body": "One. Two."}\n')
    result = newsbot("import", str(lines), db=db)
    assert result.returncode == 0, result.stderr
    assert "imported 1," in result.stdout
    added = run_bytes("add", "--title", "Notepad", db=db, stdin=bom + b"Caf\xc3\xa9 one. Two.")
    assert added.returncode == 0, added.stderr
    assert snapshot(db)[-1][2] == "Café one. Two."


def test_control_characters_in_fields_are_refused(db: Path) -> None:
    refused(db, ["add", "--title", "Bell\x07"], BODY, "the title holds a control character")
    refused(
        db, ["add", "--title", "T", "--photo-caption", "a\x01b"], BODY, "the photo caption holds"
    )


@pytest.mark.parametrize("command", ["add", "edit", "import"])
def test_a_time_more_than_a_day_ahead_is_refused(db: Path, tmp_path: Path, command: str) -> None:
    args = {
        "add": ["add", "--title", "T", "--published", "2200-12-31"],
        "edit": ["edit", "1", "--published", "2200-12-31"],
        "import": ["import", str(tmp_path / "in.jsonl")],
    }[command]
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"title": "T", "body": BODY, "published_at": "2200-12-31T00:00Z"}) + "\n"
    )
    result = refused(db, args, BODY, "is in the future; at most a day ahead is allowed (until 20")
    assert "the publication time 2200-12-31T00:00+0" in result.stderr


def test_a_time_within_a_day_ahead_is_fine(db: Path) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%MZ")
    result = newsbot("add", "--title", "T", "--published", soon, stdin=BODY, db=db)
    assert result.returncode == 0, result.stderr
