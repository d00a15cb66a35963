"""The safety-properties page when spec/properties.yaml cannot be read.

It used to render an empty table, which a reviewer reads as "nothing to prove", while `check`
failed on the same file (found by the independent issue-16 harness).
"""

from __future__ import annotations

from pathlib import Path

from conftest import paths_in

from b12spec.site import site_context
from b12spec.site.render import render_pages
from b12spec.site.signoff import signoff_view


def test_an_unreadable_properties_file_is_said_on_the_page_not_shown_as_no_properties(
    tmp_path: Path, spec_copy_dir: Path
) -> None:
    path = spec_copy_dir / "properties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: SP-02", "- id: SP-01", 1), encoding="utf-8")
    paths = paths_in(tmp_path, spec_dir=spec_copy_dir, reports_dir=tmp_path / "reports")
    context = site_context(paths, signoff_view)
    assert context.proofs == ()
    assert "SP-01" in context.properties_error
    render_pages(context, paths.templates_dir, paths.build_dir / "docs")
    page = (paths.build_dir / "docs" / "properties.md").read_text(encoding="utf-8")
    assert '!!! danger "The safety properties cannot be read"' in page
    assert "No property below is proven" in page
    assert "the id is used twice" in page.split("!!! danger", 1)[1].split("| Property |", 1)[0]


def test_the_shipped_properties_page_carries_no_warning(tmp_path: Path) -> None:
    paths = paths_in(tmp_path, reports_dir=tmp_path / "reports")
    context = site_context(paths, signoff_view)
    assert context.properties_error == "" and context.proofs
    render_pages(context, paths.templates_dir, paths.build_dir / "docs")
    assert "!!! danger" not in (paths.build_dir / "docs" / "properties.md").read_text(encoding="utf-8")
