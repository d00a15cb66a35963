"""The state machine on its own: every (state, action) pair, with and without a content change."""

from __future__ import annotations

import pytest

from b12spec.signoff.ledger import Event
from b12spec.signoff.machine import VERBS, History, advance, allowed_verbs, refusal

SAME = "sha256:" + "a" * 64
OTHER = "sha256:" + "b" * 64


def _event(action: str, content_hash: str = SAME) -> Event:
    return Event(0, "t", action, "n", "r", "2026-01-01T00:00:00Z", "", content_hash, "0.1.0", "")


def _history(actions: list[str]) -> History:
    history = History("t")
    for action in actions:
        history = advance(history, _event(action))
    return history


# state reached by these events -> (allowed verbs on the same content, allowed verbs on changed content)
EXPECTED = {
    "draft": ([], ["submit"], ["submit"]),
    "submitted": (["submitted"], ["start-review"], ["submit"]),
    "under_review": (["submitted", "review_started"], ["request-changes", "approve"], ["submit", "request-changes"]),
    "changes_requested": (
        ["submitted", "review_started", "changes_requested"],
        ["submit"],
        ["submit"],
    ),
    "approved": (["submitted", "review_started", "approved"], [], ["submit"]),
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_allowed_verbs_in_each_state(state: str) -> None:
    events, same, changed = EXPECTED[state]
    history = _history(events)
    assert history.state == state
    assert allowed_verbs(history, SAME) == same
    assert allowed_verbs(history, OTHER) == changed


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("verb", list(VERBS))
def test_every_refusal_gives_a_reason(state: str, verb: str) -> None:
    events, same, _ = EXPECTED[state]
    reason = refusal(_history(events), VERBS[verb], SAME)
    assert (reason is None) == (verb in same)
    if reason is not None:
        assert reason.strip()


def test_an_approved_subject_with_other_content_is_changed_since_approval() -> None:
    history = _history(["submitted", "review_started", "approved"])
    assert history.present_state(SAME) == "approved"
    assert history.present_state(OTHER) == "changed_since_approval"


def test_approval_keeps_the_approved_event_through_a_resubmission() -> None:
    approved = _history(["submitted", "review_started", "approved"])
    resubmitted = advance(approved, _event("submitted", OTHER))
    assert resubmitted.state == "submitted"
    assert resubmitted.approval is approved.approval
    assert resubmitted.submitted_hash == OTHER
