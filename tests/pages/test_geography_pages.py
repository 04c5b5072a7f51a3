"""The map, a country's page and a region's page: what they show, that their counts agree with
the activity list filtered by the place, and a query count that does not grow."""

import datetime as dt
import re

import pytest

from geography import services
from geography.rules import Place
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PlanFactory,
    assess,
    make_user,
    thematic_area,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2016, 6, 30)


@pytest.fixture
def viewer(client, world):
    """Staff of a partner organization of the plan's partnership that takes part in nothing:
    they read places (the default tier, partners); a viewer of no organization would not."""
    organization = OrganizationFactory(acronym="PARTNER")
    world.partnership.organizations.add(organization)
    user = make_user(username="viewer", organization=organization)
    client.force_login(user)
    return user


def place(activity, *countries, regions=(), illustrative=False):
    activity.refresh_from_db()
    services.set_places(
        actor=None,
        activity=activity,
        version=activity.version,
        countries=[Place(c, is_illustrative=illustrative) for c in countries],
        regions=[Place(r, is_illustrative=illustrative) for r in regions],
    )


@pytest.fixture
def world():
    plan = PlanFactory(period_start=dt.date(2016, 1, 1), period_end=dt.date(2016, 12, 31))
    matrix = MatrixFactory(plan=plan)
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    airports = ActivityFactory(
        matrix=matrix, code="AIRCOP", thematic_area=thematic_area("maritime-border-security")
    )
    ParticipationFactory(activity=airports, organization=unodc, role="lead")
    ParticipationFactory(activity=airports, organization=interpol, role="partner")
    FundingFactory(activity=airports, amount=40000)
    MilestoneFactory(activity=airports, title="Joint task force in Lagos", due_date=AS_OF)
    place(airports, "NG", "SN")
    routes = ActivityFactory(matrix=matrix, code="CRIMJUST")
    ParticipationFactory(activity=routes, organization=unodc, role="lead")
    place(routes, "NG", illustrative=True)
    regional = ActivityFactory(matrix=matrix, code="SAHEL")
    ParticipationFactory(activity=regional, organization=interpol, role="lead")
    place(regional, regions=["011"])
    assess(
        airports,
        AS_OF,
        "at_risk",
        reasons=[
            {"code": "x", "severity": "warning", "message": "Milestone 'x' is 3 days overdue"}
        ],
    )
    assess(routes, AS_OF, "on_track")
    return plan


def test_the_map_draws_every_country_as_a_link_coloured_by_the_number_of_activities(
    client, viewer, world
):
    response = client.get("/map/", {"plan": world.pk, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    nigeria = re.search(
        r'<a href="(/map/countries/NG/[^"]*)" aria-label="([^"]+)"[^>]*><path '
        r'class="([^"]+)"',
        html,
    )
    assert nigeria is not None
    assert nigeria.group(2) == "Nigeria: 2 activities, worst status at risk"
    assert nigeria.group(3) == "map-n2"  # the most of any country: the darkest class
    senegal = re.search(r'aria-label="Senegal: 1 activity[^"]*"[^>]*><path class="([^"]+)"', html)
    assert senegal.group(1) == "map-n1"
    assert 'aria-label="France: no activities"' in html
    # Every country with an ISO code is a link (reachable with Tab), those with activities first.
    labels = re.findall(r'<a href="/map/countries/[A-Z]{2}/[^"]*" aria-label="([^"]+)"', html)
    assert len(labels) > 170
    assert labels[:2] == [
        "Nigeria: 2 activities, worst status at risk",
        "Senegal: 1 activity, worst status at risk",
    ]
    # The legend says how countries are coloured, and the table says the same in figures.
    assert "coloured by the <strong>number of activities</strong>" in html
    assert re.search(
        r'<th scope="row"><a href="/map/countries/NG/[^"]*">Nigeria</a></th>\s*'
        r'<td class="num">2</td>',
        html,
    )


def test_the_map_switches_to_the_worst_status_and_keeps_the_filters(client, viewer, world):
    response = client.get(
        "/map/",
        {"plan": world.pk, "as_of": AS_OF.isoformat(), "colour": "worst", "organization": "UNODC"},
    )
    html = response.content.decode()
    assert re.search(
        r'aria-label="Nigeria: 2 activities, worst status at risk"[^>]*>'
        r'<path class="seg-at_risk"',
        html,
    )
    assert "coloured by the <strong>worst status</strong>" in html
    # The status filter reads the status on the date: only the activity on track is left.
    on_track = client.get(
        "/map/", {"plan": world.pk, "as_of": AS_OF.isoformat(), "status": "on_track"}
    ).content.decode()
    assert 'aria-label="Nigeria: 1 activity, worst status on track"' in on_track
    assert 'aria-label="Senegal: no activities"' in on_track


def test_an_earlier_date_shows_the_status_of_that_date(client, viewer, world):
    html = client.get(
        "/map/", {"plan": world.pk, "as_of": "2016-03-31", "colour": "worst"}
    ).content.decode()
    assert 'aria-label="Nigeria: 2 activities, worst status not assessed"' in html


def test_the_country_page_counts_equal_the_activity_list_filtered_by_the_country(
    client, viewer, world
):
    html = client.get(
        "/map/countries/ng/", {"plan": world.pk, "as_of": AS_OF.isoformat()}
    ).content.decode()
    assert "<h1>Nigeria <span" in html
    assert "2 activities as of 30 Jun 2016" in html
    shown = re.findall(r'<td data-label="Code" class="nowrap">([^<]+)</td>', html)
    assert shown == ["AIRCOP", "CRIMJUST"]
    listed = client.get("/activities/", {"country": "NG", "plan": world.pk}).content.decode()
    assert "2 activities match the filters" in listed
    assert sorted(re.findall(r'<td data-label="Code"[^>]*>([^<]+)</td>', listed)) == shown
    # Status and reasons, the illustrative flag, milestones due, funding, areas not covered.
    assert "Milestone &#x27;x&#x27; is 3 days overdue" in html
    assert "illustrative</span>" in html
    assert "Joint task force in Lagos" in html
    assert re.search(
        r'<th scope="row">USD</th><td class="num">200,000</td>'
        r'<td class="num">40,000</td>',
        html,
    )
    assert re.search(
        r"Maritime and border security</th>\s*<td class=\"num\">1</td>\s*"
        r"<td>INTERPOL, UNODC</td>",
        html,
    )
    assert "Not covered: Terrorism" not in html  # CRIMJUST is in the factory's terrorism area
    assert "Not covered: Illicit trafficking and organized crime, Cybercrime" in html


def test_the_region_page_includes_activities_in_its_countries(client, viewer, world):
    html = client.get(
        "/map/regions/011/", {"plan": world.pk, "as_of": AS_OF.isoformat()}
    ).content.decode()
    assert "Western Africa" in html
    assert re.findall(r'<td data-label="Code" class="nowrap">([^<]+)</td>', html) == [
        "AIRCOP",
        "CRIMJUST",
        "SAHEL",
    ]
    listed = client.get("/activities/", {"region": "011"}).content.decode()
    assert "3 activities match the filters" in listed


def test_unknown_places_are_404(client, viewer, world):
    assert client.get("/map/countries/ZZ/").status_code == 404
    assert client.get("/map/regions/999/").status_code == 404


def test_the_pages_need_a_sign_in(client, world):
    assert client.get("/map/").status_code == 302
    assert client.get("/map/countries/NG/").status_code == 302


@pytest.mark.parametrize("more", [0, 20])
def test_query_counts_do_not_grow_with_the_activities(
    client, viewer, world, more, django_assert_num_queries
):
    matrix = world.matrices.get()
    for i in range(more):
        activity = ActivityFactory(matrix=matrix, code=f"G-{i:03d}")
        ParticipationFactory(activity=activity)
        MilestoneFactory(activity=activity, due_date=AS_OF)
        place(activity, "NG", "GH", regions=["011"])
        assess(activity, AS_OF, "off_track")
    params = {"plan": world.pk, "as_of": AS_OF.isoformat(), "organization": "UNODC"}
    # 1 session, 2 user, 3-5 the scope (plans, assessed dates, latest assessed date), 6-8 the
    # filters' choices (thematic areas, organizations, priority years), 9 the reader's profile
    # (whose places they may read: a condition of the next), 10 the countries by status on the
    # date, 11 the profile (page header, with its counts).
    with django_assert_num_queries(11):
        assert client.get("/map/", params).status_code == 200
    # 1-2 session and user, 3-5 scope, 6-8 filters' choices, 9 the country's regions, 10 the
    # reader's profile (what they may read), 11-21 geography.selectors.place_summary (11: the
    # open milestones' total is counted only past the 200 shown), 22 the profile (page header).
    with django_assert_num_queries(22):
        assert client.get("/map/countries/NG/", params).status_code == 200
    # As the country's, with the region (9) and its sub-regions and countries (2 more).
    with django_assert_num_queries(24):
        assert client.get("/map/regions/011/", params).status_code == 200


def test_the_export_of_a_list_filtered_by_country_has_that_country_s_activities(
    client, viewer, world
):
    response = client.get(
        "/exports/activities.csv", {"plan": world.pk, "as_of": AS_OF.isoformat(), "country": "SN"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert "AIRCOP" in text and "CRIMJUST" not in text


def test_the_dashboard_has_a_by_country_tab_for_its_plan_and_date(client, viewer, world):
    html = client.get("/", {"plan": world.pk, "as_of": AS_OF.isoformat()}).content.decode()
    assert f'href="/dashboard/countries/?plan={world.pk}&amp;as_of=2016-06-30">By country</a>' in (
        html
    )


def _country_rows(html: str) -> dict[str, dict[str, str]]:
    """The "By country" tab's table: country code → status → count."""
    rows = {}
    for code, cells in re.findall(r'<tr data-country="(\w+)">(.*?)</tr>', html, re.S):
        rows[code] = dict(re.findall(r'data-status="(\w+)">(\d+)<', cells))
    return rows


def test_the_by_country_tab_counts_each_country_s_activities_by_status(client, viewer, world):
    response = client.get("/dashboard/countries/", {"plan": world.pk, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">By country</a>' in html
    rows = _country_rows(html)
    # Nigeria: AIRCOP (at risk) and CRIMJUST (on track); Senegal: AIRCOP. The most first.
    assert list(rows) == ["NG", "SN"]
    assert rows["NG"]["at_risk"] == "1" and rows["NG"]["on_track"] == "1"
    assert rows["NG"]["total"] == "2"
    assert rows["SN"] == {**rows["SN"], "at_risk": "1", "total": "1"}
    # SAHEL names a region only.
    assert re.search(r'id="without-country">1 activity names no recipient country', html)
    assert f'href="/map/countries/NG/?plan={world.pk}&amp;as_of=2016-06-30">Nigeria</a>' in html
    assert f'href="/map/?plan={world.pk}&amp;as_of=2016-06-30" id="on-the-map"' in html


def test_the_by_country_tab_agrees_with_the_list_filtered_by_country(client, viewer, world):
    rows = _country_rows(client.get("/dashboard/countries/", {"plan": world.pk}).content.decode())
    for code, counts in rows.items():
        listed = client.get("/activities/", {"plan": world.pk, "country": code}).content.decode()
        assert f"{counts['total']} activit" in listed, code


def test_the_by_country_tab_shows_an_earlier_date_s_status(client, viewer, world):
    earlier = AS_OF - dt.timedelta(days=1)
    html = client.get(
        "/dashboard/countries/", {"plan": world.pk, "as_of": earlier.isoformat()}
    ).content.decode()
    rows = _country_rows(html)
    assert rows["NG"]["unassessed"] == "2" and rows["NG"]["at_risk"] == "0"


@pytest.mark.parametrize("more", [0, 20])
def test_the_by_country_tab_s_queries_do_not_grow(
    client, viewer, world, more, django_assert_num_queries
):
    matrix = world.matrices.get()
    for i in range(more):
        activity = ActivityFactory(matrix=matrix, code=f"G-{i:03d}")
        place(activity, "GH", "TG" if i % 2 else "BJ")
        assess(activity, AS_OF, "off_track")
    # 1-2 session and user, 3-5 the scope (plans, assessed dates, latest assessed date), 6 the
    # run request's permission (the profile), 7 the countries by status on the date, 8 the
    # activities naming no country, 9 the page header's profile and counts.
    with django_assert_num_queries(9):
        response = client.get(
            "/dashboard/countries/", {"plan": world.pk, "as_of": AS_OF.isoformat()}
        )
    assert response.status_code == 200
    assert len(_country_rows(response.content.decode())) == (2 if not more else 5)


def test_the_by_country_tab_needs_a_sign_in(client, world):
    assert client.get("/dashboard/countries/").status_code == 302


@pytest.mark.parametrize(
    "params",
    [{"country": "NG"}, {"country": "SN"}, {"region": "011"}, {"region": "002"}, {"region": "150"}],
)
def test_the_list_page_and_the_api_agree_on_the_country_and_region_filters(
    client, viewer, world, params
):
    page = client.get("/activities/", {"plan": world.pk, **params}).content.decode()
    on_page = sorted(re.findall(r'<td data-label="Code"[^>]*>([^<]+)</td>', page))
    api = client.get("/api/v1/activities/", {"plan": world.pk, **params})
    assert api.status_code == 200
    assert on_page == sorted(row["code"] for row in api.json()["results"])
    expected = {"NG": 2, "SN": 1, "011": 3, "002": 3, "150": 0}[next(iter(params.values()))]
    assert len(on_page) == expected


def test_the_list_page_offers_the_country_and_region_filters(client, viewer, world):
    html = client.get("/activities/", {"country": "SN"}).content.decode()
    assert re.search(r'<select name="country"[^>]*>', html)
    assert re.search(r'<option value="SN" selected>Senegal</option>', html)
    assert re.search(r'<select name="region"[^>]*>', html)
    assert '<option value="011">Western Africa</option>' in html
