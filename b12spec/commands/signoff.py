"""``b12spec signoff ...`` records the advisory board's actions; ``b12spec status`` shows where
each table and the guideline stand. All the rules live in b12spec.signoff; this is I/O only.
"""

from __future__ import annotations

from typing import Any

import click

from b12spec.cli import EXIT_INVALID, dump_json, load_spec_or_exit
from b12spec.signoff import (
    SignoffError,
    TableState,
    changes_since_approval,
    guideline_state,
    ledger_findings,
    record,
    release_blockers,
    table_states,
)
from b12spec.signoff.hashing import GUIDELINE
from b12spec.signoff.state import next_actions


@click.group("signoff")
def signoff_group() -> None:
    """Record an advisory-board sign-off action on a TABLE (or 'guideline' for the whole guideline)."""


def _action(verb: str, summary: str) -> click.Command:
    @click.command(verb, help=summary)
    @click.argument("table")
    @click.option("--reviewer", required=True, help="Full name of the person acting.")
    @click.option("--role", required=True, help="Their role, e.g. 'haematologist, advisory board'.")
    @click.option("--note", default="", help="A comment kept with the event (required for request-changes).")
    @click.pass_context
    def command(ctx: click.Context, table: str, reviewer: str, role: str, note: str) -> None:
        spec = load_spec_or_exit(ctx)
        try:
            event = record(spec, table, verb, reviewer, role, note)
        except SignoffError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_INVALID)
        except OSError as error:
            click.echo(f"error: could not write the sign-off ledger; it is unchanged: {error}", err=True)
            ctx.exit(EXIT_INVALID)
        subject = "the guideline" if table == GUIDELINE else f"table {table!r}"
        click.echo(
            f"recorded: {event.action.replace('_', ' ')} of {subject} by {event.name} ({event.role}) at {event.at}; "
            f"content {event.content_hash}"
        )

    return command


for _verb, _summary in (
    ("submit", "Submit TABLE, as it is now, for advisory-board review."),
    ("start-review", "Start reviewing a submitted TABLE."),
    ("request-changes", "Ask for changes to a TABLE under review (say which with --note)."),
    ("approve", "Approve a TABLE under review, bound to its exact present content."),
):
    signoff_group.add_command(_action(_verb, _summary))


@signoff_group.command("changes")
@click.argument("table")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def changes_command(ctx: click.Context, table: str, as_json: bool) -> None:
    """Show what changed in TABLE (or 'guideline') since it was last approved, cell by cell."""
    spec = load_spec_or_exit(ctx, as_json)
    try:
        changes = changes_since_approval(spec, table)
    except SignoffError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_INVALID)
    if as_json:
        click.echo(dump_json([change.to_dict() for change in changes]))
        return
    if not changes:
        click.echo(f"{table}: no changes since approval (or never approved)")
        return
    for change in changes:
        where = f"rule {change.rule}, {change.column}" if change.rule else change.column
        click.echo(f"{change.kind:8} {where}: {change.before!r} -> {change.after!r}")


def _row(state: TableState, allowed: list[str]) -> list[str]:
    who = f"{state.reviewer} ({state.role})" if state.reviewer else "-"
    changed = "yes" if state.changed_since_approval else ("no" if state.approved_hash else "-")
    return [state.table, state.state.replace("_", " "), who, state.date or "-", changed, ", ".join(allowed) or "-"]


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the states as JSON.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Show each table's sign-off state, who moved it there and when, and whether it changed since approval.

    Exits 1 when the ledger cannot be trusted (edited by hand): the states shown then count only the
    events before the first altered one.
    """
    spec = load_spec_or_exit(ctx, as_json)
    states = table_states(spec)
    guideline = guideline_state(spec)
    findings = ledger_findings(spec)
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
            "ledger": {"ok": not errors, "findings": [f.to_dict() for f in findings]},
        }
        click.echo(dump_json(data))
    else:
        header = ["TABLE", "STATE", "BY (ROLE)", "DATE (UTC)", "CHANGED SINCE APPROVAL", "NEXT"]
        rows = [header, *(_row(s, allowed[s.table]) for s in states.values()), _row(guideline, allowed[GUIDELINE])]
        click.echo(f"{spec.guideline.title}, version {spec.guideline.version}")
        click.echo(_table(rows))
        if blockers:
            listed = ", ".join(blockers)
            click.echo(f"\nThe guideline can be approved once these tables are approved as they are: {listed}")
        for finding in findings:
            click.echo(f"{finding.severity}: {finding.message}", err=True)
    if errors:
        if not as_json:
            click.echo(
                "error: the sign-off ledger cannot be trusted; states above count only the events before "
                "the first problem. Restore spec/signoff/ from version control.",
                err=True,
            )
        ctx.exit(EXIT_INVALID)


COMMANDS = [signoff_group, status_command]
