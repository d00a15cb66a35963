"""The reviewer site: the spec and the latest reports rendered as a MkDocs Material site.

``build_site(SitePaths.for_root(root))`` renders Markdown pages with Jinja2 into build/docs/ and
runs ``mkdocs build --strict`` into site/. See b12spec.site.build.
"""

from b12spec.site.build import (
    SiteBuildError,
    SitePaths,
    build_packet_pdfs,
    build_site,
    find_root,
    render,
    run_mkdocs,
    site_context,
)

__all__ = [
    "SiteBuildError",
    "SitePaths",
    "build_packet_pdfs",
    "build_site",
    "find_root",
    "render",
    "run_mkdocs",
    "site_context",
]
