"""``b12spec docs build``: spec and reports -> Markdown pages -> ``mkdocs build --strict`` -> site/.

The generated Markdown and the navigation config go to a build directory (gitignored, never
edited by hand); mkdocs turns them into the static site. Strict mode plus the link validation in
mkdocs.yml turns any warning, such as a broken internal link, into a failed build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from b12spec.errors import B12SpecError
from b12spec.model import Spec
from b12spec.site.context import SiteContext, build_context, spec_last_changed
from b12spec.site.examples import evaluate_examples
from b12spec.site.packet import build_packets
from b12spec.site.render import copy_assets, navigation, render_pages, reset_build_dir
from b12spec.site.reports import load_reports
from b12spec.site.signoff import SignoffView
from b12spec.sourcetext import SourceText, SourceTextError
from b12spec.verify.trace import load_source
from b12spec.workspace import load_spec, read_features, write_text


class SiteBuildError(B12SpecError):
    """mkdocs refused the generated pages (a warning in strict mode, e.g. a broken link)."""

    def __init__(self, message: str, output: str) -> None:
        self.output = output
        super().__init__(f"{message}\n{output}".rstrip())


@dataclass(frozen=True)
class SitePaths:
    """Where everything is read from and written to; all default to the project checkout."""

    root: Path
    spec_dir: Path
    reports_dir: Path
    features_dir: Path
    examples_dir: Path
    templates_dir: Path
    assets_dir: Path
    mkdocs_config: Path
    build_dir: Path
    site_dir: Path

    @classmethod
    def for_root(cls, root: Path, site_dir: Path | None = None, spec_dir: Path | None = None) -> SitePaths:
        root = root.resolve()
        return cls(
            root=root,
            spec_dir=(spec_dir or root / "spec").resolve(),
            reports_dir=root / "reports",
            features_dir=root / "features",
            examples_dir=root / "examples",
            templates_dir=root / "docs" / "templates",
            assets_dir=root / "docs" / "assets",
            mkdocs_config=root / "mkdocs.yml",
            build_dir=root / "build",
            site_dir=(site_dir or root / "site").resolve(),
        )

    @property
    def pages_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def overrides_dir(self) -> Path:
        return self.templates_dir.parent / "overrides"

    @property
    def generated_config(self) -> Path:
        return self.build_dir / "mkdocs.yml"


def find_root(start: Path | None = None) -> Path:
    """The checkout holding mkdocs.yml and docs/templates: the working directory, else the package's."""
    for candidate in (start or Path.cwd(), Path(__file__).resolve().parents[2]):
        if (candidate / "mkdocs.yml").is_file() and (candidate / "docs" / "templates").is_dir():
            return candidate
    raise B12SpecError("no mkdocs.yml with docs/templates/ found; run b12spec docs from the b12spec checkout")


PROTECTED = ("spec", "docs", "features", "examples", "tests", "b12spec", "build", "reports", ".git", ".venv")


def _check_site_dir(paths: SitePaths) -> None:
    """mkdocs empties its output directory: never let that be the checkout or a part of it we own."""
    site = paths.site_dir
    if site == paths.root or site in paths.root.parents or (site.parent == paths.root and site.name in PROTECTED):
        raise B12SpecError(f"refusing to build the site into {site}: mkdocs empties its output directory first")


def _source_or_none(spec: Spec) -> SourceText | None:
    """The source text, for its words beside each restatement; the pages say when it is absent."""
    try:
        return load_source(spec)
    except SourceTextError:
        return None


SignoffSource = Callable[[Spec], SignoffView]


def site_context(paths: SitePaths, signoff_view: SignoffSource) -> SiteContext:
    """The view model both the site and the sign-off packets are drawn from."""
    spec = load_spec(paths.spec_dir)
    return build_context(
        spec,
        load_reports(paths.reports_dir),
        signoff_view(spec),
        list(read_features(paths.features_dir)),
        evaluate_examples(spec, paths.examples_dir, paths.root),
        spec_last_changed(paths.spec_dir),
        _source_or_none(spec),
    )


def build_packet_pdfs(
    paths: SitePaths, signoff_view: SignoffSource, output: Path, subjects: Sequence[str] = ()
) -> list[Path]:
    """Print the sign-off packets (every table and the guideline unless ``subjects`` names some)."""
    return build_packets(site_context(paths, signoff_view), paths.templates_dir, paths.spec_dir, output, subjects)


def render(paths: SitePaths, signoff_view: SignoffSource) -> Path:
    """Render the Markdown pages and the generated mkdocs config; returns the config's path."""
    context = site_context(paths, signoff_view)
    reset_build_dir(paths.pages_dir)
    copy_assets(paths.assets_dir, paths.pages_dir / "assets")
    pages = render_pages(context, paths.templates_dir, paths.pages_dir)
    config = {
        "INHERIT": str(paths.mkdocs_config),
        "docs_dir": str(paths.pages_dir),
        "site_dir": str(paths.site_dir),
        "nav": navigation(pages),
        # b12spec's theme overrides (docs/overrides): the <title> element prints escaped titles.
        "theme": {"name": "material", "custom_dir": str(paths.overrides_dir)},
    }
    header = "# Generated by `b12spec docs build`; do not edit. Settings live in mkdocs.yml.\n"
    write_text(paths.generated_config, header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return paths.generated_config


def run_mkdocs(config: Path, site_dir: Path) -> str:
    """``mkdocs build --strict``; any warning fails. Returns mkdocs' log for the caller to show."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config), "-d", str(site_dir)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life banner, not a build problem
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        problems = "\n".join(line for line in output.splitlines() if "WARNING" in line or "ERROR" in line)
        raise SiteBuildError("mkdocs build --strict failed:", problems or output)
    return output


# Material's search worker bundles lunr, whose query lexer copies the tokenizer's separator once,
# when lunr loads; the worker sets the configured separator later, so a query still splits at the
# hyphen (TX-03 -> TX, 03) although the index does not. This keeps the two in step.
_LEXER_COPY = "QueryLexer.termSeparator="
_SEPARATOR_FOLLOWS = (
    "\n/* b12spec: the query lexer follows the configured search separator */"
    "(function(){var t=lunr.tokenizer,s=t.separator;Object.defineProperty(t,'separator',"
    "{configurable:true,get:function(){return s},set:function(v){s=v;lunr.QueryLexer.termSeparator=v}})})();\n"
)


def align_search_separator(site_dir: Path) -> list[Path]:
    """Make the search worker's query lexer use the separator of mkdocs.yml; returns the files patched."""
    patched = []
    for worker in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js")):
        text = worker.read_text(encoding="utf-8")
        if _LEXER_COPY in text and _SEPARATOR_FOLLOWS not in text:
            write_text(worker, text + _SEPARATOR_FOLLOWS)
            patched.append(worker)
    return patched


def build_site(paths: SitePaths, signoff_view: SignoffSource) -> Path:
    """Render the pages, then build the static site; returns the site's index.html."""
    _check_site_dir(paths)
    config = render(paths, signoff_view)
    run_mkdocs(config, paths.site_dir)
    align_search_separator(paths.site_dir)
    return paths.site_dir / "index.html"
