"""The sign-off state machine, shared by the commands (what may happen next) and by the replay
of the ledger (did what was recorded follow the rules).

    draft -> submitted -> under_review -> approved
                              |
                              v
                     changes_requested -> submitted -> ...

An approved subject whose present content no longer has the approved hash is
``changed_since_approval``: it may be submitted again. A submission whose content changed before
it was approved must be submitted again too, so an approval always covers the exact content that
was submitted and reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from b12spec.signoff.ledger import Event

DRAFT = "draft"
SUBMITTED = "submitted"
UNDER_REVIEW = "under_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
CHANGED_SINCE_APPROVAL = "changed_since_approval"
STATES = (DRAFT, SUBMITTED, UNDER_REVIEW, CHANGES_REQUESTED, APPROVED, CHANGED_SINCE_APPROVAL)

# Command verb -> the event it records, and the state that event leads to.
VERBS = {
    "submit": "submitted",
    "start-review": "review_started",
    "request-changes": "changes_requested",
    "approve": "approved",
}
EVENT_STATE = {
    "submitted": SUBMITTED,
    "review_started": UNDER_REVIEW,
    "changes_requested": CHANGES_REQUESTED,
    "approved": APPROVED,
}
VERB_OF = {event: verb for verb, event in VERBS.items()}


@dataclass(frozen=True)
class History:
    """A subject's history folded to what the rules need: where it stands and what was submitted."""

    subject: str
    state: str = DRAFT
    last: Event | None = None
    submitted_hash: str | None = None
    approval: Event | None = None

    def present_state(self, present_hash: str) -> str:
        """The state as the site shows it: an approval of other content is no approval."""
        if self.state == APPROVED and self.approval is not None and self.approval.content_hash != present_hash:
            return CHANGED_SINCE_APPROVAL
        return self.state


def refusal(history: History, action: str, content_hash: str) -> str | None:
    """Why recording ``action`` (an event name) on content ``content_hash`` is not allowed, or None."""
    state = history.present_state(content_hash)
    changed_since_submission = history.submitted_hash is not None and history.submitted_hash != content_hash
    if action == "submitted":
        if state in (DRAFT, CHANGES_REQUESTED, CHANGED_SINCE_APPROVAL):
            return None
        if state in (SUBMITTED, UNDER_REVIEW) and changed_since_submission:
            return None
        if state == APPROVED:
            return "it is already approved at its present content; change it first"
        return "it is already submitted with this exact content"
    if action == "review_started":
        if state != SUBMITTED:
            return f"only a submitted {_kind(history)} can be taken under review"
        if changed_since_submission:
            return "its content changed after it was submitted; submit it again"
        return None
    if action == "changes_requested":
        if state != UNDER_REVIEW:
            return "changes can be requested only during a review (start-review first)"
        return None
    if action == "approved":
        if state == DRAFT:
            return "it was never submitted"
        if state != UNDER_REVIEW:
            return "only a table under review can be approved (start-review first)"
        if changed_since_submission:
            return "its content changed after it was submitted; what would be approved is not what was reviewed"
        return None
    return f"unknown action {action!r}"


def _kind(history: History) -> str:
    return "guideline" if history.subject == "guideline" else "table"


def allowed_verbs(history: History, content_hash: str) -> list[str]:
    """The command verbs that would be accepted now (before role and release checks)."""
    return [verb for verb, action in VERBS.items() if refusal(history, action, content_hash) is None]


def advance(history: History, event: Event) -> History:
    """The history after ``event`` (assumed legal: check with ``refusal`` first)."""
    state = EVENT_STATE[event.action]
    updated = replace(history, state=state, last=event)
    if event.action == "submitted":
        updated = replace(updated, submitted_hash=event.content_hash)
    if event.action == "approved":
        updated = replace(updated, approval=event)
    return updated
