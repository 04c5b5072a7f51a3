"""The thresholds the monitoring rules apply, in one immutable object.

Defaults live here so the rules can be tested without Django settings; a deployment changes them
through `settings.MONITORING` (filled from MONITORING_* environment variables).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

# Which key of settings.MONITORING overrides which Policy field.
SETTINGS_KEYS: dict[str, str] = {
    "milestone_off_track_days": "MILESTONE_OFF_TRACK_DAYS",
    "progress_at_risk_gap": "PROGRESS_AT_RISK_GAP",
    "progress_off_track_gap": "PROGRESS_OFF_TRACK_GAP",
    "stale_at_risk_days": "STALE_AT_RISK_DAYS",
    "stale_off_track_days": "STALE_OFF_TRACK_DAYS",
    "indicator_at_risk_share": "INDICATOR_AT_RISK_SHARE",
    "indicator_off_track_share": "INDICATOR_OFF_TRACK_SHARE",
    "funding_min_share": "FUNDING_MIN_SHARE",
    "grace_days": "GRACE_DAYS",
    "rollup_at_risk_share": "ROLLUP_AT_RISK_SHARE",
    "rollup_off_track_share": "ROLLUP_OFF_TRACK_SHARE",
}


@dataclass(frozen=True, slots=True)
class Policy:
    """Every threshold of the rules. "More than" everywhere: a value equal to a threshold passes.

    - A milestone open past its due date is at risk from 1 day, off track beyond
      `milestone_off_track_days`.
    - Expected minus reported progress, in percentage points: above `progress_at_risk_gap` at risk,
      above `progress_off_track_gap` off track.
    - Days without an approved update (from the start date when there never was one): above
      `stale_at_risk_days` at risk, above `stale_off_track_days` off track.
    - An indicator's shortfall against its baseline→target line, as a share of |target − baseline|:
      above `indicator_at_risk_share` at risk, above `indicator_off_track_share` off track.
    - Secured funding below `funding_min_share` of the requirement once started: at risk.
    - The progress and stale rules stay quiet for `grace_days` after the start date.
    - A result of the chain (objective, outcome, output), from the statuses of its children: off
      track when the share of them off track is above `rollup_off_track_share`; at risk when any
      is off track, or the share at risk or off track is above `rollup_at_risk_share`.
    """

    milestone_off_track_days: int = 30
    progress_at_risk_gap: int = 15
    progress_off_track_gap: int = 30
    stale_at_risk_days: int = 90
    stale_off_track_days: int = 180
    indicator_at_risk_share: Decimal = Decimal("0.15")
    indicator_off_track_share: Decimal = Decimal("0.30")
    funding_min_share: Decimal = Decimal("0.50")
    grace_days: int = 30
    rollup_at_risk_share: Decimal = Decimal("0.25")
    rollup_off_track_share: Decimal = Decimal("0.25")

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Policy:
        """Build a policy from a settings-style dict; missing keys keep their defaults.

        Shares are converted through `str` so 0.15 from the environment becomes exactly 0.15.
        """
        kwargs: dict[str, Any] = {}
        for spec in fields(cls):
            key = SETTINGS_KEYS[spec.name]
            if values.get(key) is None:
                continue
            raw = values[key]
            kwargs[spec.name] = Decimal(str(raw)) if spec.type == "Decimal" else int(raw)
        return cls(**kwargs)

    @classmethod
    def from_settings(cls) -> Policy:
        from django.conf import settings  # imported here so the rules stay importable bare

        return cls.from_mapping(getattr(settings, "MONITORING", {}))
