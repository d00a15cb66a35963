"""Escaping of spec values into Markdown: nothing from the spec can become markup."""

from __future__ import annotations

import html as html_module
from pathlib import Path

import markdown
import pytest
import yaml

from b12spec.site.escape import md_link, md_text, mermaid_label, slug
from b12spec.site.render import code_block


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html"])


def test_html_is_escaped() -> None:
    html = to_html(f"Note: {md_text('<script>alert(1)</script>')}")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("value", ["a | b", "*bold*", "_x_", "[link](http://e.org)", "`code`", "x {: .y}"])
def test_markdown_syntax_stays_text(value: str) -> None:
    html = to_html(f"| h |\n|---|\n| {md_text(value)} |\n")
    assert html.count("<td>") == 1, html  # a pipe did not split the cell
    for tag in ("<em>", "<strong>", "<a ", "<code>"):
        assert tag not in html
    # the browser shows exactly the original characters
    import html as html_module

    cell = html.split("<td>")[1].split("</td>")[0]
    assert html_module.unescape(cell) == value


@pytest.mark.parametrize("value", ["# heading", "- item", "+ item", "> quote", "1. first"])
def test_block_syntax_at_line_start_stays_text(value: str) -> None:
    html = to_html(md_text(value))
    assert html.startswith("<p>"), html


def test_newlines_cannot_end_a_table_row() -> None:
    assert "\n" not in md_text("one\ntwo | three")


def test_link_label_is_escaped_and_target_checked() -> None:
    assert "&lt;b&gt;" in md_link("<b>", "sources.md#source-1")
    with pytest.raises(ValueError):
        md_link("x", "javascript:alert(1) (x)")


def test_slug_and_mermaid_label() -> None:
    assert slug("TX-01") == "tx-01"
    assert slug("b12_status") == "b12-status"
    assert '"' not in mermaid_label('Say "hi" <now>')


def test_code_block_fence_outgrows_backticks_in_the_content() -> None:
    block = code_block("a\n```\nb", "yaml")
    fence = block.splitlines()[0].removesuffix("yaml")
    assert len(fence) > 3 and block.splitlines()[-1] == fence


def _site_extensions() -> list[object]:
    """The Markdown extensions the site really enables (mkdocs.yml), with their options."""
    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8"))
    return [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]


@pytest.mark.parametrize("opener", ["??? note", "???+ note", "!!! warning", '=== "Tab"', "```", "~~~", "# title"])
def test_a_value_opening_a_block_of_an_enabled_extension_stays_text(opener: str) -> None:
    """Defect 5 of issue 9: an annotation starting with ``??? `` rendered as a collapsible block,
    because the escaping was checked against fewer extensions than mkdocs.yml enables."""
    value = f"{opener} Watch the potassium"
    html = markdown.markdown(str(md_text(value)), extensions=_site_extensions())
    assert "<details" not in html and "admonition" not in html and "tabbed" not in html
    assert "<pre" not in html and "<code" not in html and "<h1" not in html
    assert html_module.unescape(html.split("</p>")[0].removeprefix("<p>")) == value


@pytest.mark.parametrize("value", ["[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "*a* `b` {: onclick=x}"])
def test_a_badge_is_text_whatever_its_label(value: str) -> None:
    """A catalogue section ``[FZ](javascript:alert(1))`` became a live javascript: link in its badge
    (found by the independent issue-16 harness): the badge escaped HTML but not Markdown."""
    from b12spec.site.links import badge

    html = to_html(f"Section: {badge(value, 'section')}")
    for made in ("<a ", "<img", "<em>", "<code>", "onclick=", "href="):
        assert made not in html, html
    shown = html.split('b12-section">')[1].split("</span>")[0]
    assert html_module.unescape(shown) == value


def test_a_mermaid_label_cannot_hold_a_directive() -> None:
    """Mermaid reads %%{init: ...}%% anywhere in a diagram: a table title holding one restyled the
    decision diagram with its own CSS (themeCSS; found by the independent issue-16 harness)."""
    label = mermaid_label("%%{init: {'themeCSS': '.node rect { fill: red }'}}%% Special groups")
    assert "%" not in label
    assert label.startswith("#37;#37;{init")
