"""``b12spec docs build`` and ``b12spec docs serve``: the reviewer site.

build renders the spec and the report files into Markdown (build/docs/) and runs
``mkdocs build --strict`` into site/; serve builds, then serves site/ on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import http.server
from dataclasses import replace
from pathlib import Path

import click

from b12spec.commands.common import fail
from b12spec.errors import B12SpecError
from b12spec.site import SitePaths, build_packet_pdfs, build_site, find_root
from b12spec.site.signoff import signoff_view


def _build(ctx: click.Context, output: Path | None, build_dir: Path | None = None) -> Path:
    try:
        spec_dir = ctx.find_root().params.get("spec_dir")
        paths = SitePaths.for_root(find_root(), site_dir=output, spec_dir=spec_dir)
        if build_dir is not None:
            paths = replace(paths, build_dir=build_dir.resolve())
        index = build_site(paths, signoff_view)
    except (B12SpecError, FileExistsError) as error:
        fail(ctx, f"the site was not built:\n{error}")
    click.echo(f"site built: {index} (pages rendered into {paths.pages_dir})")
    return index.parent


@click.group("docs")
def docs() -> None:
    """Build or serve the reviewer site (MkDocs Material, works offline)."""


@docs.command("build")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the static site (default: site/).",
)
@click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to render the Markdown pages and the generated mkdocs config (default: build/).",
)
@click.pass_context
def build_command(ctx: click.Context, output: Path | None, build_dir: Path | None) -> None:
    """Render the pages from the spec and reports/, then run mkdocs build --strict."""
    _build(ctx, output, build_dir)


@docs.command("packet")
@click.argument("subjects", nargs=-1)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site/packets"),
    show_default=True,
    help="Where to write the PDFs.",
)
@click.pass_context
def packet_command(ctx: click.Context, subjects: tuple[str, ...], output: Path) -> None:
    """Print the sign-off packets: a PDF per named table (or 'guideline'); all of them when none is named.

    Each holds the tables' rules in plain language, source statements, citations, open questions,
    scenarios and their last results, properties, content hashes and a signature block. Needs
    Chromium (/usr/bin/chromium, or B12SPEC_CHROMIUM). Run b12spec coverage --scenario-results
    first for the scenario results.
    """
    try:
        spec_dir = ctx.find_root().params.get("spec_dir")
        paths = SitePaths.for_root(find_root(), spec_dir=spec_dir)
        written = build_packet_pdfs(paths, signoff_view, output.resolve(), subjects)
    except B12SpecError as error:
        fail(ctx, f"no packet was printed:\n{error}")
    for pdf in written:
        click.echo(f"packet printed: {pdf}")


@docs.command("serve")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="Site directory.")
@click.option(
    "--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Rendered pages directory."
)
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_context
def serve_command(ctx: click.Context, output: Path | None, build_dir: Path | None, port: int) -> None:
    """Build the site, then serve it at http://127.0.0.1:PORT/ until interrupted (no live reload)."""
    site = _build(ctx, output, build_dir)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {site} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("stopped")

