"""A table title is text on every page: the theme prints navigation and page titles escaped.

Found by an injection test: a table title of ``<img src=x onerror=alert(1)>`` ran script on
every page (Material prints navigation titles as they are), and ``<!--`` hid the rest of every
page. Titles now reach the theme HTML-escaped, and the <title> element no longer unescapes them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import paths_in

from b12spec.site import build_site
from b12spec.site.links import table_page
from b12spec.site.signoff import signoff_view

EVIL_TITLE = "<img src=x onerror=alert(1)> <!-- </title><script>alert(2)</script> & more"


def test_a_hostile_table_title_is_text_in_the_navigation_and_the_title(tmp_path: Path, spec_copy_dir: Path) -> None:
    meta = spec_copy_dir / "tables" / "treatment.yaml"
    text = meta.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    meta.write_text(text.replace(title_line, "title: '" + EVIL_TITLE.replace("'", "''") + "'"), encoding="utf-8")
    paths = paths_in(tmp_path, spec_dir=spec_copy_dir, reports_dir=tmp_path / "reports")
    build_site(paths, signoff_view)
    pages = sorted(paths.site_dir.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text, page
        assert "<script>alert(2)" not in text, page
        assert "<!-- </title>" not in text, page
        assert "</title><script>" not in text, page
    home = (paths.site_dir / "index.html").read_text(encoding="utf-8")
    nav_titles = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', home, flags=re.DOTALL)
    assert html.escape(EVIL_TITLE) in nav_titles
    table_html = (paths.site_dir / table_page("treatment").replace(".md", ".html")).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", table_html, flags=re.DOTALL)
    assert title is not None and title.group(1).startswith("&lt;img src=x onerror=alert(1)&gt;")
