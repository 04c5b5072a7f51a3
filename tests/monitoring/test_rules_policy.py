"""The policy: defaults as agreed, overrides from settings.MONITORING. No database."""

from decimal import Decimal

from monitoring.policy import Policy


def test_defaults_are_the_agreed_thresholds():
    assert Policy() == Policy(
        milestone_off_track_days=30,
        progress_at_risk_gap=15,
        progress_off_track_gap=30,
        stale_at_risk_days=90,
        stale_off_track_days=180,
        indicator_at_risk_share=Decimal("0.15"),
        indicator_off_track_share=Decimal("0.30"),
        funding_min_share=Decimal("0.50"),
        grace_days=30,
    )


def test_from_mapping_keeps_defaults_for_missing_or_none_keys():
    assert Policy.from_mapping({"CHUNK_SIZE": 500, "GRACE_DAYS": None}) == Policy()


def test_from_settings_reads_overrides_from_settings_monitoring(settings):
    settings.MONITORING = {
        **settings.MONITORING,
        "MILESTONE_OFF_TRACK_DAYS": 45,
        "INDICATOR_AT_RISK_SHARE": 0.1,  # env.float gives a float: kept exact as Decimal
        "FUNDING_MIN_SHARE": 0.4,
    }

    policy = Policy.from_settings()

    assert policy.milestone_off_track_days == 45
    assert policy.indicator_at_risk_share == Decimal("0.1")
    assert policy.funding_min_share == Decimal("0.4")
    assert policy.grace_days == 30
