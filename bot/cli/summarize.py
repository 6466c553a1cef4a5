"""`newsbot summarize`: the summarizer on any text, or on JSON lines for batch evaluation."""

from __future__ import annotations

import json

import click

from bot.cli.base import WholeNumber, read_text
from bot.cli.lines import read_lines
from summaries.articles import check_text, clean_text
from summaries.errors import InvalidArticleError, SummaryError
from summaries.languages import told_language
from summaries.summarize import DEFAULT_METHOD, METHODS, summarize
from summaries.tokenizer import SUPPORTED_LANGUAGES


@click.command("summarize")
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option(
    "--sentences", "-n", type=WholeNumber(1, None), help="Summary length in sentences (default 3)."
)
@click.option("--chars", "-c", type=WholeNumber(1, None), help="Summary length in characters.")
@click.option(
    "--method",
    "-m",
    type=click.Choice(METHODS),
    default=DEFAULT_METHOD,
    show_default=True,
    help="Summarization method.",
)
@click.option(
    "--language",
    "-l",
    type=click.Choice(SUPPORTED_LANGUAGES, case_sensitive=False),
    default=None,
    help="The text's language [default: told from the text, as newsbot add does].",
)
@click.option("--title", "-t", default="", help="The headline, which the default method uses.")
@click.option(
    "--jsonl",
    is_flag=True,
    help='Read lines {"text": ..., "title": ...}; write lines {"summary": [...]}.',
)
def summarize_command(
    source: str,
    sentences: int | None,
    chars: int | None,
    method: str,
    language: str | None,
    title: str,
    jsonl: bool,
) -> None:
    """Print a summary of FILE (or stdin), one sentence per line."""
    if sentences and chars:
        raise click.UsageError("give --sentences or --chars, not both")
    if sentences is None and chars is None:
        sentences = 3

    def run(body: str, headline: str) -> list[str]:
        found = summarize(
            clean_text(body),
            title=clean_text(headline),
            sentences=sentences,
            chars=chars,
            method=method,
            language=language.lower() if language else told_language(headline, body),
        )
        if not found:  # only a character budget smaller than every sentence gets here
            raise SummaryError(
                f"no whole sentence fits in {chars} character{'' if chars == 1 else 's'}"
            )
        return found

    if not jsonl:
        for sentence in run(read_text(source), title):
            click.echo(sentence)
        return
    # One output line per non-blank input line, so outputs align with inputs: a bad line
    # (not UTF-8, not JSON, no text) gets an {"error": ...} line and the batch goes on; like
    # import, each is named on stderr as SOURCE:LINE: reason, and the exit code is 1 at the
    # end. A blank line is skipped and gets no output line.
    name, lines, failed = "stdin" if source == "-" else source, read_lines(source), 0
    for line in lines:
        try:
            if line.error:
                raise SummaryError(line.error)
            output: dict[str, object] = {"summary": run(*_text_and_title(line.text))}
        except (SummaryError, InvalidArticleError) as error:
            failed += 1
            output = {"error": str(error)}
            click.echo(f"{name}:{line.number}: {error}", err=True)
        click.echo(json.dumps(output, ensure_ascii=False))
    if failed:
        raise click.ClickException(f"{failed} of {len(lines)} lines could not be summarized")


def _text_and_title(line: str) -> tuple[str, str]:
    """The "text" and "title" of one JSON line; SummaryError or InvalidArticleError if bad."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise SummaryError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise SummaryError('expected an object with a "text" string')
    if not isinstance(item.get("title") or "", str):
        raise SummaryError('"title" must be a string')
    return check_text(item["text"], "the text"), check_text(item.get("title") or "", "the title")
