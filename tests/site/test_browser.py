"""The built site in a real browser: Debian's headless Chromium driven by Playwright.

It opens the site from a local server on 127.0.0.1, reads a table page, searches, checks the
diagram is drawn by the vendored mermaid, and fails if any request tries to leave the machine.
It never skips: `make test` installs chromium when it is missing (see the Makefile).
"""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, paths_in
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from b12spec.site import SitePaths, build_site
from b12spec.site.signoff import signoff_view
from b12spec.workspace import load_spec

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(tempfile.gettempdir()) / "b12spec-screenshots"  # for a look by hand; never the checkout
TABLE = "treatment"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SitePaths:
    paths = paths_in(tmp_path_factory.mktemp("browser-site"))
    build_site(paths, signoff_view)
    return paths


@pytest.fixture(scope="module")
def base_url(built: SitePaths) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (make test does it as root)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page; every request it makes is recorded, and any leaving 127.0.0.1 is blocked."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    def only_local(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.on("request", record)
    context.route("**/*", only_local)
    page = context.new_page()
    yield page, requests
    context.close()
    outside = [url for url in requests if not url.startswith((base_url, "data:", "blob:"))]
    assert not outside, f"requests left the machine: {outside}"


def test_table_page_shows_every_rule(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, requests = visit
    table = load_spec(REPO / "spec").table(TABLE)
    page.goto(f"{base_url}tables/{TABLE}.html")
    rules_table = page.locator("article table").first
    shown = [text.strip() for text in rules_table.locator("tbody tr td:first-child").all_inner_texts()]
    assert shown == [rule.id for rule in table.rules]
    for rule in table.rules:
        assert page.locator(f"#rule-{rule.id.lower()}").is_visible()
    page.evaluate("document.getElementById('rules').scrollIntoView()")
    page.wait_for_timeout(500)  # let the header finish its scroll transition before the screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"table-{TABLE}.png"))
    assert requests, "the page was not loaded from the local server"


def test_search_finds_hydroxocobalamin(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, _ = visit
    page.goto(base_url + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # typed key by key: Material's search reacts to keyboard input, not to a value set at once
    page.locator("input.md-search__input").press_sequentially("hydroxocobalamin", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    assert results.count() > 0
    assert "hydroxocobalamin" in " ".join(results.all_inner_texts()).lower()
    assert "matching document" in page.locator(".md-search-result__meta").inner_text()


def test_diagram_is_drawn_and_nodes_link_to_tables(visit: tuple[Page, list[str]], base_url: str) -> None:
    page, _ = visit
    spec = load_spec(REPO / "spec")
    page.goto(base_url + "diagram.html")
    svg = page.locator(".b12-mermaid svg")
    svg.wait_for(state="visible", timeout=15000)
    assert page.locator(".b12-mermaid").get_attribute("data-processed") == "true"  # drawn by mermaid
    nodes = page.locator(".b12-mermaid svg g.node")
    assert nodes.count() == len(spec.tables)
    links = page.locator(".b12-mermaid svg a.b12-node-link")
    hrefs = sorted(links.nth(i).get_attribute("href") or "" for i in range(links.count()))
    assert hrefs == sorted(f"tables/{t.name.replace('_', '-')}.html" for t in spec.tables)
    page.screenshot(path=str(SCREENSHOTS / "diagram.png"))
    page.locator(".b12-mermaid svg a.b12-node-link", has_text=spec.table(TABLE).title).click()
    page.wait_for_url(f"**/tables/{TABLE}.html")


def test_site_opened_from_disk_shows_home_tables_diagram_and_questions(browser: Browser, built: SitePaths) -> None:
    """The acceptance path: site/index.html opened straight from disk, with no server at all."""
    spec = load_spec(REPO / "spec")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.goto((built.site_dir / "index.html").as_uri())
        assert spec.guideline.title in page.locator("article h1").inner_text()
        for table in spec.tables:
            link = page.locator(f"article a[href='tables/{table.name.replace('_', '-')}.html']").first
            assert link.count() == 1, table.name
        page.locator("article a[href='tables/treatment.html']").first.click()
        assert page.locator("article table").first.locator("tbody tr").count() == len(spec.table(TABLE).rules)
        page.goto((built.site_dir / "diagram.html").as_uri())
        page.locator(".b12-mermaid svg g.node").first.wait_for(state="visible", timeout=15000)
        assert page.locator(".b12-mermaid svg g.node").count() == len(spec.tables)
        page.goto((built.site_dir / "open-questions.html").as_uri())
        for question in spec.open_questions:
            assert page.locator(f"#{question.id.lower()}").is_visible()
    finally:
        context.close()
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:"))]
    assert not outside, f"requests left the machine: {outside}"
