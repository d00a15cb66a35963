"""Fixtures for the reviewer-site tests: site builds into temporary directories.

Every build here writes its pages and site under tmp_path, never into the checkout's build/ or
site/, so the tests can run beside `make run` and beside each other.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from b12spec.cli import main
from b12spec.site import SitePaths, build_site
from b12spec.site.signoff import signoff_view

REPO = Path(__file__).resolve().parents[2]


def paths_in(tmp: Path, **changes: Path) -> SitePaths:
    """The checkout's inputs with build/ and site/ moved under ``tmp``."""
    return replace(SitePaths.for_root(REPO), build_dir=tmp / "build", site_dir=tmp / "site", **changes)


@pytest.fixture(scope="session")
def empty_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("no-reports")


@pytest.fixture(scope="session")
def site_without_reports(tmp_path_factory: pytest.TempPathFactory, empty_reports: Path) -> SitePaths:
    """The real spec built with an empty reports directory: nothing has run yet."""
    paths = paths_in(tmp_path_factory.mktemp("site-bare"), reports_dir=empty_reports)
    build_site(paths, signoff_view)
    return paths


@pytest.fixture
def spec_copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(REPO / "spec", target)
    return target


@pytest.fixture(scope="session")
def feature_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Coverage and scenario results of the real features, written to a temporary reports dir."""
    directory = tmp_path_factory.mktemp("feature-reports")
    result = CliRunner().invoke(
        main,
        ["coverage", "--quiet", "--output", str(directory / "coverage.json"),
         "--scenario-results", str(directory / "scenario-results.json")],
    )
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots and rendered packet pages: a test artefact under pytest's temporary directory."""
    directory = tmp_path_factory.getbasetemp() / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory
