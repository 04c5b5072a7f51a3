"""The IATI 2.03 activity file: the demo plan's validates against the official XSD and the
standard's other rules; a broken file fails both checks, so they can fail."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from activities.demo.loader import load_demo
from exchange import iati
from geography.rules import Place
from geography.services import set_places
from partnership.models import JointActionPlan, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    ParticipationFactory,
    make_user,
    sdg_target,
)

pytestmark = pytest.mark.django_db

SCHEMA_DIR = iati.SCHEMA_DIR


@pytest.fixture
def demo_plan():
    load_demo(password="demo-password-for-tests")
    call_command("load_demo_places", stdout=io.StringIO())  # as `manage.py load_demo` does
    return JointActionPlan.objects.get()


def test_the_demo_plans_export_validates_against_the_xsd_and_the_rules(demo_plan):
    content = iati.iati_activities(plan_id=demo_plan.pk)
    assert iati.schema_errors(content, schema_dir=SCHEMA_DIR) == []
    assert iati.rule_errors(content) == []
    root = etree.fromstring(content)
    activities = root.findall("iati-activity")
    assert len(activities) == demo_plan.matrices.get().activities.count()
    first = activities[0]
    assert first.find("reporting-org").get("ref").startswith("XI-IATI-ILLUSTRATIVE-")
    assert first.find("activity-status").get("code") in {"1", "2", "3", "4", "5", "6"}
    assert {p.get("role") for p in root.iter("participating-org")} >= {"2", "4"}
    assert any(t.get("vocabulary") == "3" for t in root.iter("tag"))
    assert {s.get("code") for s in root.iter("sector")} <= {"15110", "15130", "15210", "16063"}
    assert "illustrative" in content.decode()


def test_secured_funding_becomes_transactions_and_the_budget_a_budget(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    types = {t.find("transaction-type").get("code") for t in root.iter("transaction")}
    assert types and types <= {"1", "11"}
    for transaction in root.iter("transaction"):
        assert transaction.find("provider-org").get("ref")
    assert any(True for _ in root.iter("budget"))


def test_a_broken_export_fails_the_xsd(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    first, second = root.findall("iati-activity")[:2]
    first.remove(first.find("reporting-org"))  # a required element
    second.find("activity-status").attrib.pop("code")  # a required attribute
    errors = iati.schema_errors(etree.tostring(root), schema_dir=SCHEMA_DIR)
    assert any("Expected is ( reporting-org )" in e for e in errors), errors
    assert any("activity-status" in e and "code" in e for e in errors), errors


def test_the_rules_beyond_the_xsd_can_fail(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    first = root.find("iati-activity")
    first.find("sector").set("percentage", "60")
    planned = {d.get("type"): d for d in first.findall("activity-date")}
    planned["1"].set("iso-date", "2030-01-01")
    errors = iati.rule_errors(etree.tostring(root))
    assert any("add up to 60, not 100" in e for e in errors), errors
    assert any("planned start is after" in e for e in errors)
    # …while the XSD alone is satisfied: only the rules catch these.
    assert iati.schema_errors(etree.tostring(root), schema_dir=SCHEMA_DIR) == []


def test_every_thematic_area_maps_to_sectors_adding_up_to_100():
    for area, sectors in iati.DAC5_SECTORS.items():
        assert sum(share for _, share in sectors) == 100, area
        assert all(len(code) == 5 and code.isdigit() for code, _ in sectors)


def test_the_command_validates_what_it_writes(demo_plan, tmp_path):
    out = io.StringIO()
    path = tmp_path / "iati.xml"
    call_command("export_iati", demo_plan.pk, "-o", str(path), "--validate", stdout=out)
    assert path.read_bytes().startswith(b"<?xml")
    with pytest.raises(CommandError, match="No organization"):
        call_command("export_iati", demo_plan.pk, "-o", str(path), "--reporting-org", "NOPE")


def test_the_page_serves_the_file_in_a_fixed_number_of_queries(
    client, demo_plan, django_assert_num_queries
):
    client.force_login(make_user(role=Profile.Role.VIEWER))
    url = reverse("exchange:iati-export", args=[demo_plan.pk])
    # session, user; the plan; the reader's profile (what they may see: the tiers are read with
    # the activities); activities with areas and matrices, SDG targets, participations with
    # organizations, secured funding with donors (4); their countries, their regions (2).
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert iati.schema_errors(response.content, schema_dir=SCHEMA_DIR) == []
    matrix = demo_plan.matrices.get()
    for n in range(5):  # the plan grows: the count stays
        activity = ActivityFactory(matrix=matrix, code=f"G-{n}")
        ParticipationFactory(activity=activity, role="lead")
        FundingFactory(activity=activity)
        activity.sdg_targets.add(sdg_target("16.4"))
        set_places(
            activity=activity,
            countries=[Place("NG", Decimal("60")), Place("GH", Decimal("20"))],
            regions=[Place("011", Decimal("20"))],
            actor=None,
            version=None,
        )
    with django_assert_num_queries(10):
        grown = client.get(url)
    assert grown.content.count(b"<iati-activity ") == response.content.count(b"<iati-activity ") + 5


def _activity(root, code):
    return next(
        a for a in root.iter("iati-activity") if a.findtext("iati-identifier").endswith(f"-{code}")
    )


def test_aircop_carries_its_recipient_countries_and_m49_regions(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    aircop = _activity(root, "TOC-01")
    countries = {c.get("code") for c in aircop.findall("recipient-country")}
    assert countries == {"BJ", "CI", "CM", "CV", "GH", "GM", "GW", "ML", "NE", "TG"}
    regions = aircop.findall("recipient-region")
    assert {r.get("code") for r in regions} == {"011", "017", "419"}
    assert {r.get("vocabulary") for r in regions} == {"2"}  # RegionVocabulary 2: UN M49
    # No shares recorded for AIRCOP: no percentage rather than an invented split.
    assert all(p.get("percentage") is None for p in [*aircop.iter("recipient-country"), *regions])
    # A global activity (no places) carries none.
    assert any(a.find("recipient-country") is None for a in root.iter("iati-activity"))


def test_recipient_percentages_add_up_to_100_where_given(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    sahel = _activity(root, "TER-04")
    assert [c.get("percentage") for c in sahel.findall("recipient-country")] == ["20"] * 5
    with_percentages = 0
    for activity in root.iter("iati-activity"):
        places = [*activity.findall("recipient-country"), *activity.findall("recipient-region")]
        given = [Decimal(p.get("percentage")) for p in places if p.get("percentage")]
        if given:
            with_percentages += 1
            assert len(given) == len(places) and sum(given) == 100
    assert with_percentages >= 2  # the Sahel and the Indian Ocean
    assert iati.rule_errors(etree.tostring(root)) == []


def test_the_rules_catch_recipient_percentages_not_adding_up(demo_plan):
    root = etree.fromstring(iati.iati_activities(plan_id=demo_plan.pk))
    _activity(root, "TER-04").find("recipient-country").set("percentage", "35")
    errors = iati.rule_errors(etree.tostring(root))
    assert any("TER-04" in e and "recipient" in e and "115" in e for e in errors), errors
    assert iati.schema_errors(etree.tostring(root), schema_dir=SCHEMA_DIR) == []
