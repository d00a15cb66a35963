"""`b12spec trace`: an author's aid for the catalogue's locators (see sourcetext.py).

``trace locate LINE [--start S --end E]`` or ``trace locate --find TEXT`` prints the locator to
paste into an entry of spec/catalogue.yaml; ``trace show [ENTRY]`` prints, on the terminal only,
the words of the source each entry locates, beside the entry's restatement, so an author can
judge the two together. Neither writes a file: the source's words never enter the project.
"""

from __future__ import annotations

import click

from b12spec.commands.common import EXIT_INVALID, fail, load_spec_or_exit
from b12spec.sourcetext import Locator, SourceText, SourceTextError
from b12spec.verify.trace import load_source


def _source_or_exit(ctx: click.Context) -> SourceText:
    spec = load_spec_or_exit(ctx)
    try:
        source = load_source(spec)
    except SourceTextError as error:
        fail(ctx, f"{error}")
        raise
    if source is None:
        fail(ctx, "the guideline declares no source text (source_file: none)")
        raise SystemExit(EXIT_INVALID)
    return source


def locator_yaml(locator: Locator) -> str:
    """A locator as a catalogue.yaml list item."""
    return f'- {{line: {locator.line}, start: {locator.start}, end: {locator.end}, digest: "{locator.digest}"}}'


@click.group("trace")
def trace_group() -> None:
    """Locators tying catalogue entries to the source text (nothing is written)."""


@trace_group.command("locate")
@click.argument("line", type=int, required=False)
@click.option("--start", type=int, default=None, help="First character of the span (0-based).")
@click.option("--end", type=int, default=None, help="One past the span's last character.")
@click.option("--find", "fragment", default=None, help="Locate every occurrence of this text instead.")
@click.pass_context
def locate_command(ctx: click.Context, line: int | None, start: int | None, end: int | None,
                   fragment: str | None) -> None:
    """Print the locator of LINE of the source (its whole statement, or --start/--end of it)."""
    source = _source_or_exit(ctx)
    if fragment is not None:
        found = source.find(fragment)
        if not found:
            fail(ctx, "the text is not in the source")
        for locator in found:
            click.echo(locator_yaml(locator))
        return
    if line is None:
        raise click.UsageError("give a LINE number or --find TEXT")
    try:
        click.echo(locator_yaml(source.locate(line, start, end)))
    except SourceTextError as error:
        fail(ctx, f"{error}")


@trace_group.command("show")
@click.argument("entry", required=False)
@click.pass_context
def show_command(ctx: click.Context, entry: str | None) -> None:
    """Print each entry's restatement and the source words it locates (terminal only)."""
    spec = load_spec_or_exit(ctx)
    source = _source_or_exit(ctx)
    entries = [e for e in spec.catalogue if entry is None or e.id == entry]
    if not entries:
        fail(ctx, f"no catalogue entry {entry!r}")
    for item in entries:
        click.echo(f"{item.id} ({', '.join(item.rules) or 'narrative'}): {item.statement}")
        for locator in item.locators:
            state = "" if source.matches(locator) else "  [DOES NOT MATCH: refresh with trace locate]"
            click.echo(f"    source {locator}: {source.span(locator) or '(outside the source)'}{state}")

