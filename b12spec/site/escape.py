"""Escaping of spec values for Markdown pages that Python-Markdown turns into HTML.

Every value from the spec, the reports or a case file reaches a page through ``md_text``: HTML
is escaped (an annotation holding ``<script>`` shows as text) and every character Markdown or
its extensions would read as syntax becomes a numeric character reference, so a ``|`` cannot
split a table cell and a ``*`` cannot start emphasis. Python-Markdown keeps character
references as they are, and the browser shows the character itself.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

# Characters that Markdown (inline syntax, tables, attr_list, the toc permalink) may treat as syntax.
_MARKDOWN_SPECIAL = {
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "!": "&#33;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    ":": "&#58;",
    "$": "&#36;",
    "?": "&#63;",  # ??? opens a collapsible block (pymdownx.details)
}
# At the start of a line these open a block (heading, list, quote, numbered list).
_BLOCK_START = re.compile(r"^(#|-|\+|>|=|\d+[.)](\s|$))")
_SLUG = re.compile(r"[^a-z0-9]+")


def md_text(value: Any) -> Markup:
    """Any value as inert text on a Markdown page: HTML-escaped and Markdown-neutral, one line."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # a newline could end a table row or start a block
    html = str(escape(text))
    html = "".join(_MARKDOWN_SPECIAL.get(ch, ch) for ch in html)
    match = _BLOCK_START.match(html)
    if match:
        html = f"&#{ord(html[0])};{html[1:]}"
    return Markup(html)


def slug(value: str) -> str:
    """A stable anchor or file name for an id from the spec (``TX-01`` -> ``tx-01``)."""
    return _SLUG.sub("-", value.lower()).strip("-") or "x"


def md_link(label: Any, target: str, title: Any = None) -> Markup:
    """A Markdown link whose label is escaped; ``target`` is a relative path b12spec built from slugs.

    ``title`` (escaped, parentheses too) is what a browser shows on hover.
    """
    if ":" in target or any(ch in target for ch in " ()<>\"'\n"):
        raise ValueError(f"unsafe link target {target!r}")
    if title is None:
        return Markup(f"[{md_text(label)}]({target})")
    hover = str(md_text(title)).replace("(", "&#40;").replace(")", "&#41;")
    return Markup(f'[{md_text(label)}]({target} "{hover}")')


def mermaid_label(value: Any) -> str:
    """A node label for a quoted mermaid string; the page then HTML-escapes it once more.

    ``%`` is an entity too: mermaid reads ``%%{init: ...}%%`` anywhere in a diagram as a directive,
    so a table title could restyle the diagram with its own CSS (themeCSS).
    """
    text = " ".join(("" if value is None else str(value)).split())
    return (
        text.replace("#", "#35;").replace("%", "#37;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )


def finalize(value: Any) -> Markup:
    """Jinja2 ``finalize``: whatever a template prints is escaped unless it is already Markup."""
    return md_text(value)
