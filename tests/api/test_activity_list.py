"""GET /api/v1/activities/: filters, sorting, pagination, query counts."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from rest_framework.utils.encoders import JSONEncoder

from activities import selectors
from activities.api.serializers import ActivityListSerializer
from activities.models import Activity, ActivityParticipation
from tests.api.conftest import API
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    ParticipationFactory,
    PlanFactory,
    PriorityFactory,
    TopicFactory,
    thematic_area,
)

URL = f"{API}/activities/"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def spread(world):
    """T-01 (terrorism, joint, current, INTERPOL, 2016 priority, on track) from the world, plus:
    C-01 cybercrime, complementary, aspirational, pipeline, UNODC, at risk, 'dark net' text;
    O-01 in another plan, off track."""
    Activity.objects.filter(pk=world.activity.pk).update(status="on_track")
    PriorityFactory(activity=world.activity, year=2016, rank=1)
    cyber = ActivityFactory(
        matrix=world.matrix,
        code="C-01",
        title="Research",
        description="Dark net marketplaces",
        thematic_area=thematic_area("cybercrime"),
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
        horizon=Activity.Horizon.ASPIRATIONAL,
        lifecycle=Activity.Lifecycle.PIPELINE,
        status="at_risk",
        start_date=dt.date(2016, 3, 1),
    )
    ParticipationFactory(activity=cyber, organization=world.unodc, role="lead")
    other = ActivityFactory(code="O-01", status="off_track", start_date=dt.date(2015, 1, 1))
    ParticipationFactory(activity=other, organization=world.interpol, role="lead")
    dark_net = TopicFactory(code="dark-net", name="Dark net")
    cyber.topics.add(dark_net)
    other.topics.add(dark_net, TopicFactory(code="drugs", name="Drugs"))
    return world


def test_lists_activities_with_what_a_list_shows(spread, as_viewer):
    FundingFactory(activity=spread.activity, amount="30000.00", status="committed")
    FundingFactory(activity=spread.activity, amount="5000.00", status="pledged")  # not secured
    body = as_viewer.get(URL).json()
    assert body["count"] == 3
    assert set(body) == {"count", "next", "previous", "results"}
    row = next(r for r in body["results"] if r["code"] == "T-01")
    assert row["thematic_area"] == "terrorism"
    assert row["plan"] == spread.plan.pk
    assert row["organizations"] == [{"organization": "INTERPOL", "role": "lead"}]
    assert row["priority_years"] == [2016]
    assert row["status"] == "on_track"
    assert (row["budget_required"], row["funding_secured"]) == ("100000.00", "30000.00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plan={plan}", ["C-01", "T-01"]),
        ("thematic_area=cybercrime", ["C-01"]),
        ("cooperation_type=complementary", ["C-01"]),
        ("horizon=current", ["O-01", "T-01"]),
        ("organization=interpol", ["O-01", "T-01"]),
        ("organization=UNODC", ["C-01"]),
        ("priority_year=2016", ["T-01"]),
        ("priority_year=2017", []),
        ("status=at_risk", ["C-01"]),
        ("status=at_risk&status=off_track", ["C-01", "O-01"]),
        ("lifecycle=pipeline", ["C-01"]),
        ("search=dark net", ["C-01"]),
        ("search=t-0", ["T-01"]),
        ("organization=INTERPOL&priority_year=2016&status=on_track", ["T-01"]),
        ("topic=dark-net", ["C-01", "O-01"]),
        ("topic=drugs", ["O-01"]),
        ("topic=dark-net&organization=UNODC", ["C-01"]),
        ("topic=nothing", []),
    ],
)
def test_each_filter(spread, as_viewer, query, expected):
    response = as_viewer.get(f"{URL}?{query.format(plan=spread.plan.pk)}&ordering=code")
    assert codes(response) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("code", ["C-01", "O-01", "T-01"]),
        ("-code", ["T-01", "O-01", "C-01"]),
        ("status", ["C-01", "O-01", "T-01"]),  # at_risk < off_track < on_track
        ("start_date", ["O-01", "T-01", "C-01"]),
        ("thematic_area,code", ["O-01", "T-01", "C-01"]),  # terrorism is area 1, cybercrime 3
    ],
)
def test_ordering(spread, as_viewer, ordering, expected):
    assert codes(as_viewer.get(f"{URL}?ordering={ordering}")) == expected


@pytest.mark.parametrize(
    "query",
    ["status=excellent", "horizon=someday", "cooperation_type=x", "priority_year=abc", "plan=x"],
)
def test_invalid_filter_values_are_400_with_the_field_named(spread, as_viewer, query):
    response = as_viewer.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_pagination_with_page_size(world, as_viewer):
    ActivityFactory.create_batch(4, matrix=world.matrix)
    first = as_viewer.get(f"{URL}?page_size=2&ordering=code").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None and "page=2" in first["next"]
    last = as_viewer.get(f"{URL}?page_size=2&page=3&ordering=code").json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = [
        r["code"]
        for p in (1, 2, 3)
        for r in as_viewer.get(f"{URL}?page_size=2&page={p}&ordering=code").json()["results"]
    ]
    assert len(set(seen)) == 5


def test_page_size_goes_up_to_200_and_anything_else_is_refused(world, as_viewer):
    ActivityFactory.create_batch(205, matrix=world.matrix)
    body = as_viewer.get(f"{URL}?page_size=200").json()
    assert body["count"] == 206
    assert len(body["results"]) == 200
    for bad in ("1000", "0", "-5", "ji", "2.5", "²"):
        response = as_viewer.get(f"{URL}?page_size={bad}")
        assert response.status_code == 400, bad
        assert response.json() == {"page_size": ["Give a whole number from 1 to 200."]}


def test_a_page_past_the_end_is_404(world, as_viewer):
    assert as_viewer.get(f"{URL}?page=9").status_code == 404


def test_anonymous_gets_401(world, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def _grow(world, n: int) -> None:
    """n activities, each with two participations, a priority and a funding commitment."""
    for i in range(n):
        activity = ActivityFactory(matrix=world.matrix, code=f"G-{i:03d}")
        ParticipationFactory(activity=activity, organization=world.interpol, role="lead")
        ParticipationFactory(
            activity=activity, organization=world.unodc, role=ActivityParticipation.Role.PARTNER
        )
        PriorityFactory(activity=activity, year=2016)
        FundingFactory(activity=activity)


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_does_not_grow_with_activities(
    world, as_viewer, n, django_assert_num_queries
):
    _grow(world, n)
    # 1 token with its user and the list's data revision (a cache miss: the data just grew),
    # 2 the caller's profile (their organization: which activities and groups they see), 3 the
    # matrices with their filtered activity counts (the count), 4 page of activities (matrix and
    # thematic area, the tiers joined, secured funding and the caller's partnership as
    # subqueries), 5 participations with organizations, 6 priorities.
    with django_assert_num_queries(6):
        response = as_viewer.get(f"{URL}?page_size=200&organization=INTERPOL&ordering=-status")
    assert response.status_code == 200
    assert len(response.json()["results"]) == n + 1


def test_browser_session_authenticates_too(world, client):
    client.force_login(world.viewer)
    assert client.get(URL).status_code == 200


def test_a_bad_token_is_401(world, client):
    response = client.get(URL, HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401


# --- the default order: by matrix (plan newest first, title, edition newest first), then code ----


@pytest.fixture
def plans(world):
    """Four more plans' matrices and activities, built so that the default order has every kind
    of tie to break: a later plan (first), a plan with two matrix editions (newest first), two
    plans with the same start and title (the older id first), codes that repeat across matrices.
    `expected` is every activity as (matrix id, code) in the list's default order."""
    later = PlanFactory(
        partnership=world.partnership,
        title="Z plan",
        period_start=dt.date(2017, 1, 1),
        period_end=dt.date(2017, 12, 31),
    )
    twin_a = PlanFactory(partnership=world.partnership, title="A plan")
    twin_b = PlanFactory(partnership=world.partnership, title="A plan")
    matrices = {
        "later": MatrixFactory(plan=later, edition=1),
        "twin_a_1": MatrixFactory(plan=twin_a, edition=1),
        "twin_a_2": MatrixFactory(plan=twin_a, edition=2),
        "twin_b": MatrixFactory(plan=twin_b, edition=1),
    }
    for name, matrix_codes in [
        ("later", ["K-02", "K-01"]),
        ("twin_a_1", ["X-01"]),
        ("twin_a_2", ["T-01", "B-02", "B-01"]),
        ("twin_b", ["B-01", "A-09"]),
    ]:
        for code in matrix_codes:
            ActivityFactory(matrix=matrices[name], code=code, status="on_track")
    # world.plan, "Joint Action Plan 2016" of 2016, holds T-01 (not assessed).
    m = {name: matrix.pk for name, matrix in matrices.items()} | {"world": world.matrix.pk}
    expected = [
        (m["later"], "K-01"),
        (m["later"], "K-02"),
        (m["twin_a_2"], "B-01"),
        (m["twin_a_2"], "B-02"),
        (m["twin_a_2"], "T-01"),
        (m["twin_a_1"], "X-01"),
        (m["twin_b"], "A-09"),
        (m["twin_b"], "B-01"),
        (m["world"], "T-01"),
    ]
    return SimpleNamespace(expected=expected, twin_b=matrices["twin_b"])


def _walk(client, query: str) -> list[tuple[int, str]]:
    """Every row of the list, following `next` from the first page."""
    rows, url = [], f"{URL}?{query}"
    while url:
        body = client.get(url).json()
        rows += [(r["matrix"], r["code"]) for r in body["results"]]
        url = body["next"]
    return rows


def test_default_order_is_plan_newest_then_title_then_edition_newest_then_code(plans, as_viewer):
    assert _walk(as_viewer, "page_size=50") == plans.expected


def test_default_order_is_the_one_activity_meta_ordering_gives_where_plans_differ(plans, as_viewer):
    """Without the twin plan (Django leaves equal plans in any order), the list's order is what
    Activity.Meta.ordering gives when sorted in SQL across plan and matrix."""
    Activity.objects.filter(matrix=plans.twin_b).delete()
    meta_order = list(Activity.objects.values_list("matrix_id", "code"))
    assert _walk(as_viewer, "page_size=50") == meta_order
    assert len(meta_order) == len(plans.expected) - 2


@pytest.mark.parametrize("page_size", [1, 2, 3, 4, 7])
def test_pages_in_default_order_span_matrices_without_gaps_or_repeats(plans, as_viewer, page_size):
    assert _walk(as_viewer, f"page_size={page_size}") == plans.expected
    first = as_viewer.get(f"{URL}?page_size={page_size}").json()
    assert first["count"] == len(plans.expected)


def test_default_order_with_a_filter_counts_and_pages_only_the_matching(plans, as_viewer):
    on_track = plans.expected[:-1]  # all but world's T-01, which is not assessed
    assert _walk(as_viewer, "status=on_track&page_size=2") == on_track
    assert as_viewer.get(f"{URL}?status=on_track").json()["count"] == len(on_track)
    b_codes = [row for row in plans.expected if row[1].startswith("B-")]
    assert len(b_codes) == 3
    assert _walk(as_viewer, "search=b-0&page_size=2") == b_codes


def test_a_filter_that_matches_nothing_is_an_empty_first_page(plans, as_viewer):
    body = as_viewer.get(f"{URL}?search=no-such-code").json()
    assert (body["count"], body["results"], body["next"]) == (0, [], None)


@pytest.mark.parametrize("matrices", [2, 12])
def test_default_order_query_count_does_not_grow_with_the_matrices_a_page_spans(
    world, as_viewer, matrices, django_assert_num_queries
):
    for edition in range(2, matrices + 1):
        matrix = MatrixFactory(plan=world.plan, edition=edition)
        for i in range(3):
            activity = ActivityFactory(matrix=matrix, code=f"M-{i}")
            ParticipationFactory(activity=activity, organization=world.unodc)
            PriorityFactory(activity=activity, year=2016)
    # 1 token with its user and the list's data revision (a miss), 2 the caller's profile, 3 the
    # matrices in order with their filtered activity counts, 4 the page's activities (one
    # statement for all its matrices), 5 their participations with organizations, 6 priorities.
    with django_assert_num_queries(6):
        response = as_viewer.get(f"{URL}?page_size=200&horizon=current")
    assert len(response.json()["results"]) == 3 * (matrices - 1) + 1


def test_list_rows_are_what_the_documented_serializer_writes(world, as_viewer):
    """The list writes its rows in plain Python; ActivityListSerializer documents them (and the
    schema): both must agree field for field, empty values included."""
    busy = ActivityFactory(
        matrix=world.matrix, status="at_risk", status_as_of=dt.date(2016, 9, 30), currency="EUR"
    )
    ParticipationFactory(activity=busy, organization=world.unodc, role="lead")
    ParticipationFactory(activity=busy, organization=world.interpol, role="partner")
    PriorityFactory(activity=busy, year=2017, rank=2)
    PriorityFactory(activity=busy, year=2016, rank=4)
    FundingFactory(activity=busy, amount="1234.50", currency="EUR", status="received")
    FundingFactory(activity=busy, amount="99.00", currency="USD", status="committed")  # other
    ActivityFactory(matrix=world.matrix, start_date=None, end_date=None, budget_required=0)
    documented = {
        row["id"]: dict(row)
        for row in ActivityListSerializer(selectors.activity_list(), many=True).data
    }
    listed = {row["id"]: row for row in as_viewer.get(URL).json()["results"]}
    assert listed.keys() == documented.keys()
    for pk, row in listed.items():
        assert json.loads(json.dumps(documented[pk], cls=JSONEncoder)) == row
    assert listed[busy.pk]["funding_secured"] == "1234.50"


def test_the_browsable_api_shows_the_list_with_its_filter_form(world, client):
    client.force_login(world.viewer)
    response = client.get(URL, {"horizon": "current"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    body = response.content.decode()
    assert "T-01" in body
    assert 'name="organization"' in body  # the filters' form, from ActivityFilter


@pytest.mark.parametrize(
    "query",
    [
        "plan=-166628676298628803064437282503827390464",
        "matrix=99999999999999999999",
        "plan={plan}.5",  # not an id: no longer rounded down to the plan's
        "priority_year=99999999",
        "priority_year=2016.5",
    ],
)
def test_numbers_no_row_can_hold_are_refused_naming_the_parameter(spread, as_viewer, query):
    # Ids are 1 … 2^63-1 and years 1900 … 2100, as the schema says: anything else is a 400, not
    # a quiet "nothing matches" (nor a rounding, nor a number the database driver cannot send).
    name = query.split("=")[0]
    for ordering in ("", "&ordering=code"):
        response = as_viewer.get(f"{URL}?{query.format(plan=spread.plan.pk)}{ordering}")
        assert response.status_code == 400, response.content
        assert list(response.json()) == [name]
