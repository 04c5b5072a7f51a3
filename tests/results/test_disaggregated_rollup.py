"""The chain respects disaggregation: a computed indicator adds its sources' values up by
category, says which categories not every source reported, and each category with a target is
held to its own line in the roll-up."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from activities import services as activity_services
from activities.models import Dimension
from monitoring import engine
from partnership.models import Profile
from results import rules, services
from results.models import ResultAssessment, ResultIndicator
from tests.api.conftest import client_for
from tests.factories import assess, make_user
from tests.results.builders import build_chain, trained_indicator

pytestmark = pytest.mark.django_db

JUN_30 = dt.date(2016, 6, 30)
D = Decimal


def test_category_values_by_method():
    names = {1: ("Sex", "Female"), 2: ("Sex", "Male")}
    sources = [
        (dt.date(2016, 3, 31), {1: D("10"), 2: D("20")}, {1: D("50"), 2: D("50")}),
        (JUN_30, {1: D("30")}, {1: D("20"), 2: D("30")}),
    ]
    female, male = rules.category_values(method="sum", sources=sources, names=names)
    assert (female.value, female.reported, female.expected, female.target) == (D("40"), 2, 2, 70)
    assert (male.value, male.complete, male.target) == (D("20"), False, D("80"))
    assert male.label == "Sex: Male"
    [average_female, _] = rules.category_values(method="average", sources=sources, names=names)
    assert average_female.value == D("20")
    [latest_female] = rules.category_values(method="latest", sources=sources, names=names)
    assert (latest_female.value, latest_female.target) == (D("30"), D("20"))
    assert rules.category_values(method="measured", sources=sources, names=names) == []


@pytest.fixture
def world():
    chain = build_chain(activities_per_output=2)
    sex = Dimension.objects.get(code="sex")
    female, male = (sex.categories.get(code=c).pk for c in ("female", "male"))
    sources = []
    for activity, (f, m) in zip(chain.activities["1.1.1"], [("5", "25"), ("5", "15")], strict=True):
        indicator = trained_indicator(activity, kind="count")
        activity_services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
        activity_services.set_category_targets(
            actor=None, indicator=indicator, targets={female: D("50"), male: D("50")}
        )
        activity_services.record_measurement(
            actor=None,
            indicator=indicator,
            measured_on=JUN_30,
            value=D(f) + D(m),
            breakdown={female: D(f), male: D(m)},
        )
        sources.append(indicator)
    services.add_result_indicator(
        actor=None,
        result=chain.outputs[0],
        name="Officers trained",
        unit="officers",
        baseline=D("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=D("200"),
        target_date=dt.date(2016, 12, 31),
        direction="increase",
        kind="count",
        method=ResultIndicator.Method.SUM,
        sources=sources,
    )
    for activities in chain.activities.values():
        for activity in activities:
            assess(activity, JUN_30, "on_track")
    return chain, female, male


def test_a_category_behind_its_line_puts_the_output_off_track(world):
    chain, _female, _male = world
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    output = ResultAssessment.objects.get(result=chain.outputs[0], as_of=JUN_30)
    messages = [r["message"] for r in output.reasons if r["code"] == "indicator_off_trajectory"]
    # In total 50 of ~99 expected: behind; women 10 of ~50 expected: further behind; men 40.
    assert any("Officers trained — Sex: Female' was 10 officers" in m for m in messages)
    assert not any("Sex: Male" in m for m in messages)
    assert output.status == "off_track"


def test_categories_not_every_source_reported_are_said_and_not_held_to_a_line(world):
    chain, _female, _male = world
    third = chain.activities["1.1.2"][0]
    indicator = trained_indicator(third, kind="count")
    activity_services.record_measurement(
        actor=None, indicator=indicator, measured_on=JUN_30, value=D("10")
    )
    computed = ResultIndicator.objects.get(result=chain.outputs[0])
    services.add_contribution(
        actor=None, output=chain.outputs[0], activity=third, description="Also trains."
    )
    computed.sources.add(indicator)
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    output = ResultAssessment.objects.get(result=chain.outputs[0], as_of=JUN_30)
    notes = [r["message"] for r in output.reasons if r["code"] == "categories_incomplete"]
    assert notes == [
        "Indicator 'Officers trained', Sex: Female: not all categories reported (2 of 3 sources).",
        "Indicator 'Officers trained', Sex: Male: not all categories reported (2 of 3 sources).",
    ]
    assert not any("Sex: Female' was" in r["message"] for r in output.reasons)


def test_the_results_page_and_the_api_show_the_breakdown(world, client):
    chain, female, _male = world
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    client.force_login(make_user(Profile.Role.VIEWER))
    html = client.get(f"/plans/{chain.plan.pk}/results/").content.decode()
    assert f'data-category="{female}"' in html and "Sex: Female" in html
    body = (
        client_for(make_user(Profile.Role.VIEWER))
        .get(f"/api/v1/plans/{chain.plan.pk}/results/")
        .json()
    )
    output = body["results"][0]["children"][0]["children"][0]
    [indicator] = output["indicators"]
    assert indicator["value"]["value"] == "50.00"
    assert [
        (c["name"], c["value"], c["target"], c["complete"]) for c in indicator["categories"]
    ] == [
        ("Female", "10.00", "100.00", True),
        ("Male", "40.00", "100.00", True),
    ]


def test_the_roll_up_with_breakdowns_takes_seven_queries(world, django_assert_num_queries):
    chain, _female, _male = world
    # results; result indicators with own values; source links with latest values; those
    # measurements' values by category; the sources' category targets; activity statuses by
    # output; the upsert
    with django_assert_num_queries(7):
        engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)


def test_the_csv_export_carries_the_breakdown(world, client):
    chain, _female, _male = world
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    client.force_login(make_user(Profile.Role.VIEWER))
    response = client.get(f"/plans/{chain.plan.pk}/results.csv")
    assert response["Content-Disposition"].endswith('-2016-06-30.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["As of", "Level", "Code"]
    female = next(r for r in rows if r[10] == "Sex: Female")
    assert (female[2], female[9], female[11], female[13]) == (
        "1.1.1",
        "Officers trained",
        "10.00",
        "100.00",
    )
    assert female[16] == "2 of 2"
    assert client.get(f"/plans/{chain.plan.pk}/results.csv", {"as_of": "x"}).status_code == 400
