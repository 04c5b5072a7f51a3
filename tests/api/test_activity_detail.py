"""GET/PATCH /api/v1/activities/{id}/ and POST /api/v1/activities/: the detail's content, its
ETag, optimistic concurrency with If-Match, validation errors that write nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from rest_framework.utils.encoders import JSONEncoder

from activities import selectors
from activities.api.serializers import ActivityDetailSerializer
from activities.models import Activity
from geography.rules import Place
from geography.services import set_places
from tests.api.conftest import API
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MeasurementFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    TopicFactory,
    sdg_target,
)


def url(activity) -> str:
    return f"{API}/activities/{activity.pk}/"


def test_detail_shows_participations_milestones_indicators_targets_funding_and_status(
    world, as_viewer
):
    activity = world.activity
    ParticipationFactory(activity=activity, organization=world.unodc, role="partner")
    MilestoneFactory(activity=activity, title="Workshop", due_date=dt.date(2016, 9, 1))
    indicator = IndicatorFactory(activity=activity, name="Officers trained")
    MeasurementFactory(indicator=indicator, value="40")
    activity.sdg_targets.add(sdg_target("16.a"))
    activity.topics.add(TopicFactory(code="terrorism-fighters", name="Foreign fighters"))
    PriorityFactory(activity=activity, year=2016, rank=3)
    donor = OrganizationFactory(acronym="EU", kind="donor")
    FundingFactory(activity=activity, donor=donor, amount="60000.00", status="received")
    FundingFactory(activity=activity, donor=donor, amount="10000.00", status="pledged")
    FundingFactory(activity=activity, donor=donor, amount="9000.00", currency="EUR")
    Activity.objects.filter(pk=activity.pk).update(
        status="at_risk",
        status_as_of=dt.date(2016, 7, 1),
        status_reasons=[
            {"code": "milestone_overdue", "severity": "at_risk", "message": "Workshop is late"}
        ],
    )

    response = as_viewer.get(url(activity))

    assert response.status_code == 200
    assert response["ETag"] == '"v1"'
    body = response.json()
    assert body["plan"] == {"id": world.plan.pk, "title": "Joint Action Plan 2016"}
    assert body["thematic_area"] == {"code": "terrorism", "name": "Terrorism"}
    assert [(p["organization"], p["role"]) for p in body["participations"]] == [
        ("INTERPOL", "lead"),
        ("UNODC", "partner"),
    ]
    assert body["milestones"][0]["title"] == "Workshop"
    assert body["indicators"][0]["measurements"][0]["value"] == "40.00"
    assert body["sdg_targets"][0]["code"] == "16.a"
    assert body["topics"] == [{"code": "terrorism-fighters", "name": "Foreign fighters"}]
    assert body["priorities"] == [{"year": 2016, "rank": 3, "rationale": ""}]
    assert body["funding"] == {
        "currency": "USD",
        "required": "100000.00",
        "secured": "60000.00",
        "pledged": "10000.00",
        "gap": "40000.00",
        "donors": ["EU"],
        "secured_in_other_currencies": {"EUR": "9000.00"},
    }
    assert body["current_status"] == {
        "status": "at_risk",
        "as_of": "2016-07-01",
        "reasons": [
            {"code": "milestone_overdue", "severity": "at_risk", "message": "Workshop is late"}
        ],
    }
    assert body["iati_status_code"] == 2


def test_detail_is_what_the_documented_serializer_writes(world, as_viewer):
    """The detail is written in plain Python from values() rows; ActivityDetailSerializer
    documents it (and the schema): both must agree field for field, empty values included."""
    busy = world.activity
    ParticipationFactory(activity=busy, organization=world.unodc, role="partner", contribution="x")
    MilestoneFactory(activity=busy, title="Late", due_date=dt.date(2016, 9, 1))
    MilestoneFactory(
        activity=busy, title="Done", due_date=dt.date(2016, 3, 1), completed_on=dt.date(2016, 3, 2)
    )
    counted = IndicatorFactory(activity=busy, name="Cases")
    IndicatorFactory(activity=busy, name="Without measurements")
    MeasurementFactory(indicator=counted, value="40.5", measured_on=dt.date(2016, 6, 30))
    MeasurementFactory(
        indicator=counted, value="12", measured_on=dt.date(2016, 3, 31), recorded_by=None
    )
    busy.sdg_targets.add(sdg_target("16.a"), sdg_target("16.4"))
    busy.topics.add(TopicFactory(code="b", name="B topic"), TopicFactory(code="a", name="A topic"))
    PriorityFactory(activity=busy, year=2017, rank=1, rationale="")
    PriorityFactory(activity=busy, year=2016, rank=3, rationale="Why")
    donor = OrganizationFactory(acronym="EU", kind="donor")
    FundingFactory(activity=busy, donor=donor, amount="60000.50", status="received")
    FundingFactory(activity=busy, donor=donor, amount="10000.00", status="pledged")
    FundingFactory(activity=busy, amount="9000.00", currency="EUR", status="committed")
    Activity.objects.filter(pk=busy.pk).update(
        status="at_risk",
        status_as_of=dt.date(2016, 7, 1),
        status_reasons=[{"code": "x", "severity": "at_risk", "message": "m"}, "not a reason"],
    )
    busy.refresh_from_db()
    set_places(
        actor=None,
        activity=busy,
        version=busy.version,
        countries=[Place("SN", Decimal("50")), Place("NG", Decimal("25"), True)],
        regions=[Place("011", Decimal("25"))],
    )
    bare = ActivityFactory(matrix=world.matrix, start_date=None, end_date=None, budget_required=0)

    for activity in (busy, bare):
        documented = ActivityDetailSerializer(selectors.activity_detail(activity_id=activity.pk))
        expected = json.loads(json.dumps(documented.data, cls=JSONEncoder))
        assert as_viewer.get(url(activity)).json() == expected
        assert set(expected) == set(ActivityDetailSerializer.Meta.fields)
    assert expected["funding"]["secured"] == "0.00"  # the bare activity's
    assert expected["countries"] == []


def test_status_is_null_before_the_first_assessment(world, as_viewer):
    body = as_viewer.get(url(world.activity)).json()
    assert body["current_status"] == {"status": None, "as_of": None, "reasons": []}


def test_unknown_activity_is_404(world, as_viewer):
    assert as_viewer.get(f"{API}/activities/999999/").status_code == 404


def _rich(world, n: int) -> Activity:
    """n activities; the one returned has n milestones, indicators, measurements, fundings."""
    for _ in range(n - 1):
        ActivityFactory(matrix=world.matrix)
    activity = world.activity
    for i in range(n):
        MilestoneFactory(activity=activity)
        MeasurementFactory(indicator=IndicatorFactory(activity=activity))
        FundingFactory(activity=activity)
        activity.sdg_targets.add(sdg_target(["16.1", "16.2", "16.3", "16.4", "16.a"][i % 5]))
        PriorityFactory(activity=activity, year=2000 + i)
    return activity


@pytest.mark.parametrize("n", [5, 50])
def test_detail_query_count_does_not_grow(world, as_viewer, n, django_assert_num_queries):
    activity = _rich(world, n)
    # 1 token with its user; 2 the caller's profile (their organization); 3 the activity (matrix,
    # plan, agreement, thematic area, its tiers joined, whether the caller's organization is a
    # partner as a subquery); then its 4 participations with organizations, 5 topics, 6 SDG
    # targets, 7 priorities, 8 milestones, 9 indicators, 10 their measurements, 11 funding; 12 its
    # recipient countries, 13 its regions (geography's part).
    with django_assert_num_queries(13):
        response = as_viewer.get(url(activity))
    assert response.status_code == 200
    assert len(response.json()["milestones"]) == n


# --- create ---------------------------------------------------------------------------------------


def _payload(world, **overrides):
    payload = {
        "matrix": world.matrix.pk,
        "code": "T-02",
        "title": "Passenger data analysis",
        "thematic_area": "terrorism",
        "cooperation_type": "joint",
        "horizon": "current",
        "start_date": "2016-06-01",
        "end_date": "2016-12-31",
        "budget_required": "75000.00",
        "sdg_targets": ["16.a"],
        "participations": [
            {"organization": "INTERPOL", "role": "lead", "contribution": "I-24/7"},
            {"organization": "UNODC", "role": "partner"},
        ],
    }
    payload.update(overrides)
    return payload


def test_manager_creates_an_activity(world, as_manager):
    response = as_manager.post(f"{API}/activities/", _payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["ETag"] == '"v1"'
    assert body["code"] == "T-02"
    assert [p["organization"] for p in body["participations"]] == ["INTERPOL", "UNODC"]
    assert Activity.objects.get(code="T-02").sdg_targets.get().code == "16.a"


def test_liaison_creates_an_activity_of_their_own_organization(world, as_liaison):
    response = as_liaison.post(f"{API}/activities/", _payload(world), format="json")
    assert response.status_code == 201


def test_liaison_cannot_create_an_activity_without_their_organization(world, as_outsider):
    payload = _payload(world, participations=[{"organization": "INTERPOL", "role": "lead"}])
    response = as_outsider.post(f"{API}/activities/", payload, format="json")
    assert response.status_code == 403
    assert not Activity.objects.filter(code="T-02").exists()


# 400: the request breaks the published schema; 422: a service's rule refuses it.
@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"thematic_area": "gardening"}, "thematic_area", 400),
        ({"horizon": "someday"}, "horizon", 400),
        ({"code": ""}, "code", 400),
        ({"end_date": "2016-01-01"}, "end_date", 422),  # before the start: the service says so
        ({"participations": []}, "participations", 400),
        (
            {"participations": [{"organization": "INTERPOL", "role": "partner"}]},
            "participations",
            422,
        ),
        ({"participations": [{"organization": "NOPE", "role": "lead"}]}, "participations", 400),
        ({"budget_required": "-1"}, "budget_required", 400),
        ({"currency": "US"}, "currency", 400),
        ({"code": "T-01"}, "non_field_errors", 422),  # taken in this matrix
    ],
)
def test_invalid_create_answers_field_errors_and_writes_nothing(
    world, as_manager, overrides, field, status
):
    before = Activity.objects.count()
    response = as_manager.post(f"{API}/activities/", _payload(world, **overrides), format="json")
    assert response.status_code == status
    assert field in response.json(), response.json()
    assert Activity.objects.count() == before


# --- update with optimistic concurrency -----------------------------------------------------------


def test_patch_with_if_match_updates_and_returns_the_new_etag(world, as_liaison):
    etag = as_liaison.get(url(world.activity))["ETag"]
    response = as_liaison.patch(
        url(world.activity), {"title": "Renamed"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"v2"'
    assert response.json()["title"] == "Renamed"
    assert response.json()["version"] == 2


def test_patch_with_a_stale_if_match_is_412_and_changes_nothing(world, as_liaison, as_manager):
    stale = as_liaison.get(url(world.activity))["ETag"]
    as_manager.patch(
        url(world.activity), {"title": "Manager's"}, format="json", HTTP_IF_MATCH=stale
    )

    response = as_liaison.patch(
        url(world.activity), {"title": "Liaison's"}, format="json", HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert "changed by someone else" in response.json()["detail"]
    assert response.json()["current_version"] == 2
    assert response["ETag"] == '"v2"'
    world.activity.refresh_from_db()
    assert (world.activity.title, world.activity.version) == ("Manager's", 2)


def test_patch_may_name_the_version_in_the_body(world, as_liaison):
    ok = as_liaison.patch(url(world.activity), {"title": "A", "version": 1}, format="json")
    assert ok.status_code == 200
    stale = as_liaison.patch(url(world.activity), {"title": "B", "version": 1}, format="json")
    assert stale.status_code == 412


def test_patch_without_a_version_is_428(world, as_liaison):
    response = as_liaison.patch(url(world.activity), {"title": "A"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    world.activity.refresh_from_db()
    assert world.activity.title != "A"


def test_patch_with_a_malformed_if_match_is_412(world, as_liaison):
    response = as_liaison.patch(
        url(world.activity), {"title": "A"}, format="json", HTTP_IF_MATCH="yesterday"
    )
    assert response.status_code == 412


def test_invalid_patch_is_400_and_keeps_the_version(world, as_liaison):
    response = as_liaison.patch(
        url(world.activity),
        {"end_date": "2015-01-01", "lifecycle": "finished"},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 400
    # The bad choice and the rule the end date breaks (against the stored start), in one answer.
    assert response.json() == {
        "lifecycle": ['"finished" is not a valid choice.'],
        "end_date": ["The end date must be after the start date, 1 Jan 2016."],
    }
    response = as_liaison.patch(
        url(world.activity), {"end_date": "2015-01-01"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 422  # the schema allows it; the service refuses it
    assert response.json() == {
        "end_date": ["The end date must be after the start date, 1 Jan 2016."]
    }
    world.activity.refresh_from_db()
    assert world.activity.version == 1


def test_patch_replaces_participations_keeping_one_lead(world, as_manager):
    response = as_manager.patch(
        url(world.activity),
        {
            "participations": [
                {"organization": "INTERPOL", "role": "partner"},
                {"organization": "UNODC", "role": "lead"},
            ]
        },
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 200
    assert [(p["organization"], p["role"]) for p in response.json()["participations"]] == [
        ("UNODC", "lead"),
        ("INTERPOL", "partner"),
    ]
    two_leads = as_manager.patch(
        url(world.activity),
        {
            "participations": [
                {"organization": "INTERPOL", "role": "lead"},
                {"organization": "UNODC", "role": "lead"},
            ]
        },
        format="json",
        HTTP_IF_MATCH='"v2"',
    )
    assert two_leads.status_code == 422
    assert "exactly one lead" in two_leads.json()["participations"][0]


def test_outsider_patch_is_403_even_with_the_right_version(world, as_outsider):
    response = as_outsider.patch(
        url(world.activity), {"title": "Mine"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 403
    world.activity.refresh_from_db()
    assert world.activity.version == 1
