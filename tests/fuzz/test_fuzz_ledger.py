"""Property: a damaged sign-off ledger is refused with a reason, or means exactly what it meant.

The ledger is the board's record of who approved what; a reader that crashed on a damaged ledger
or, worse, read it as something it never recorded would misstate the sign-off state. Every
example damages the bytes of a committed ledger (a splice of arbitrary bytes, a line dropped,
doubled or swapped) and reads it through the real commands. Found by the independent issue-16
harness: `signoff roster` and `signoff changes` answered "no genesis event yet" and "no changes"
with exit 0 for ledgers they could not read.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from signoff.helpers import FakeClock, approve, make_board

from b12spec.cli import main
from b12spec.signoff.ledger import ledger_path, read_ledger
from b12spec.workspace import load_spec

from .conftest import assert_clean_exit, fuzz, strict_json

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=fuzz", "-c", "user.email=fuzz@example.org", *args],
        cwd=root, check=True, capture_output=True,
    )


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A spec whose first table is approved by a board of four, the ledger committed to git (so that
    a cut or rewritten history is detectable, as in the repository)."""
    root = tmp_path_factory.mktemp("ledger-fuzz")
    spec = root / "spec"
    shutil.copytree(SPEC_DIR, spec)
    shutil.rmtree(spec / "signoff")
    (spec / "signoff").mkdir()
    clock = FakeClock()
    make_board(spec, root / "keys", clock)
    loaded = load_spec(spec)
    approve(loaded, loaded.tables[0].name, clock)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the board's ledger")
    return spec, ledger_path(spec).read_bytes()


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    lines = original.split(b"\n")[:-1]
    how = draw(st.sampled_from(["splice", "drop", "double", "swap"]))
    if how == "splice":
        at = draw(st.integers(0, len(original)))
        cut = draw(st.integers(0, 8))
        noise = draw(
            st.one_of(
                st.binary(min_size=1, max_size=6),
                st.sampled_from([b"\xe2\x80\xa8", b"\xc2\x85", b"\xff", b'"', b"}", b"\\u0000", b"NaN", b"1e400"]),
            )
        )
        return original[:at] + noise + original[at + cut:]
    index = draw(st.integers(0, len(lines) - 1))
    if how == "drop":
        del lines[index]
    elif how == "double":
        lines.insert(index, lines[index])
    else:
        other = draw(st.integers(0, len(lines) - 1).filter(lambda i: lines[i] != lines[index]))
        lines[index], lines[other] = lines[other], lines[index]
    return b"\n".join(lines) + b"\n"


@fuzz(30)
@given(data=st.data(), command=st.sampled_from([["status"], ["signoff", "roster"], ["signoff", "changes"]]))
def test_a_damaged_ledger_is_refused_with_a_reason_or_reads_as_recorded(
    board: tuple[Path, bytes], data: st.DataObject, command: list[str]
) -> None:
    spec, original = board
    path = ledger_path(spec)
    bad = data.draw(damaged(original))
    recorded = read_ledger(spec).events
    try:
        path.write_bytes(bad)
        if command[-1] == "changes":
            command = [*command, load_spec(spec).tables[0].name]
        result = CliRunner().invoke(main, ["--spec", str(spec), *command, "--json"])
        assert_clean_exit(result)
        answer = strict_json(result.stdout)
        if result.exit_code == 1:
            assert "ledger" in answer["error"], answer
        else:  # accepted: then it must read as exactly the events the board recorded
            assert result.exit_code == 0, result.output
            assert read_ledger(spec).events == recorded, (bad, result.output)
    finally:
        path.write_bytes(original)
