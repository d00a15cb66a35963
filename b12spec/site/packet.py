"""The printable sign-off packet: one PDF per decision table and one for the whole guideline.

A packet holds what the advisory board signs: the table's rules in plain language beside their
cells, the source statements they restate, their citations, the open questions, the scenarios
with their last results, the guideline-wide safety properties with their proof status, the content hash
under review, and a signature block.

The HTML is rendered from ``docs/templates/packet.html.j2`` (autoescaped) and printed to PDF by
Chromium through Playwright. Chosen over WeasyPrint because both are already here: Playwright
drives the same Chromium for the browser test and the Makefile installs it, while WeasyPrint
would add Pango and its font stack from Debian to every machine; and Chromium prints the very
CSS the site is checked with (grid, break-inside), so the packet looks like the rules view.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from playwright.sync_api import sync_playwright

from b12spec.errors import B12SpecError
from b12spec.model import DecisionTable
from b12spec.site.context import SiteContext
from b12spec.site.signoff import GUIDELINE
from b12spec.workspace import write_atomic, write_text

CHROMIUM_ENV = "B12SPEC_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


class PacketError(B12SpecError):
    """The packet cannot be printed (no Chromium, or an unknown table)."""


@dataclass(frozen=True)
class Packet:
    """One packet to print: its subject (a table name or ``guideline``) and the tables it holds."""

    subject: str
    title: str
    tables: tuple[DecisionTable, ...]

    @property
    def filename(self) -> str:
        return f"{self.subject.replace('_', '-')}.pdf"


def packets_for(context: SiteContext, subjects: Sequence[str] = ()) -> list[Packet]:
    """The packets asked for (all tables and the guideline when none are named), in reading order."""
    known = {t.name: t for t in context.tables}
    wanted = list(subjects) or [*known, GUIDELINE]
    unknown = [s for s in wanted if s != GUIDELINE and s not in known]
    if unknown:
        raise PacketError(
            f"no decision table named {', '.join(map(repr, unknown))}; choose from: {', '.join(known)} or guideline"
        )
    return [
        Packet(GUIDELINE, context.spec.guideline.title, tuple(context.tables))
        if s == GUIDELINE
        else Packet(s, known[s].title, (known[s],))
        for s in wanted
    ]


def render_packet(context: SiteContext, packet: Packet, templates: Path) -> str:
    """The packet as one standalone HTML document (every value escaped by autoescape)."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    questions = {q.id: q for q in context.spec.open_questions}
    asked = sorted({q for t in packet.tables for r in t.rules for q in r.open_questions})
    cited = sorted({c for t in packet.tables for r in t.rules for c in r.citations}, key=lambda c: (not c.isdigit(), c))
    return env.get_template("packet.html.j2").render(
        ctx=context,
        spec=context.spec,
        packet=packet,
        panel=context.signoff.panel(packet.subject),
        table_panels={t.name: context.signoff.panel(t.name) for t in packet.tables},
        questions=[questions[q] for q in asked if q in questions],
        sources=[s for c in cited if (s := context.spec.source(c)) is not None],
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        css=(templates / "packet.css").read_text(encoding="utf-8"),
    )


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    if not Path(path).exists():
        raise PacketError(
            f"Chromium is not at {path}: install it (apt-get install chromium; make test does it as root) "
            f"or set {CHROMIUM_ENV} to its path"
        )
    return path


def print_pdfs(documents: Sequence[tuple[str, Path]]) -> list[Path]:
    """Print each (html, target) to an A4 PDF with one Chromium; writes go through a temporary file."""
    executable = chromium_path()
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for html, target in documents:
                page.set_content(html, wait_until="load")
                pdf = page.pdf(
                    format="A4", print_background=True, display_header_footer=True,
                    header_template="<span></span>",
                    footer_template='<div style="font-size:7pt;width:100%;text-align:center;color:#333">'
                    'page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
                    margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                )
                write_atomic(target, pdf)
                written.append(target)
        finally:
            browser.close()
    return written


def build_packets(
    context: SiteContext, templates: Path, spec_dir: Path, output: Path, subjects: Sequence[str] = (),
    keep_html: bool = False,
) -> list[Path]:
    """Render and print the packets into ``output``; returns the PDFs written."""
    documents = []
    for packet in packets_for(context, subjects):
        html = render_packet(context, packet, templates)
        target = output / packet.filename
        if keep_html:
            write_text(target.with_suffix(".html"), html)
        documents.append((html, target))
    return print_pdfs(documents)
