"""The table pages show each rule's restatement beside the source's words, read at build time,
and a citation's hover names the reference (issue 11)."""

from __future__ import annotations

import html
import re

from b12spec.evidence import evidence_for
from b12spec.site import SitePaths
from b12spec.site.links import table_page
from b12spec.verify.trace import load_source
from b12spec.workspace import load_spec


def _html(paths: SitePaths, name: str) -> str:
    return (paths.site_dir / table_page(name).replace(".md", ".html")).read_text(encoding="utf-8")


def test_every_rule_shows_the_source_words_beside_its_restatement(site_without_reports: SitePaths) -> None:
    spec = load_spec(site_without_reports.spec_dir)
    source = load_source(spec)
    assert source is not None
    for table in spec.tables:
        page = _html(site_without_reports, table.name)
        quoted = {html.unescape(q) for q in re.findall(r'<q class="b12-source">(.*?)</q>', page)}
        for rule in table.rules:
            for evidence in evidence_for(spec, source, rule.id):
                assert html.unescape(html.escape(evidence.entry.statement)) in html.unescape(page)
                for quote in evidence.quotes:
                    assert quote.text in quoted, (rule.id, evidence.entry.id)


def test_hovering_a_citation_shows_the_reference(site_without_reports: SitePaths) -> None:
    spec = load_spec(site_without_reports.spec_dir)
    page = _html(site_without_reports, "b12_status")
    titles = dict(re.findall(r'<a href="\.\./sources\.html#source-([\w-]+)" title="([^"]*)"', page))
    assert titles, "citations carry a title"
    for slug_id, title in titles.items():
        reference = next(s for s in spec.sources if re.sub(r"[^a-z0-9]+", "-", s.id.lower()) == slug_id)
        assert html.unescape(title).startswith(reference.title)
