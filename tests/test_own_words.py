"""Own words: no sentence of the source text is copied anywhere in the project (issue 11).

The catalogue ties every entry to the source by locators (numbers and a digest), so nothing in
the repository needs the source's words. This scan proves it: every run of ``RUN`` consecutive
words of the source (lower-cased, punctuation dropped) is looked for in every text file of the
project. Restating with exact figures shares short runs ("1 mg intramuscularly every 2-3
months"), never nine words in a row. A reference's title is quoted exactly (EXEMPT).

``test_the_scan_catches_a_copied_sentence`` proves the scan can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

from b12spec.sourcetext import source_path
from b12spec.workspace import load_spec

REPO = Path(__file__).resolve().parent.parent
RUN = 9
# Files allowed to share a run with the source, and why.
EXEMPT = {
    "spec/sources.yaml": "the titles of the source's references, which must be given exactly to identify the works",
}
SCANNED = ("spec", "b12spec", "docs", "features", "tests", "examples", "benchmarks")
SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".md", ".j2", ".feature", ".json", ".txt", ".toml", ".html", ".js",
            ".css"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text: str, length: int = RUN) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def copied(text: str, source_runs: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    return runs(text) & source_runs


def _project_files() -> list[Path]:
    files = [REPO / "README.md", REPO / "mkdocs.yml", REPO / "Makefile"]
    for folder in SCANNED:
        files += [p for p in (REPO / folder).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    return [f for f in files if f.exists()]


def test_no_run_of_the_source_is_in_the_project() -> None:
    spec = load_spec(REPO / "spec")
    source = source_path(REPO / "spec", spec.guideline.source_file).read_text(encoding="utf-8")
    source_runs = runs(source)
    assert len(source_runs) > 100, "the source text was read"
    offences = []
    for path in _project_files():
        if path.relative_to(REPO).as_posix() in EXEMPT:
            continue
        found = copied(path.read_text(encoding="utf-8", errors="replace"), source_runs)
        if found:
            offences.append(f"{path.relative_to(REPO)}: {len(found)} run(s) of {RUN} words copied from the source")
    assert not offences, "\n".join(offences)


def test_the_scan_catches_a_copied_sentence() -> None:
    source = "The quick brown fox jumps over the lazy dog, then sleeps all day under the old oak tree. 1"
    source_runs = runs(source)
    assert copied("notes: the fox jumps over the lazy dog, then sleeps all day", source_runs)
    assert not copied("a fox jumped over a lazy dog and slept under an oak", source_runs)
