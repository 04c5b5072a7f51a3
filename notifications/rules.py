"""Pure rules of notifying: defaults, what a notification says, which day or week a digest
covers, how far a late report has escalated, whom a comment mentions. No ORM."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The event kinds people hear about (every kind but facts_changed, which is the engine's).
KINDS_FOR_PEOPLE = (
    "update_submitted",
    "update_approved",
    "update_returned",
    "milestone_due_soon",
    "milestone_overdue",
    "report_due",
    "report_late",
    "status_at_risk",
    "status_off_track",
    "override_set",
    "override_expired",
    "comment",
    "mention",
)

# What a person gets without having chosen: at once what asks them to act or names them; the
# rest in a daily digest, so that a monitoring run over a plan does not flood anyone.
DEFAULT_CADENCE: Mapping[str, str] = {
    "update_submitted": "immediate",
    "update_approved": "immediate",
    "update_returned": "immediate",
    "milestone_due_soon": "daily",
    "milestone_overdue": "daily",
    "report_due": "daily",
    "report_late": "immediate",
    "status_at_risk": "daily",
    "status_off_track": "daily",
    "override_set": "daily",
    "override_expired": "daily",
    "comment": "daily",
    "mention": "immediate",
    "webhook_disabled": "immediate",
}


def cadence_for(kind: str, chosen: Mapping[str, str]) -> str:
    return chosen.get(kind) or DEFAULT_CADENCE.get(kind, "immediate")


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    body: str


def describe(
    kind: str, payload: Mapping[str, object], *, activity: str, actor: str = "", note: str = ""
) -> Message:
    """What a notification of this event says. `activity`: "CODE Title"; `actor`: who did it."""
    by = f" by {actor}" if actor else ""
    period = payload.get("period_end") or payload.get("period_label") or ""
    texts = {
        "update_submitted": (
            f"Progress update to {period} submitted for approval: {activity}",
            f"A progress update of {activity} to {period} was submitted{by} and waits for "
            "approval.",
        ),
        "update_approved": (
            f"Progress update to {period} approved: {activity}",
            f"The progress update of {activity} to {period} was approved{by}.",
        ),
        "update_returned": (
            f"Progress update to {period} returned: {activity}",
            f"The progress update of {activity} to {period} was returned{by}: {note}",
        ),
        "milestone_due_soon": (
            f"Milestone due on {payload.get('due_date')}: {payload.get('title')}",
            f"Milestone '{payload.get('title')}' of {activity} is due on "
            f"{payload.get('due_date')}.",
        ),
        "milestone_overdue": (
            f"Milestone overdue: {payload.get('title')}",
            f"Milestone '{payload.get('title')}' of {activity} was due on "
            f"{payload.get('due_date')} and is not complete.",
        ),
        "report_due": (
            f"Report for {period} due on {payload.get('due_on')}: {activity}",
            f"The progress report of {activity} for {period} is due on {payload.get('due_on')}.",
        ),
        "report_late": (
            f"Report for {period} {payload.get('days_late')} days late: {activity}",
            f"The progress report of {activity} for {period} was due on "
            f"{payload.get('due_on')} and is {payload.get('days_late')} days late.",
        ),
        "status_at_risk": (
            f"At risk: {activity}",
            f"{activity} turned at risk as of {payload.get('as_of')}.",
        ),
        "status_off_track": (
            f"Off track: {activity}",
            f"{activity} turned off track as of {payload.get('as_of')}.",
        ),
        "override_set": (
            f"Status set by hand: {activity}",
            f"The status of {activity} was set to {payload.get('status')}{by}: {note}",
        ),
        "override_expired": (
            f"Status override expired: {activity}",
            f"The status override of {activity} expired on {payload.get('expires_on')}.",
        ),
        "comment": (
            f"New comment on {activity}",
            f"{actor or 'Someone'} commented on {activity}: {note}",
        ),
        "mention": (
            f"{actor or 'Someone'} mentioned you on {activity}",
            f"{actor or 'Someone'} mentioned you on {activity}: {note}",
        ),
        "webhook_disabled": (
            f"Webhook disabled: {payload.get('url')}",
            f"Your webhook to {payload.get('url')} was disabled: {payload.get('reason')} "
            "Fix the receiver, then enable it again on the webhooks page.",
        ),
    }
    subject, body = texts.get(kind, (f"{kind}: {activity}", f"{kind}: {activity}"))
    return Message(subject=subject[:300], body=body)


# --- Digests --------------------------------------------------------------------------------------


def period_start(cadence: str, day: dt.date) -> dt.date:
    """The first day of the digest a notification of `day` goes into: that day, or the Monday of
    its week."""
    if cadence == "weekly":
        return day - dt.timedelta(days=day.weekday())
    return day


def period_over(cadence: str, start: dt.date, today: dt.date) -> bool:
    """A digest is sent once the day (or week) it covers is over."""
    length = dt.timedelta(days=7 if cadence == "weekly" else 1)
    return start + length <= today


# --- Escalation -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Escalation:
    """N, M and K of the reminder policy: the officer is reminded when a report is N days late,
    the organization's focal point told M days after that, the manager K days after that."""

    remind_after: int = 3
    focal_point_after: int = 7
    manager_after: int = 7


OFFICER, FOCAL_POINT, MANAGER = 0, 1, 2
LEVEL_NAMES = {OFFICER: "officer", FOCAL_POINT: "focal point", MANAGER: "manager"}


def escalation_level(days_late: int, policy: Escalation) -> int | None:
    """Who is told about a report `days_late` days late: None (nobody yet), OFFICER,
    FOCAL_POINT or MANAGER. Each level includes those before it."""
    if days_late < policy.remind_after:
        return None
    if days_late < policy.remind_after + policy.focal_point_after:
        return OFFICER
    if days_late < policy.remind_after + policy.focal_point_after + policy.manager_after:
        return FOCAL_POINT
    return MANAGER


# --- Mentions -------------------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@.])@([\w.+-]{1,150})")


def mentioned_usernames(text: str, known: Iterable[str]) -> list[str]:
    """The usernames `text` mentions (@name) that are among `known`, once each, in order. A
    trailing full stop is the sentence's, not the name's."""
    known_set = set(known)
    found: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name in known_set and name not in found:
            found.append(name)
    return found
