"""Why a sign-off was refused, or why the ledger cannot be trusted.

Both are B12SpecError so the CLI turns them into exit code 1 with the message as written: the
people reading it are board members and guideline editors, so it names the table, its state and
what would be allowed instead.
"""

from __future__ import annotations

from b12spec.errors import B12SpecError


class SignoffError(B12SpecError):
    """Root of the sign-off errors."""


class SignoffRefused(SignoffError):
    """An action that the sign-off workflow does not allow now (illegal transition, missing who)."""


class LedgerTampered(SignoffError):
    """The ledger or a snapshot no longer matches its own recorded hashes; nothing is appended."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            "the sign-off ledger has been altered outside b12spec and cannot be trusted; "
            f"restore it from version control before recording anything:\n{lines}"
        )
