"""The printable sign-off packets, read back the way a board member reads them.

Every packet is printed by Chromium (through Playwright), each page is rendered to PNG with
pypdfium2 (kept under ``<basetemp>/screenshots``) and its text extracted; the test asserts that
the packet of every table holds every rule id, output label and citation of the table and the
content hash ``b12spec status`` shows, and that the guideline's packet holds every table's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import REPO, paths_in

from b12spec.cli import main
from b12spec.site import site_context
from b12spec.site.packet import PacketError, build_packets, packets_for
from b12spec.site.signoff import signoff_view
from b12spec.workspace import load_spec

FOOTER = re.compile(r"page \d+ of \d+\s*$")


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory, feature_reports: Path) -> dict[str, Path]:
    paths = paths_in(tmp_path_factory.mktemp("packet-site"), reports_dir=feature_reports)
    output = tmp_path_factory.mktemp("packets")
    written = build_packets(site_context(paths, signoff_view), paths.templates_dir, paths.spec_dir, output)
    return {pdf.stem: pdf for pdf in written}


@pytest.fixture(scope="module")
def status() -> dict[str, str]:
    """Subject -> the content hash ``b12spec status --json`` shows for it."""
    result = CliRunner().invoke(main, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return {"guideline": data["guideline"]["current_hash"], **{t["table"]: t["current_hash"] for t in data["tables"]}}


def read_pdf(pdf: Path, screenshots: Path) -> str:
    """The packet's text, pages joined without their footers; each page also saved as a PNG."""
    document = pdfium.PdfDocument(str(pdf))
    texts = []
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=0.6).to_pil()
            image.save(screenshots / f"packet-{pdf.stem}-{number + 1:02d}.png")
            assert image.convert("L").getextrema()[0] < 200, f"{pdf.name} page {number + 1} is blank"
            texts.append(FOOTER.sub("", page.get_textpage().get_text_range()))
    finally:
        document.close()
    return " ".join(" ".join(texts).split())


def test_every_table_packet_holds_rule_ids_output_labels_citations_and_hash(
    packets: dict[str, Path], status: dict[str, str], screenshots: Path
) -> None:
    spec = load_spec(REPO / "spec")
    for table in spec.tables:
        text = read_pdf(packets[table.name.replace("_", "-")], screenshots)
        missing = [rule.id for rule in table.rules if rule.id not in text]
        missing += [c.label for c in table.outputs if c.label not in text]
        missing += [
            c.label_of(value)
            for rule in table.rules
            for c, value in zip(table.outputs, rule.outputs, strict=True)
            if " ".join(c.label_of(value).split()) not in text
        ]
        missing += [f"[{c}]" for rule in table.rules for c in rule.citations if f"[{c}]" not in text]
        missing += [q for rule in table.rules for q in rule.open_questions if q not in text]
        assert not missing, f"{table.name} packet lacks {missing}"
        assert status[table.name] in text.replace(" ", ""), f"{table.name}: hash {status[table.name]} not printed"
        assert "Signatures" in text and "Scenarios and last results" in text
        assert "not run yet" not in text  # the scenario results were there to print


def test_guideline_packet_holds_every_table_and_every_hash(
    packets: dict[str, Path], status: dict[str, str], screenshots: Path
) -> None:
    spec = load_spec(REPO / "spec")
    text = read_pdf(packets["guideline"], screenshots)
    flat = text.replace(" ", "")
    for subject, digest in status.items():
        assert digest in flat, f"guideline packet lacks the hash of {subject}"
    for table in spec.tables:
        assert table.title in text
        assert all(rule.id in text for rule in table.rules), table.name
    for question in {q for t in spec.tables for r in t.rules for q in r.open_questions}:
        assert question in text
    from b12spec.properties import load_properties

    for prop in load_properties(REPO / "spec"):
        assert prop.id in text, f"guideline packet lacks property {prop.id}"


def test_an_unknown_table_is_refused_naming_the_choices(tmp_path: Path) -> None:
    context = site_context(paths_in(tmp_path, reports_dir=tmp_path / "none"), signoff_view)
    with pytest.raises(PacketError, match=r"no decision table named 'nonsense'.*treatment"):
        packets_for(context, ["nonsense"])
    assert [p.subject for p in packets_for(context, ["treatment", "guideline"])] == ["treatment", "guideline"]
