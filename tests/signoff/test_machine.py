"""The state machine on its own: every (state, action) pair, quorum, separation of duties, withdrawal."""

from __future__ import annotations

import pytest

from b12spec.signoff.ledger import Event
from b12spec.signoff.machine import VERBS, History, advance, allowed_verbs, refusal

SAME = "sha256:" + "a" * 64
OTHER = "sha256:" + "b" * 64
QUORUM = 2


def _event(action: str, content_hash: str = SAME, key: str = "K-ada") -> Event:
    return Event(0, "t", action, "n", "r", "2026-01-01T00:00:00Z", "", content_hash, "0.1.0", "", key)


def _history(steps: list[tuple[str, str]], quorum: int = QUORUM) -> History:
    history = History("t")
    for action, key in steps:
        history = advance(history, _event(action, key=key), quorum)
    return history


SUBMIT = ("submitted", "K-sam")
REVIEW = ("review_started", "K-ada")
# state reached by these events -> (events, allowed verbs on the same content, on changed content)
EXPECTED = {
    "draft": ([], ["submit"], ["submit"]),
    "submitted": ([SUBMIT], ["start-review"], ["submit"]),
    "under_review": ([SUBMIT, REVIEW], ["request-changes", "approve"], ["submit", "request-changes"]),
    "changes_requested": ([SUBMIT, REVIEW, ("changes_requested", "K-ada")], ["submit"], ["submit"]),
    "approved": ([SUBMIT, REVIEW, ("approved", "K-ada"), ("approved", "K-bo")], ["withdraw"], ["submit", "withdraw"]),
}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_allowed_verbs_in_each_state(state: str) -> None:
    events, same, changed = EXPECTED[state]
    history = _history(events)
    assert history.state == state
    assert allowed_verbs(history, SAME) == same
    assert allowed_verbs(history, OTHER) == changed


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("verb", [v for v in VERBS if v != "withdraw"])
def test_every_refusal_gives_a_reason(state: str, verb: str) -> None:
    events, same, _ = EXPECTED[state]
    reason = refusal(_history(events), VERBS[verb], SAME, "K-cy")
    assert (reason is None) == (verb in same)
    if reason is not None:
        assert reason.strip()


def test_one_approval_of_a_quorum_of_two_leaves_it_under_review_two_approve() -> None:
    one = _history([SUBMIT, REVIEW, ("approved", "K-ada")])
    assert (one.state, [e.key for e in one.approvals]) == ("under_review", ["K-ada"])
    two = advance(one, _event("approved", key="K-bo"), QUORUM)
    assert two.state == "approved" and [e.key for e in two.approved_by] == ["K-ada", "K-bo"]
    assert _history([SUBMIT, REVIEW, ("approved", "K-ada")], quorum=1).state == "approved"


def test_the_submitter_cannot_approve_and_nobody_approves_twice() -> None:
    under_review = _history([SUBMIT, REVIEW, ("approved", "K-ada")])
    assert "separation of duties" in (refusal(under_review, "approved", SAME, "K-sam") or "")
    assert "already approved" in (refusal(under_review, "approved", SAME, "K-ada") or "")
    assert refusal(under_review, "approved", SAME, "K-bo") is None


def test_a_submitter_of_the_same_content_stays_excluded_after_a_resubmission() -> None:
    again = _history([SUBMIT, REVIEW, ("changes_requested", "K-ada"), ("submitted", "K-bo"), REVIEW])
    assert again.submitters == frozenset({"K-sam", "K-bo"})
    assert refusal(again, "approved", SAME, "K-sam") is not None


def test_withdrawn_and_superseded_approvals_no_longer_count() -> None:
    approved = _history([SUBMIT, REVIEW, ("approved", "K-ada"), ("approved", "K-bo")])
    assert "no approval" in (refusal(approved, "approval_withdrawn", SAME, "K-cy") or "")
    withdrawn = advance(approved, _event("approval_withdrawn", key="K-bo"), QUORUM)
    assert withdrawn.state == "under_review" and [e.key for e in withdrawn.approvals] == ["K-ada"]
    assert refusal(withdrawn, "approved", SAME, "K-bo") is None  # may approve again

    half = _history([SUBMIT, REVIEW, ("approved", "K-ada"), ("changes_requested", "K-bo")])
    resubmitted = advance(half, _event("submitted", key="K-sam"), QUORUM)
    assert resubmitted.approvals == ()  # the approval of the first round was superseded


def test_an_approved_subject_with_other_content_is_changed_since_approval() -> None:
    history = _history(EXPECTED["approved"][0])
    assert history.present_state(SAME) == "approved"
    assert history.present_state(OTHER) == "changed_since_approval"


def test_approval_keeps_the_approved_event_through_a_resubmission() -> None:
    approved = _history(EXPECTED["approved"][0])
    resubmitted = advance(approved, _event("submitted", OTHER), QUORUM)
    assert resubmitted.state == "submitted"
    assert resubmitted.approval is approved.approval
    assert resubmitted.submitted_hash == OTHER
