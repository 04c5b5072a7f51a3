"""The IATI 2.03 activity file: the demo plan's validates against the official XSD and the
standard's other rules; a broken file fails both checks, so they can fail."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from activities.demo.loader import load_demo
from exchange import iati
from partnership.models import JointActionPlan, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    ParticipationFactory,
    make_user,
    sdg_target,
)

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "iati-2.03"


@pytest.fixture
def demo_plan():
    load_demo(password="demo-password-for-tests")
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
    call_command(
        "export_iati", demo_plan.pk, "-o", str(path), "--validate", str(SCHEMA_DIR), stdout=out
    )
    assert path.read_bytes().startswith(b"<?xml")
    with pytest.raises(CommandError, match="No organization"):
        call_command("export_iati", demo_plan.pk, "-o", str(path), "--reporting-org", "NOPE")


def test_the_page_serves_the_file_in_a_fixed_number_of_queries(
    client, demo_plan, django_assert_num_queries
):
    client.force_login(make_user(role=Profile.Role.VIEWER))
    url = reverse("exchange:iati-export", args=[demo_plan.pk])
    # session, user; the plan; activities with areas and matrices, SDG targets, participations
    # with organizations, secured funding with donors (4).
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert iati.schema_errors(response.content, schema_dir=SCHEMA_DIR) == []
    matrix = demo_plan.matrices.get()
    for n in range(5):  # the plan grows: the count stays
        activity = ActivityFactory(matrix=matrix, code=f"G-{n}")
        ParticipationFactory(activity=activity, role="lead")
        FundingFactory(activity=activity)
        activity.sdg_targets.add(sdg_target("16.4"))
    with django_assert_num_queries(7):
        grown = client.get(url)
    assert grown.content.count(b"<iati-activity ") == response.content.count(b"<iati-activity ") + 5
