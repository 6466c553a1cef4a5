"""`newsbot list --json` and `newsbot show ID --json`: the stored articles for scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import newsbot
from tests.helpers.samples import BODY, PNG

GERMAN = (
    "Der Stadtrat hat am Montag den Bau einer neuen Brücke über den Fluss beschlossen. "
    "Die Brücke kostet 40 Millionen Euro. Die Arbeiten beginnen im Frühjahr."
)
FIELDS = [
    "id",
    "title",
    "body",
    "url",
    "language",
    "published_at",
    "updated_at",
    "photo",
    "photo_caption",
    "photo_credit",
    "photo_url",
    "version",
    "source_id",
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three articles: with a photo file, with a photo link, without a photo."""
    db = tmp_path / "news.db"
    (tmp_path / "photo.png").write_bytes(PNG)
    lines = [
        {"title": "Bridge approved", "body": BODY, "photo": "photo.png",
         "photo_caption": "The river", "credit": "AP", "url": "https://example.org/bridge",
         "published_at": "2026-11-25T09:00"},
        {"title": "Brücke genehmigt", "body": GERMAN, "language": "german",
         "photo": "https://example.org/brücke.jpg", "published_at": "2026-11-26T10:30+01:00"},
        {"title": "Older story", "body": "Something happened. Then more.",
         "published_at": "2026-01-01T00:00Z"},
    ]  # fmt: skip
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    imported = newsbot("import", str(batch), db=db)
    assert imported.returncode == 0, imported.stderr
    return db


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_list_json_is_one_object_per_line_newest_first(db: Path) -> None:
    result = newsbot("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    german, bridge, older = json_lines(result.stdout)
    assert [german["id"], bridge["id"]] == [2, 1]
    assert list(bridge) == FIELDS
    assert bridge == {
        "id": 1,
        "title": "Bridge approved",
        "body": BODY,
        "url": "https://example.org/bridge",
        "language": "english",
        "published_at": "2026-11-25T08:00:00Z",  # 09:00 in Berlin, the test's zone
        "updated_at": bridge["updated_at"],
        "photo": True,
        "photo_caption": "The river",
        "photo_credit": "AP",
        "photo_url": None,
        "version": 0,
        "source_id": None,
    }
    assert bridge["updated_at"].endswith("Z")
    assert len(bridge["updated_at"]) == len("2026-11-25T08:00:00Z")
    assert german["published_at"] == "2026-11-26T09:30:00Z"
    assert (german["photo"], german["photo_url"]) == (True, "https://example.org/brücke.jpg")
    assert (older["photo"], older["photo_url"], older["url"]) == (False, None, None)
    assert (older["photo_caption"], older["photo_credit"]) == ("", "")


def test_non_ascii_stays_readable(db: Path) -> None:
    out = newsbot("list", "--json", "--search", "brücke", db=db).stdout
    assert "Brücke genehmigt" in out
    assert "\\u00fc" not in out
    assert [a["title"] for a in json_lines(out)] == ["Brücke genehmigt"]


def test_list_json_honours_search_limit_and_offset(db: Path) -> None:
    def ids(*args: str) -> list[int]:
        result = newsbot("list", "--json", *args, db=db)
        assert result.returncode == 0, result.stderr
        return [a["id"] for a in json_lines(result.stdout)]

    assert ids() == [2, 1, 3]
    assert ids("-n", "2") == [2, 1]
    assert ids("--offset", "1", "--limit", "1") == [1]
    assert ids("--search", "bridge") == [1]
    assert ids("--search", "nothing like this") == []


def test_list_json_of_an_empty_store_prints_nothing(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    assert newsbot("add", "--title", "Gone", stdin=BODY, db=db).returncode == 0
    assert newsbot("delete", "1", db=db).returncode == 0
    result = newsbot("list", "--json", db=db)
    assert (result.returncode, result.stdout) == (0, "")


def test_show_json_is_one_object_with_the_summary_show_prints(db: Path) -> None:
    result = newsbot("show", "1", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    shown = json.loads(result.stdout)
    assert list(shown) == [*FIELDS, "summary"]
    listed = json_lines(newsbot("list", "--json", db=db).stdout)
    assert {k: v for k, v in shown.items() if k != "summary"} == listed[1]
    plain = newsbot("show", "1", db=db).stdout
    sentences = plain.split("Summary:\n")[1].split("\n\n")[0].splitlines()
    assert shown["summary"] == [s.strip() for s in sentences]
    assert shown["summary"]
    assert all(s in BODY for s in shown["summary"])


def test_show_json_after_an_edit_has_the_new_version(db: Path, tmp_path: Path) -> None:
    edited = newsbot("edit", "3", "--title", "Newer headline", db=db)
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(newsbot("show", "--json", "3", db=db).stdout)
    assert (shown["title"], shown["version"]) == ("Newer headline", 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "99", "--json"], "Error: no article with id 99\n"),
        (["list", "--json", "--search", "🚆"], "Error: 🚆 has no words to search for"),
    ],
)
def test_errors_stay_one_line(db: Path, args: list[str], message: str) -> None:
    result = newsbot(*args, db=db)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["list", "show"])
def test_help_mentions_json(db: Path, command: str) -> None:
    result = newsbot(command, "--help", db=db)
    assert result.returncode == 0, result.stderr
    assert "--json" in result.stdout
    assert "JSON" in result.stdout
