"""``b12spec signoff ...`` records the advisory board's signed actions; ``b12spec status`` shows
where each table and the guideline stand. All the rules live in b12spec.signoff; this is I/O only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NoReturn

import click

from b12spec.commands.common import EXIT_INVALID, dump_json, fail, load_spec_or_exit, refuse, spec_dir_of
from b12spec.model import Spec
from b12spec.signoff import (
    SigningKey,
    SignoffError,
    TableState,
    changes_since_approval,
    establish,
    guideline_state,
    ledger_findings,
    load_signing_key,
    new_key_file,
    record,
    release_blockers,
    roster_state,
    table_states,
)
from b12spec.signoff.anchor import read_anchor, work_tree
from b12spec.signoff.behaviour import behaviour_since_approval
from b12spec.signoff.hashing import GUIDELINE
from b12spec.signoff.keys import PASSPHRASE_VARIABLE
from b12spec.signoff.ledger import Event
from b12spec.signoff.roster import ROSTER
from b12spec.signoff.state import Replay, next_actions, replay

KEY_HELP = "Your private Ed25519 key file (OpenSSH or PEM); your name and role come from the roster."


@click.group("signoff")
def signoff_group() -> None:
    """Record a signed advisory-board action on a TABLE ('guideline' for the whole guideline,
    'roster' for the board roster); make a key; show the roster or what changed since approval."""


def _fail(ctx: click.Context, error: Exception) -> NoReturn:
    if isinstance(error, OSError):
        fail(ctx, f"could not write the sign-off ledger; it is unchanged: {error}")
    fail(ctx, str(error))


def _untrusted(what: str) -> str:
    return (
        f"the sign-off ledger cannot be trusted; for {what}, only the events before the first problem count. "
        "Restore spec/signoff/ from version control."
    )


def _with_error(data: dict[str, Any], trustworthy: bool, what: str) -> dict[str, Any]:
    """The --json output, carrying ``error`` when exit 1 follows, so a script reads why from stdout."""
    return data if trustworthy else {**data, "error": _untrusted(what)}


def _refuse_untrusted(ctx: click.Context, history: Replay, what: str) -> None:
    """Exit 1 after the output when the ledger cannot be trusted: ``what`` then rests on its intact part only.

    Without this, ``signoff roster`` read an unreadable ledger as "no genesis event yet" and
    ``signoff changes`` as "no changes since approval", both with exit 0.
    """
    if history.trustworthy:
        return
    for problem in history.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"error: {_untrusted(what)}", err=True)
    ctx.exit(EXIT_INVALID)


def _key(ctx: click.Context, path: str) -> SigningKey:
    try:
        return load_signing_key(path)
    except SignoffError as error:
        _fail(ctx, error)


def _recorded(event: Event) -> str:
    subject = {GUIDELINE: "the guideline", ROSTER: "the board roster"}.get(event.subject, f"table {event.subject!r}")
    return (
        f"recorded: {event.action.replace('_', ' ')} of {subject} by {event.name} ({event.role}) at {event.at}; "
        f"content {event.content_hash}; signed by {event.key}; event digest {event.digest}"
    )


def _action(verb: str, summary: str) -> click.Command:
    @click.command(verb, help=summary)
    @click.argument("table")
    @click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False), help=KEY_HELP)
    @click.option("--note", default="", help="A comment kept with the event (required for request-changes, withdraw).")
    @click.pass_context
    def command(ctx: click.Context, table: str, key_file: str, note: str) -> None:
        spec = load_spec_or_exit(ctx)
        key = _key(ctx, key_file)
        try:
            event = record(spec, table, verb, key, note)
        except (SignoffError, OSError) as error:
            _fail(ctx, error)
            return
        click.echo(_recorded(event))

    return command


for _verb, _summary in (
    ("submit", "Submit TABLE, as it is now, for advisory-board review."),
    ("start-review", "Start reviewing a submitted TABLE."),
    ("request-changes", "Ask for changes to a TABLE under review (say which with --note)."),
    ("approve", "Approve a TABLE under review, bound to its exact present content (not your own submission)."),
    ("withdraw", "Withdraw your approval of TABLE (say why with --note); it no longer counts to the quorum."),
):
    signoff_group.add_command(_action(_verb, _summary))


@signoff_group.command("establish")
@click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False), help=KEY_HELP)
@click.option("--note", default="", help="A comment kept with the genesis event.")
@click.pass_context
def establish_command(ctx: click.Context, key_file: str, note: str) -> None:
    """Genesis: put spec/signoff/roster.yaml in force as the first board roster (empty ledger only)."""
    spec = load_spec_or_exit(ctx)
    key = _key(ctx, key_file)
    try:
        event = establish(spec, key, note)
    except (SignoffError, OSError) as error:
        _fail(ctx, error)
    click.echo(_recorded(event))
    click.echo(
        "This is the genesis event: every founding member should confirm its digest above with the others, "
        "outside the repository, and the ledger should be committed now."
    )


@signoff_group.command("keygen")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--comment", default="", help="A label kept with the public key, e.g. your e-mail address.")
@click.pass_context
def keygen_command(ctx: click.Context, file: str, comment: str) -> None:
    """Make a new Ed25519 key in FILE (outside the repository) and print the public key for the roster.

    The key is written unencrypted with mode 0600, or encrypted with the passphrase in the
    environment variable B12SPEC_KEY_PASSPHRASE when that is set.
    """
    target = Path(file).absolute()
    spec_dir = spec_dir_of(ctx).resolve()
    forbidden = [p for p in (spec_dir, work_tree(spec_dir)) if p is not None]
    if any(target.resolve().is_relative_to(p) for p in forbidden):
        fail(
            ctx,
            f"{file} is inside the project ({forbidden[-1]}); a private key must never be stored in the "
            "repository: choose a path outside it, e.g. ~/.b12spec/signoff.key",
        )
    try:
        key = new_key_file(target, comment)
    except (SignoffError, OSError) as error:
        _fail(ctx, error)
    encrypted = "encrypted with $" + PASSPHRASE_VARIABLE if _passphrase_set() else "unencrypted, mode 0600"
    click.echo(f"private key written to {target} ({encrypted}); keep it to yourself")
    click.echo(f"fingerprint: {key.fingerprint}")
    click.echo("add yourself to spec/signoff/roster.yaml (the board then approves the change):")
    click.echo(f'  - name: "YOUR NAME"\n    role: "YOUR ROLE"\n    key: "{key.public_line}"')


def _passphrase_set() -> bool:
    return bool(os.environ.get(PASSPHRASE_VARIABLE))


@signoff_group.command("roster")
@click.option("--json", "as_json", is_flag=True, help="Print the roster as JSON.")
@click.pass_context
def roster_command(ctx: click.Context, as_json: bool) -> None:
    """Show the board roster in force (from the ledger), its genesis digest and any pending change."""
    spec = load_spec_or_exit(ctx, as_json)
    history = replay(spec.root)
    try:
        state = roster_state(spec, _replay=history)
    except SignoffError as error:
        refuse(ctx, str(error), [{"location": "signoff/roster.yaml", "problem": str(error)}], as_json)
    roster = history.roster
    data: dict[str, Any] = {
        "in_force": roster is not None,
        "quorum": roster.quorum if roster else None,
        "members": [
            {"name": m.name, "role": m.role, "fingerprint": m.fingerprint, "key": m.key}
            for m in (roster.members if roster else ())
        ],
        "genesis": history.genesis.digest if history.genesis else None,
        "roster_file_state": state.state,
        "ledger_ok": history.trustworthy,
    }
    if as_json:
        click.echo(dump_json(_with_error(data, history.trustworthy, "the roster shown")))
    elif roster is None and history.trustworthy:
        click.echo("No board roster is in force: the ledger has no genesis event yet (see spec/signoff/README.md).")
    elif roster is None:
        click.echo("No board roster is in force in the part of the ledger that can be trusted.")
    else:
        click.echo(f"Board roster in force (quorum {roster.quorum}); genesis event digest {data['genesis']}")
        for m in roster.members:
            click.echo(f"  {m.name} ({m.role})  {m.fingerprint}")
        if state.state != "approved":
            click.echo(f"roster.yaml differs from the roster in force: {state.state.replace('_', ' ')}")
    _refuse_untrusted(ctx, history, "the roster shown")


def _show_changes(spec: Spec, table: str, as_json: bool, trustworthy: bool) -> None:
    changes = changes_since_approval(spec, table)
    behaviour = behaviour_since_approval(spec, table) if table not in (GUIDELINE, ROSTER) else None
    if as_json:
        data = {
            "cells": [change.to_dict() for change in changes],
            "behaviour": None if behaviour is None else behaviour.to_dict(),
        }
        click.echo(dump_json(_with_error(data, trustworthy, "the approval compared with")))
        return
    if not changes:
        click.echo(f"{table}: no changes since approval (or never approved)")
        return
    click.echo("Cells:")
    for change in changes:
        where = f"rule {change.rule}, {change.column}" if change.rule else change.column
        click.echo(f"  {change.kind:8} {where}: {change.before!r} -> {change.after!r}")
    if behaviour is None:
        return
    if behaviour.equal:
        click.echo("Behaviour: the same answer as the approved version for every valid input.")
        return
    click.echo(f"Behaviour: {len(behaviour.regions)} input region(s) now get a different answer:")
    for region in behaviour.regions:
        click.echo(f"  where {region.region}:")
        click.echo(f"    e.g. {region.witness_text}")
        if region.case is not None:
            click.echo(f"    as a case for 'b12spec evaluate': {json.dumps(region.case, sort_keys=True)}")
        click.echo(f"    approved: {region.before}")
        click.echo(f"    now:      {region.after}")
    if behaviour.truncated:
        click.echo(f"  (only the first {len(behaviour.regions)} regions are shown)")


@signoff_group.command("changes")
@click.argument("table")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def changes_command(ctx: click.Context, table: str, as_json: bool) -> None:
    """Show what changed in TABLE since it was last approved: the cells, and each input region whose
    answer changed with a witness case (inputs -> approved answer -> present answer)."""
    spec = load_spec_or_exit(ctx, as_json)
    history = replay(spec.root)
    try:
        _show_changes(spec, table, as_json, history.trustworthy)
    except SignoffError as error:
        _fail(ctx, error)
    _refuse_untrusted(ctx, history, "the approval compared with")


def _row(state: TableState, allowed: list[str]) -> list[str]:
    who = f"{state.reviewer} ({state.role})" if state.reviewer else "-"
    changed = "yes" if state.changed_since_approval else ("no" if state.approved_hash else "-")
    approvals = f"{len(state.approvers)}/{state.quorum}" if state.quorum else "-"
    return [
        state.table,
        state.state.replace("_", " "),
        approvals,
        who,
        state.date or "-",
        changed,
        ", ".join(allowed) or "-",
    ]


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the states as JSON.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Show each table's sign-off state, its approvals against the quorum, who acted last and when,
    and whether it changed since approval.

    Verifies every event's signature against the roster in force and the ledger against its git
    history; exits 1 when the ledger cannot be trusted: the states shown then count only the
    events before the first problem.
    """
    spec = load_spec_or_exit(ctx, as_json)
    history = replay(spec.root)
    states = table_states(spec, _replay=history)
    guideline = guideline_state(spec, _replay=history)
    try:
        roster = roster_state(spec, _replay=history)
    except SignoffError as error:  # roster.yaml unreadable or not a roster: said, never a traceback
        refuse(ctx, str(error), [{"location": "signoff/roster.yaml", "problem": str(error)}], as_json)
    findings = ledger_findings(spec)
    anchor = read_anchor(spec.root)
    errors = [f for f in findings if f.severity == "error"]
    blockers = [s.table for s in release_blockers(spec, states)]
    allowed = next_actions(spec)
    if as_json:
        data: dict[str, Any] = {
            "guideline": {
                **guideline.to_dict(),
                "version": spec.guideline.version,
                "not_approved_tables": blockers,
                "allowed": allowed[GUIDELINE],
            },
            "tables": [{**s.to_dict(), "allowed": allowed[s.table]} for s in states.values()],
            "roster": {
                **roster.to_dict(),
                "in_force": history.roster is not None,
                "genesis": history.genesis.digest if history.genesis else None,
            },
            "ledger": {
                "ok": not errors,
                "findings": [f.to_dict() for f in findings],
                "anchor": {"available": anchor.available, "versions": anchor.versions, "summary": anchor.summary},
            },
        }
        click.echo(dump_json(_with_error(data, not errors, "the states shown")))
    else:
        header = ["TABLE", "STATE", "APPROVALS", "LAST BY (ROLE)", "DATE (UTC)", "CHANGED SINCE APPROVAL", "NEXT"]
        rows = [header, *(_row(s, allowed[s.table]) for s in states.values()), _row(guideline, allowed[GUIDELINE])]
        click.echo(f"{spec.guideline.title}, version {spec.guideline.version}")
        if history.roster is None:
            click.echo("Board roster: none in force yet (no genesis event); nothing can be signed off.")
        else:
            names = ", ".join(m.name for m in history.roster.members)
            click.echo(f"Board roster (quorum {history.roster.quorum}): {names}; roster.yaml: {roster.state}")
        click.echo(_table(rows))
        click.echo(f"\nLedger anchor: {anchor.summary}")
        if blockers:
            listed = ", ".join(blockers)
            click.echo(f"\nThe guideline can be approved once these tables are approved as they are: {listed}")
        for finding in findings:
            click.echo(f"{finding.severity}: {finding.message}", err=True)
    if errors:
        if not as_json:
            click.echo(f"error: {_untrusted('the states shown')}", err=True)
        ctx.exit(EXIT_INVALID)

