"""The sign-off state machine, shared by the commands (what may happen next) and by the replay
of the ledger (did what was recorded follow the rules).

    draft -> submitted -> under_review -> approved (once the quorum has approved)
                              |    ^            |
                              v    +-- withdraw-+  (an approval withdrawn below the quorum)
                     changes_requested -> submitted -> ...

Separation of duties: a member who submitted some content cannot approve that same content, and
a member's approval counts once. A table is approved when ``quorum`` distinct members approved
the submitted content hash; an approval stops counting when its member withdraws it, when changes
are requested, or when other content is submitted (superseded).

An approved subject whose present content no longer has the approved hash is
``changed_since_approval``: it may be submitted again. A submission whose content changed before
it was approved must be submitted again too, so an approval always covers the exact content that
was submitted and reviewed. The roster itself (subject ``roster``) follows the same rules; its
first version is ``established`` by the ledger's genesis event instead.
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
    "withdraw": "approval_withdrawn",
}
ESTABLISH = "establish"
ESTABLISHED = "established"
VERB_OF = {event: verb for verb, event in VERBS.items()} | {ESTABLISHED: ESTABLISH}


@dataclass(frozen=True)
class History:
    """A subject's history folded to what the rules need: where it stands, what was submitted by
    whom, and which approvals still stand."""

    subject: str
    state: str = DRAFT
    last: Event | None = None
    submitted_hash: str | None = None
    submitters: frozenset[str] = frozenset()  # key fingerprints that submitted ``submitted_hash``
    approvals: tuple[Event, ...] = ()  # standing approvals of the submission under review
    approval: Event | None = None  # the approval that completed the quorum, kept until superseded
    approved_by: tuple[Event, ...] = ()  # every standing approval of ``approval.content_hash``
    released: tuple[Event, ...] = ()  # every approval that ever completed the quorum (versions released)

    def present_state(self, present_hash: str) -> str:
        """The state as the site shows it: an approval of other content is no approval."""
        if self.state == APPROVED and self.approval is not None and self.approval.content_hash != present_hash:
            return CHANGED_SINCE_APPROVAL
        return self.state

    def standing_approval(self, signer: str) -> Event | None:
        """The signer's approval that still counts (for withdraw), if any."""
        pool = self.approved_by if self.state == APPROVED else self.approvals if self.state == UNDER_REVIEW else ()
        return next((e for e in pool if e.key == signer), None)


def refusal(history: History, action: str, content_hash: str, signer: str = "") -> str | None:
    """Why recording ``action`` (an event name) on content ``content_hash`` by the member whose key
    fingerprint is ``signer`` is not allowed, or None. An empty signer skips the checks of who."""
    state = history.present_state(content_hash)
    changed_since_submission = history.submitted_hash is not None and history.submitted_hash != content_hash
    if action == ESTABLISHED:
        if history.last is not None:
            return "the roster is established once, by the ledger's first event; later rosters are approved"
        return None
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
        if state == APPROVED:
            return "it is already approved at its present content by the quorum"
        if state != UNDER_REVIEW:
            return f"only a {_kind(history)} under review can be approved (start-review first)"
        if changed_since_submission:
            return "its content changed after it was submitted; what would be approved is not what was reviewed"
        if signer and signer in history.submitters:
            return "this member submitted this exact content and so cannot approve it (separation of duties)"
        if signer and any(e.key == signer for e in history.approvals):
            return "this member has already approved it; the quorum needs other members"
        return None
    if action == "approval_withdrawn":
        standing = history.standing_approval(signer) if signer else None
        if signer and standing is None:
            return "this member has no approval of it that still counts"
        if standing is not None and standing.content_hash != content_hash:
            return "a withdrawal names the content of the approval it withdraws"
        if not signer and not (history.approvals or (history.state == APPROVED and history.approved_by)):
            return "there is no standing approval to withdraw"
        return None
    return f"unknown action {action!r}"


def _kind(history: History) -> str:
    return history.subject if history.subject in ("guideline", "roster") else "table"


def allowed_verbs(history: History, content_hash: str) -> list[str]:
    """The command verbs that would be accepted now (before the checks of who, role and release)."""
    verbs = []
    for verb, action in VERBS.items():
        on = content_hash
        if action == "approval_withdrawn" and history.state == APPROVED and history.approval is not None:
            on = history.approval.content_hash
        if refusal(history, action, on) is None:
            verbs.append(verb)
    return verbs


def advance(history: History, event: Event, quorum: int) -> History:
    """The history after ``event`` (assumed legal: check with ``refusal`` first)."""
    action = event.action
    updated = replace(history, last=event)
    if action == ESTABLISHED:
        return replace(
            updated, state=APPROVED, submitted_hash=event.content_hash, approval=event, approved_by=(event,)
        )
    if action == "submitted":
        same = history.submitted_hash == event.content_hash
        submitters = (history.submitters if same else frozenset()) | {event.key}
        return replace(
            updated, state=SUBMITTED, submitted_hash=event.content_hash, submitters=submitters, approvals=()
        )
    if action == "review_started":
        return replace(updated, state=UNDER_REVIEW)
    if action == "changes_requested":
        return replace(updated, state=CHANGES_REQUESTED, approvals=())
    if action == "approved":
        approvals = (*history.approvals, event)
        if len(approvals) >= quorum:
            return replace(
                updated,
                state=APPROVED,
                approval=event,
                approved_by=approvals,
                approvals=(),
                released=(*history.released, event),
            )
        return replace(updated, state=UNDER_REVIEW, approvals=approvals)
    if action == "approval_withdrawn":
        if history.state == APPROVED:
            remaining = tuple(e for e in history.approved_by if e.key != event.key)
            if len(remaining) >= quorum:
                return replace(updated, approved_by=remaining)
            return replace(updated, state=UNDER_REVIEW, approvals=remaining, approval=None, approved_by=())
        return replace(updated, approvals=tuple(e for e in history.approvals if e.key != event.key))
    raise ValueError(f"unknown action {action!r}")
