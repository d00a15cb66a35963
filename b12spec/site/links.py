"""Links between the generated pages, relative to the page being rendered.

Links are Markdown links (not raw HTML) so that ``mkdocs build --strict`` checks every one of
them, anchors included: a link to a missing page or rule fails the build.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from markupsafe import Markup

from b12spec.site.escape import md_link, md_text, slug
from b12spec.site.signoff import state_words

if TYPE_CHECKING:
    from b12spec.site.context import ScenarioRef, SiteContext

SOURCES_PAGE = "sources.md"
QUESTIONS_PAGE = "open-questions.md"
FEATURES_PAGE = "features.md"
CATALOGUE_PAGE = "catalogue.md"


def table_page(name: str) -> str:
    return f"tables/{slug(name)}.md"


DICTIONARY_PAGE = "data-dictionary.md"
GLOSSARY_PAGE = "hit-policies.md"


def field_anchor(name: str) -> str:
    return f"field-{slug(name)}"


def hit_policy_anchor(notation: str) -> str:
    """``C+`` and ``C<`` must not collapse into one slug: the symbols are spelled out."""
    words = {"+": "-sum", "<": "-min", ">": "-max", "#": "-count"}
    return "hit-policy-" + slug("".join(words.get(ch, ch) for ch in notation))


def rule_anchor(rule_id: str) -> str:
    return f"rule-{slug(rule_id)}"


def source_anchor(source_id: str) -> str:
    return f"source-{slug(source_id)}"


def question_anchor(question_id: str) -> str:
    return slug(question_id)


def recommendation_anchor(recommendation_id: str) -> str:
    return f"rec-{slug(recommendation_id)}"


def badge(text: str, kind: str) -> Markup:
    """An inline coloured label; ``kind`` picks the colour class and is reduced to a slug.

    The text goes through md_text like every spec value: Markdown still reads inside the span, so
    HTML escaping alone let a catalogue section ``[x](javascript:...)`` become a live link.
    """
    return Markup(f'<span class="b12-badge b12-{slug(kind)}">{md_text(text)}</span>')


def state_badge(state: str | None) -> Markup:
    return badge(state_words(state), state or "not-recorded")


def status_badge(status: str | None) -> Markup:
    text = status or "not run yet"
    return badge(text, text)


class PageLinks:
    """The link helpers templates call as ``page.rule(id)``; they know where the page lives."""

    def __init__(self, path: str, context: SiteContext) -> None:
        self.path = path
        self.context = context

    def url(self, target: str, anchor: str | None = None) -> str:
        here = posixpath.dirname(self.path) or "."
        relative = posixpath.relpath(target, here) if target != self.path else ""
        if anchor:
            return f"{relative}#{anchor}"
        return relative or posixpath.basename(target)

    def link(self, label: object, target: str, anchor: str | None = None, title: object = None) -> Markup:
        return md_link(label, self.url(target, anchor), title)

    def table(self, name: str, label: object = None) -> Markup:
        try:
            title = self.context.spec.table(name).title
        except KeyError:
            return md_text(name)
        return self.link(title if label is None else label, table_page(name))

    def rule(self, rule_id: str) -> Markup:
        table = self.context.rule_table.get(rule_id)
        if table is None:
            return md_text(rule_id)
        return self.link(rule_id, table_page(table.name), rule_anchor(rule_id))

    def source(self, source_id: str) -> Markup:
        """A citation; hovering it shows the reference (marked when beyond the source)."""
        reference = self.context.spec.source(source_id)
        if reference is None:
            return md_text(source_id)
        hover = reference.title + ("" if reference.in_source else " (beyond the source)")
        return self.link(f"[{source_id}]", SOURCES_PAGE, source_anchor(source_id), title=hover)

    def question(self, question_id: str) -> Markup:
        if question_id not in {q.id for q in self.context.spec.open_questions}:
            return md_text(question_id)
        return self.link(question_id, QUESTIONS_PAGE, question_anchor(question_id))

    def field(self, name: str, label: object = None) -> Markup:
        if self.context.spec.dictionary.get(name) is None:
            return md_text(name if label is None else label)
        return self.link(name if label is None else label, DICTIONARY_PAGE, field_anchor(name))

    def hit_policy(self, notation: str, label: object = None) -> Markup:
        return self.link(notation if label is None else label, GLOSSARY_PAGE, hit_policy_anchor(notation))

    def question_badge(self, question_id: str) -> Markup:
        """An open question named in full: its id (a link) and its title."""
        question = next((q for q in self.context.spec.open_questions if q.id == question_id), None)
        title = Markup(" ") + md_text(question.title) if question is not None else ""
        return Markup(f'<span class="b12-oq">{self.question(question_id)}{title}</span>')

    def recommendation(self, recommendation_id: str) -> Markup:
        return self.link(recommendation_id, CATALOGUE_PAGE, recommendation_anchor(recommendation_id))

    def scenario(self, ref: ScenarioRef) -> Markup:
        name = self.link(ref.name, ref.page or FEATURES_PAGE, ref.anchor) if ref.anchor else md_text(ref.name)
        runs = Markup(" ") + md_text(f"({ref.runs} runs)") if ref.runs > 1 else ""
        return Markup(f"{name}{runs} {status_badge(ref.status)}")

    def join(self, items: list[Markup] | tuple[Markup, ...], empty: str = "none") -> Markup:
        return Markup(", ").join(items) if items else md_text(empty)

    # List forms, so templates need no loops just to join links with commas.
    def sources(self, ids: tuple[str, ...] | list[str], empty: str = "none") -> Markup:
        return self.join([self.source(i) for i in ids], empty)

    def questions(self, ids: tuple[str, ...] | list[str], empty: str = "none") -> Markup:
        return self.join([self.question(i) for i in ids], empty)

    def rules(self, ids: tuple[str, ...] | list[str], empty: str = "none") -> Markup:
        return self.join([self.rule(i) for i in ids], empty)

    def recommendations(self, ids: tuple[str, ...] | list[str], empty: str = "none") -> Markup:
        return self.join([self.recommendation(i) for i in ids], empty)

    def tables(self, names: tuple[str, ...] | list[str], empty: str = "none") -> Markup:
        return self.join([self.table(n) for n in names], empty)

    def scenarios(self, refs: list[ScenarioRef], empty: str = "none") -> Markup:
        return self.join([self.scenario(r) for r in refs], empty)
