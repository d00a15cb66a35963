"""Rendering of the Markdown pages from Jinja2 templates into the build directory.

The Jinja2 environment escapes by default: autoescape is on and ``finalize`` passes every
printed value through ``md_text``, so a template cannot forget to escape a spec value; only
Markup built by the link and badge helpers goes through as it is.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from b12spec.model import HitPolicy
from b12spec.site import links
from b12spec.site.context import SiteContext
from b12spec.site.escape import finalize, md_text, mermaid_label, slug
from b12spec.site.signoff import state_words
from b12spec.unary import format_literal
from b12spec.workspace import write_text

MARKER = ".b12spec-generated"


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, which template draws it, its title and extra values."""

    path: str
    template: str
    title: str
    values: tuple[tuple[str, Any], ...] = ()


def pages_for(context: SiteContext) -> list[Page]:
    pages = [
        Page("index.md", "index.md.j2", "Home"),
        Page("diagram.md", "diagram.md.j2", "Decision requirements"),
    ]
    pages += [
        Page(links.table_page(t.name), "table.md.j2", t.title, (("table", t),)) for t in context.tables
    ]
    pages += [
        Page(links.DICTIONARY_PAGE, "data-dictionary.md.j2", "Data dictionary"),
        Page(links.GLOSSARY_PAGE, "hit-policies.md.j2", "Hit policies"),
        Page(links.CATALOGUE_PAGE, "catalogue.md.j2", "Recommendation catalogue"),
        Page(links.QUESTIONS_PAGE, "open-questions.md.j2", "Open questions"),
        Page(links.SOURCES_PAGE, "sources.md.j2", "Sources"),
        Page("signoff.md", "signoff.md.j2", "Sign-off and changes since approval"),
        Page("verification.md", "verification.md.j2", "Verification"),
        Page("properties.md", "properties.md.j2", "Safety properties"),
        Page("coverage.md", "coverage.md.j2", "Test coverage"),
        Page("mutation.md", "mutation.md.j2", "Mutation score"),
        Page(links.FEATURES_PAGE, "features.md.j2", "Features"),
    ]
    pages += [Page(f.page, "feature.md.j2", f.name, (("feature", f),)) for f in context.features]
    pages += [Page("try-a-case.md", "try-a-case.md.j2", "Try a case")]
    return pages


def navigation(pages: list[Page]) -> list[Any]:
    """The mkdocs ``nav``: home, the decisions, the review pages, then the evidence."""
    by_path = {p.path: p for p in pages}

    def item(path: str) -> dict[str, str]:
        # The theme prints navigation and page titles as HTML, unescaped: a table title is text.
        return {html.escape(by_path[path].title): path}

    tables = [item(p.path) for p in pages if p.path.startswith("tables/")]
    features = [item(p.path) for p in pages if p.path.startswith("features/")]
    return [
        item("index.md"),
        {"Decisions": [item("diagram.md"), *tables]},
        {"Review": [item(links.CATALOGUE_PAGE), item(links.QUESTIONS_PAGE), item(links.SOURCES_PAGE),
                    item(links.DICTIONARY_PAGE), item(links.GLOSSARY_PAGE), item("signoff.md")]},
        {"Evidence": [item("verification.md"), item("properties.md"), item("coverage.md"), item("mutation.md"),
                      {"Features": [item(links.FEATURES_PAGE), *features]}, item("try-a-case.md")]},
    ]


def code_block(text: object, language: str = "text", indent: int = 0) -> Markup:
    """A fenced code block showing ``text`` verbatim (the code renderer escapes HTML itself)."""
    body = "" if text is None else str(text).rstrip("\n")
    fence = "`" * 3
    while fence in body:
        fence += "`"
    pad = " " * indent
    lines = [f"{fence}{slug(language)}", *body.splitlines(), fence]
    return Markup("\n".join(pad + line if line else line for line in lines))


def commas(items: object, empty: str = "none") -> Markup:
    """A list of plain values as escaped text (Jinja's own join would only HTML-escape them)."""
    values = [str(v) for v in (items or [])]  # type: ignore[attr-defined]
    return md_text(", ".join(values) if values else empty)


def show_value(value: object) -> str:
    """A value in FEEL spelling (null, true, "text"), as the tables write it; anything else as JSON."""
    try:
        return format_literal(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return json.dumps(value, ensure_ascii=False, default=str)


def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text"] = md_text
    env.filters["commas"] = commas
    env.filters["literal"] = show_value
    env.filters["code"] = code_block
    env.filters["mermaid_label"] = mermaid_label
    env.filters["slug"] = slug
    env.globals.update(
        badge=links.badge,
        state_badge=links.state_badge,
        status_badge=links.status_badge,
        state_words=state_words,
        rule_anchor=links.rule_anchor,
        field_anchor=links.field_anchor,
        hit_policy_anchor=links.hit_policy_anchor,
        source_anchor=links.source_anchor,
        question_anchor=links.question_anchor,
        recommendation_anchor=links.recommendation_anchor,
        table_page=links.table_page,
        hit_policies=list(HitPolicy),
        dict=dict,
    )
    return env



def reset_build_dir(directory: Path) -> None:
    """Empty the generated-pages directory, refusing one that b12spec did not create."""
    if directory.exists():
        if any(directory.iterdir()) and not (directory / MARKER).exists():
            raise FileExistsError(
                f"{directory} exists and was not generated by b12spec (no {MARKER}); "
                "choose another build directory or remove it"
            )
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    write_text(directory / MARKER, "Generated by `b12spec docs build`; do not edit.\n")


def copy_assets(source: Path, target: Path) -> None:
    """Static assets (styles, scripts, vendored libraries and their licences), without READMEs."""
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.md"), dirs_exist_ok=True)


def render_pages(context: SiteContext, templates: Path, build_dir: Path) -> list[Page]:
    """Render every page into ``build_dir``; returns the pages for the navigation."""
    env = environment(templates)
    pages = pages_for(context)
    for page in pages:
        template = env.get_template(page.template)
        text = template.render(ctx=context, spec=context.spec, page=links.PageLinks(page.path, context),
                               title=page.title, **dict(page.values))
        write_text(build_dir / page.path, text)
    return pages
