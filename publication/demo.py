"""What the 2016 demo publishes: the tiers and public texts of its activities, and its snapshots.

The texts are illustrative, as the demo's activities are. Safe to run again: settings that are
already so change nothing, and a date with a live snapshot is not published twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from activities.models import Activity
from publication import rules, selectors, services
from publication.models import Snapshot

PUBLIC, PARTNERS, RESTRICTED = rules.Tier.PUBLIC, rules.Tier.PARTNERS, rules.Tier.RESTRICTED

# The usual public activity: what it does and how it goes, not its risks or its money.
OPEN = {
    "description": PUBLIC,
    "milestones": PUBLIC,
    "indicators": PUBLIC,
    "progress": PUBLIC,
    "risks": PARTNERS,
    "funding": PARTNERS,
    "places": PUBLIC,
}
# Donor-funded public programmes also show their funding.
OPEN_FUNDED = {**OPEN, "funding": PUBLIC}
# A sensitive operation made public in outline only: its area, its SDG contribution, its status.
OUTLINE = {**dict.fromkeys(rules.FIELD_GROUPS, RESTRICTED), "description": PARTNERS}


@dataclass(frozen=True)
class Setting:
    tier: str
    fields: dict[str, str] = field(default_factory=lambda: dict(OPEN))
    summary: str = ""
    status_reason: str = ""


SETTINGS: dict[str, Setting] = {
    "TER-01": Setting(
        PUBLIC,
        summary="Helping countries check travellers against INTERPOL's data on foreign terrorist "
        "fighters.",
        status_reason="Data sharing with the participating countries has begun.",
    ),
    "TER-02": Setting(
        PUBLIC,
        summary="Joint training of prosecutors and judges on cases of foreign terrorist fighters.",
        status_reason="Training sessions are running as planned.",
    ),
    "TOC-01": Setting(
        PUBLIC,
        OPEN_FUNDED,
        summary="AIRCOP connects international airports to fight drug trafficking by air.",
        status_reason="Joint airport interdiction task forces are being set up and trained.",
    ),
    "TOC-02": Setting(
        PUBLIC,
        OPEN_FUNDED,
        summary="With ICCWC, support to countries against wildlife and forest crime.",
        status_reason="Assessments with the countries are under way.",
    ),
    "TOC-03": Setting(
        PUBLIC,
        summary="Rolling out a practical tool against trafficking in cultural property.",
        status_reason="The tool is being introduced to national authorities.",
    ),
    # The example: a dark net operation's milestones are not for the public; its area,
    # SDG contribution and status may be.
    "TOC-04": Setting(
        PUBLIC,
        OUTLINE,
        summary="Research on drug trafficking on dark net markets, to inform law enforcement.",
        status_reason="The research is in progress.",
    ),
    "TOC-05": Setting(RESTRICTED, dict.fromkeys(rules.FIELD_GROUPS, RESTRICTED)),
    "TER-04": Setting(RESTRICTED, dict.fromkeys(rules.FIELD_GROUPS, RESTRICTED)),
    "CYB-04": Setting(RESTRICTED, dict.fromkeys(rules.FIELD_GROUPS, RESTRICTED)),
    "CYB-01": Setting(PUBLIC, summary="Joint capacity building for cybercrime investigators."),
    "MBS-01": Setting(
        PUBLIC, summary="Maritime law enforcement in the Indian Ocean, with INTERPOL's data."
    ),
    "MBS-02": Setting(
        PUBLIC, OPEN_FUNDED, summary="Port control units that profile containers at risk."
    ),
    "FCJ-01": Setting(
        PUBLIC,
        summary="Forensic capacity for police and laboratories in West Africa.",
        status_reason="Laboratory assessments are complete; training follows.",
    ),
    "FCJ-02": Setting(
        PUBLIC,
        OPEN_FUNDED,
        summary="CRIMJUST strengthens criminal justice cooperation along the cocaine route.",
        status_reason="Cooperation meetings between the countries of the route are held.",
    ),
    "INS-01": Setting(
        PUBLIC,
        summary="Access to INTERPOL's I-24/7 network for units supported by UNODC.",
        status_reason="Connections are being installed.",
    ),
    # A public priority left without a public status reason: the demo's checklist shows it, and
    # the snapshots are published anyway, with a note.
    "INS-02": Setting(
        PUBLIC, summary="Coordination and joint reporting between the two organizations."
    ),
}

# The snapshots the demo publishes (assessed month ends of the replay), and one withdrawn.
PUBLISHED = (dt.date(2016, 6, 30), dt.date(2016, 12, 31))
WITHDRAWN = dt.date(2016, 3, 31)
NOTE = "Demo: published although INS-02 still needs a public status reason."


def apply_settings(*, plan_id: int) -> int:
    """Set the demo's tiers and public texts on the plan's activities; returns how many."""
    done = 0
    for activity in Activity.objects.filter(matrix__plan_id=plan_id, code__in=SETTINGS):
        setting = SETTINGS[activity.code]
        services.set_disclosure(
            actor=None,
            activity_id=activity.pk,
            version=None,
            tier=setting.tier,
            field_tiers=setting.fields,
            public_summary=setting.summary,
            public_status_reason=setting.status_reason,
        )
        done += 1
    return done


def publish_demo(*, plan_id: int, manager_username: str = "manager") -> list[Snapshot]:
    """Publish the demo's snapshots by the demo manager (those dates not yet published)."""
    manager = get_user_model().objects.get(username=manager_username)
    assessed = set(selectors.publishable_dates(plan_id=plan_id))
    made = []
    for on in (WITHDRAWN, *PUBLISHED):
        if on not in assessed:
            continue
        snapshots = Snapshot.objects.filter(plan_id=plan_id, as_of=on)
        if snapshots.exists():
            continue  # published (or withdrawn) before: left as it is
        snapshot = services.publish_snapshot(actor=manager, plan_id=plan_id, as_of=on, note=NOTE)
        if on == WITHDRAWN:
            snapshot = services.withdraw_snapshot(
                actor=manager,
                snapshot_id=snapshot.pk,
                reason="Demo: superseded by the mid-year snapshot.",
            )
        made.append(snapshot)
    return made
