"""Nothing in the repository holds a private key, and the shipped ledger holds no approval."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Built from parts so that this file itself does not carry the markers it looks for.
MARKERS = [f"-----BEGIN {kind}PRIVATE KEY-----" for kind in ("", "OPENSSH ", "RSA ", "EC ", "DSA ", "ENCRYPTED ")]


def _repository_files() -> list[Path]:
    command = ["git", "ls-files", "-co", "--exclude-standard"]
    listed = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    if listed.returncode == 0:
        return [ROOT / name for name in listed.stdout.decode("utf-8").splitlines() if (ROOT / name).is_file()]
    skip = {".git", ".venv", "node_modules", "site", "reports"}
    return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def test_no_file_of_the_repository_holds_a_private_key() -> None:
    files = _repository_files()
    assert len(files) > 50  # the scan really saw the repository
    holding = [str(p.relative_to(ROOT)) for p in files if any(m.encode() in p.read_bytes() for m in MARKERS)]
    assert holding == []


def test_the_scan_would_find_a_real_key(tmp_path: Path) -> None:
    from b12spec.signoff import new_key_file

    new_key_file(tmp_path / "k")
    assert any(m.encode() in (tmp_path / "k").read_bytes() for m in MARKERS)


def test_the_shipped_ledger_and_roster_hold_no_real_sign_off() -> None:
    signoff = ROOT / "spec" / "signoff"
    events = [json.loads(line) for line in (signoff / "ledger.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert [e for e in events if e.get("action") == "approved"] == []
    assert yaml.safe_load((signoff / "roster.yaml").read_text(encoding="utf-8"))["members"] == []
