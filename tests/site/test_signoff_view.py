"""Sign-off on the site: real ledger states and changes, and honesty when there is no module."""

from __future__ import annotations

import csv
import html
from pathlib import Path

from conftest import paths_in
from signoff.helpers import make_keys, write_roster

from b12spec.signoff import establish, record
from b12spec.signoff.keys import load_signing_key
from b12spec.site import build_site
from b12spec.site.links import table_page
from b12spec.site.signoff import SignoffView, signoff_view
from b12spec.workspace import load_spec

BOARD = {"Ann Author": "guideline author", "Rex Reviewer <b>": "haematologist", "Dr Second": "gastroenterologist"}


def approve(spec_dir: Path, table: str) -> None:
    """Submit and approve ``table`` with a board of real keys (made in the test's temp dir)."""
    keys_dir = spec_dir.parent / "keys"
    if not keys_dir.exists():
        keys = make_keys(keys_dir, list(BOARD))
        write_roster(spec_dir, keys, quorum=2, roles=BOARD)
        establish(load_spec(spec_dir), keys["Ann Author"])
    keys = {name: load_signing_key(keys_dir / f"{name.replace(' ', '_')}.key") for name in BOARD}
    spec = load_spec(spec_dir)
    record(spec, table, "submit", keys["Ann Author"])
    record(spec, table, "start-review", keys["Rex Reviewer <b>"])
    record(spec, table, "approve", keys["Dr Second"])
    record(spec, table, "approve", keys["Rex Reviewer <b>"], note="checked against the source")


def read(site: Path, page: str) -> str:
    return html.unescape((site / page.replace(".md", ".html")).read_text(encoding="utf-8"))


def test_approved_then_changed_table_shows_badge_and_cell_changes(tmp_path: Path, spec_copy_dir: Path) -> None:
    approve(spec_copy_dir, "treatment")
    approve(spec_copy_dir, "route")
    csv_file = spec_copy_dir / "tables" / "treatment.csv"
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    changed_rule = rows[2][0]
    rows[2][-1] = "Annotation edited after approval"
    with csv_file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)

    paths = paths_in(tmp_path, spec_dir=spec_copy_dir, reports_dir=tmp_path / "reports")
    build_site(paths, signoff_view)

    route = read(paths.site_dir, table_page("route"))
    assert "b12-approved" in route and "Rex Reviewer <b>" in route
    treatment = read(paths.site_dir, table_page("treatment"))
    assert "b12-changed-since-approval" in treatment
    detail = treatment.split(f'id="rule-{changed_rule.lower()}"')[1].split("<h3")[0]
    assert "Changed since approval" in detail
    other = treatment.split(f'id="rule-{rows[1][0].lower()}"')[1].split("<h3")[0]
    assert "Changed since approval" not in other
    changes = read(paths.site_dir, "signoff.md")
    assert "Annotation edited after approval" in changes and changed_rule in changes
    raw = (paths.site_dir / "signoff.html").read_text(encoding="utf-8")
    assert "<b>" not in raw.split("<article")[1]  # the reviewer's name is text, not markup


def test_without_a_signoff_view_every_table_says_no_sign_off_recorded(tmp_path: Path) -> None:
    paths = paths_in(tmp_path, reports_dir=tmp_path / "reports")
    build_site(paths, lambda spec: SignoffView(available=False))
    spec = load_spec(paths.spec_dir)
    for table in spec.tables:
        assert "No sign-off recorded" in read(paths.site_dir, table_page(table.name))
    assert "No sign-off recorded" in read(paths.site_dir, "signoff.md")
    for state in ("Approved", "Draft", "Under review"):
        assert f">{state}<" not in read(paths.site_dir, "index.md")


def test_a_changed_threshold_shows_the_input_region_whose_answer_changed(tmp_path: Path, spec_copy_dir: Path) -> None:
    approve(spec_copy_dir, "b12_status")
    csv_file = spec_copy_dir / "tables" / "b12_status.csv"
    text = csv_file.read_text(encoding="utf-8")
    assert "DX-01,< 180," in text
    csv_file.write_text(text.replace("DX-01,< 180,", "DX-01,< 200,"), encoding="utf-8")
    paths = paths_in(tmp_path, spec_dir=spec_copy_dir, reports_dir=tmp_path / "reports")
    build_site(paths, signoff_view)
    page = read(paths.site_dir, "signoff.md")
    section = page.split("Input regions whose answer changed")[1]
    assert "total_b12 [180..200)" in section and "deficient" in section and "indeterminate" in section
