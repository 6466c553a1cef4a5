"""The message catalogs: the template holds every string the code marks, and every shipped
language translates each one, whole, with the same placeholders and tags; the compiled .mo
files the package ships are those of the .po files."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALES, SOURCE, match, menu_code, own_name, translator
from tests.helpers.samples import ROOT

TRANSLATED = [language for language in LANGUAGES if language != SOURCE]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


def template() -> Catalog:
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as file:
        return read_po(file)


def catalog(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file, locale=language)


def forms(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, tuple | list) else [str(string)]


def ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def text(context: str | bytes | None) -> str | None:
    """A message's context: read_mo gives bytes, read_po text."""
    return context.decode() if isinstance(context, bytes) else context


def names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_template_holds_exactly_the_strings_the_code_marks(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-o", str(fresh), "--no-location", "--sort-output", "bot"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with fresh.open("rb") as file:
        extracted = {(m.id, m.context) for m in read_po(file) if m.id}
    shipped = {(m.id, m.context) for m in template() if m.id}
    assert extracted - shipped == set(), "new strings: run `make catalogs` and translate them"
    assert shipped - extracted == set(), "strings no longer used: run `make catalogs`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_whole_and_not_fuzzy(language: str) -> None:
    translated = catalog(language)
    assert translated.plural_forms, "the header names the language's plural forms"
    for wanted in template():
        if not wanted.id:
            continue
        found = translated.get(wanted.id, context=wanted.context)
        assert found is not None, f"{language} lacks {wanted.id!r}"
        assert not found.fuzzy, f"{language}: fuzzy {wanted.id!r}"
        strings = forms(found)
        assert all(s.strip() for s in strings), f"{language}: empty {wanted.id!r}"
        assert len(strings) == (translated.num_plurals if wanted.pluralizable else 1)


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_tags_are_kept(language: str) -> None:
    translated = catalog(language)
    for wanted in template():
        found = translated.get(wanted.id, context=wanted.context) if wanted.id else None
        if found is None:
            continue
        singular, *plural = ids(wanted)
        most = names(plural[0]) if plural else names(singular)
        for text in forms(found):
            assert names(text) <= most, f"{language}: unknown placeholder in {text!r}"
            assert names(singular) <= names(text), f"{language}: dropped one in {text!r}"
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(singular)), (
                f"{language}: tags differ in {text!r}"
            )
            text.format(**dict.fromkeys(most, "x"))  # braces balanced: it formats


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        compiled = {(str(ids(m)), text(m.context)): str(forms(m)) for m in read_mo(file) if m.id}
    written = {(str(ids(m)), m.context): str(forms(m)) for m in catalog(language) if m.id}
    assert compiled == written, "run `make catalogs` to compile the .po files"


def test_the_package_ships_the_catalogs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    files = [p.relative_to(ROOT / "bot") for p in LOCALES.rglob("*") if p.is_file()]
    assert {f.suffix for f in files} == {".pot", ".po", ".mo"}
    assert [f for f in files if not any(fnmatch(str(f), g) for g in globs)] == []
    for language in TRANSLATED:
        assert translator(language).gettext("Nothing to cancel.") != "Nothing to cancel."


@pytest.mark.parametrize(
    ("code", "language"),
    [("de", "de"), ("de-AT", "de"), ("pt-br", "pt_BR"), ("pt", "pt_BR"), ("uk", "uk"),
     ("ru", "ru"), ("es-419", "es"), ("en-GB", "en"), ("fr", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_telegram_language_codes_find_a_shipped_language(code: str | None, language: str) -> None:
    assert match(code) == language


def test_menu_codes_are_two_letters_and_names_their_own() -> None:
    assert [menu_code(language) for language in LANGUAGES] == ["en", "de", "es", "pt", "ru", "uk"]
    assert own_name("de") == "Deutsch"
    assert own_name("uk") == "Українська"
    assert own_name("pt_BR") == "Português (Brasil)"
