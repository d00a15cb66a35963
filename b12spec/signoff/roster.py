"""The advisory board's roster: who may sign sign-off events, with which key, and the quorum.

``spec/signoff/roster.yaml`` is the roster as *proposed*; the roster *in force* is the one the
ledger established or approved (see state.py): the genesis event establishes the first roster,
and every later change of roster.yaml is a subject of review like a table (``roster``), in force
once the quorum of the roster then in force has approved its exact content. Editing the file
therefore changes nobody's rights until the board approves the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from b12spec.errors import did_you_mean
from b12spec.safeload import DataFileError
from b12spec.signoff.errors import SignoffError
from b12spec.signoff.keys import KeyProblem, fingerprint
from b12spec.workspace import read_document

ROSTER = "roster"
ROSTER_FILE = "roster.yaml"
TOP_KEYS = ("quorum", "members")
MEMBER_KEYS = ("name", "role", "key")
SCHEMA = 1


class RosterInvalid(SignoffError):
    """roster.yaml (or a roster recorded in the ledger) does not say who the board is."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the board roster is not valid:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Member:
    """One board member: a name and role for people, a public key for the ledger."""

    name: str
    role: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Roster:
    """A validated roster: at least ``quorum`` members, keys and names unique."""

    quorum: int
    members: tuple[Member, ...]

    def member(self, key_fingerprint: str) -> Member | None:
        return next((m for m in self.members if m.fingerprint == key_fingerprint), None)


def roster_path(spec_root: Path | str) -> Path:
    return Path(spec_root) / "signoff" / ROSTER_FILE


def roster_content(spec_root: Path | str) -> dict[str, Any]:
    """roster.yaml as the plain data that is hashed and reviewed (a missing file: no members)."""
    path = roster_path(spec_root)
    try:
        raw = read_document(path, f"signoff/{ROSTER_FILE}") if path.exists() else {}
    except DataFileError as error:
        raise RosterInvalid([str(error)]) from error
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RosterInvalid([f"signoff/{ROSTER_FILE} must be a mapping with 'quorum' and 'members'"])
    quorum = raw.get("quorum")
    if "quorum" in raw and (not isinstance(quorum, int) or isinstance(quorum, bool) or quorum < 1):
        # checked even before anyone is listed: 'quorum: two' or 0 is a roster nobody can use
        raise RosterInvalid([f"signoff/{ROSTER_FILE}: quorum must be a whole number of members, at least 1; "
                             f"got {quorum!r}"])
    members = raw.get("members")
    if members is not None and not isinstance(members, list):  # {} read as "no members" said nothing
        raise RosterInvalid([f"signoff/{ROSTER_FILE}: members must be a list, got {members!r}"])
    members = members or []
    # a misspelt key (``quorom: 3``, ``kye:``) is refused, never read as the key left out
    unknown = [f"{key!r}{did_you_mean(key, TOP_KEYS)}" for key in raw if key not in TOP_KEYS]
    for number, member in enumerate(members if isinstance(members, list) else [], start=1):
        if isinstance(member, dict):
            unknown += [f"{key!r}{did_you_mean(key, MEMBER_KEYS)} in member {number}" for key in member
                        if key not in MEMBER_KEYS]
    if unknown:
        raise RosterInvalid([f"signoff/{ROSTER_FILE}: unknown key {u}; allowed: quorum, members (each with "
                             "name, role, key)" for u in unknown])
    return {
        "schema": SCHEMA,
        "subject": ROSTER,
        "quorum": raw.get("quorum"),
        "members": [
            {k: m.get(k) for k in MEMBER_KEYS} if isinstance(m, dict) else m
            for m in (members if isinstance(members, list) else [members])
        ],
    }


def parse_roster(content: dict[str, Any]) -> Roster:
    """A Roster from roster content; RosterInvalid naming every problem (member, field, why)."""
    problems: list[str] = []
    members: list[Member] = []
    for number, entry in enumerate(content.get("members") or [], start=1):
        if not isinstance(entry, dict):
            problems.append(f"member {number} must be a mapping with name, role and key")
            continue
        name, role, key = (str(entry.get(k) or "").strip() for k in ("name", "role", "key"))
        missing = [k for k, v in (("name", name), ("role", role), ("key", key)) if not v]
        if missing:
            problems.append(f"member {number} ({name or 'no name'}) has no {', '.join(missing)}")
            continue
        try:
            members.append(Member(name, role, key, fingerprint(key)))
        except KeyProblem as error:
            problems.append(f"member {number} ({name}): {error}")
    for what, values in (("name", [m.name for m in members]), ("key", [m.fingerprint for m in members])):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            problems.append(f"the same {what} is listed for two members: {', '.join(repeated)}")
    quorum = content.get("quorum")
    if not isinstance(quorum, int) or isinstance(quorum, bool) or quorum < 1:
        problems.append(f"quorum must be a whole number of members, at least 1; got {quorum!r}")
    elif quorum > len(members):
        problems.append(
            f"quorum {quorum} is more than the {len(members)} valid members listed: nothing could be approved"
        )
    if problems:
        raise RosterInvalid(problems)
    assert isinstance(quorum, int)
    return Roster(quorum, tuple(members))
