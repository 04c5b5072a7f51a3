"""The activity list page: filters, sorting, pagination, badges, and a constant query count."""

import re

import pytest

from activities.models import Activity
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    make_user,
    thematic_area,
)

pytestmark = pytest.mark.django_db

URL = "/activities/"


def codes(response) -> list[str]:
    """The activity codes in the list's rows, in order."""
    return re.findall(r'<td data-label="Code"[^>]*>([^<]+)</td>', response.content.decode())


@pytest.fixture
def viewer(client):
    user = make_user(username="viewer")
    client.force_login(user)
    return user


@pytest.fixture
def portfolio():
    """Activities that differ in one filterable property each from the baseline A-100."""
    matrix = MatrixFactory()
    interpol = OrganizationFactory(acronym="INTERPOL", name="International Criminal Police")
    unodc = OrganizationFactory(acronym="UNODC", name="UN Office on Drugs and Crime")
    base = {"matrix": matrix}
    made = {
        "base": ActivityFactory(code="A-100", title="Counter-terrorism training", **base),
        "cyber": ActivityFactory(
            code="A-200",
            title="Dark net research",
            thematic_area=thematic_area("cybercrime"),
            **base,
        ),
        "complementary": ActivityFactory(
            code="A-300",
            title="Wildlife crime",
            cooperation_type=Activity.CooperationType.COMPLEMENTARY,
            **base,
        ),
        "aspirational": ActivityFactory(
            code="A-400",
            title="Cultural heritage",
            horizon=Activity.Horizon.ASPIRATIONAL,
            description="Protecting cultural property from trafficking.",
            **base,
        ),
        "at_risk": ActivityFactory(code="A-500", title="Forensics", status="at_risk", **base),
    }
    for activity in made.values():
        ParticipationFactory(activity=activity, organization=interpol)
    ParticipationFactory(activity=made["cyber"], organization=unodc, role="partner")
    PriorityFactory(activity=made["base"], year=2016, rank=1)
    PriorityFactory(activity=made["at_risk"], year=2017, rank=1)
    return made


def test_the_list_needs_a_signed_in_user(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_signed_in_user_sees_all_activities_sorted_by_code(client, viewer, portfolio):
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["A-100", "A-200", "A-300", "A-400", "A-500"]
    body = response.content.decode()
    assert "5 activities" in body
    assert 'aria-current="page">Activities</a>' in body


def test_status_badges_carry_text_as_well_as_colour(client, viewer, portfolio):
    body = client.get(URL).content.decode()
    assert '<span class="badge badge-at_risk">At risk</span>' in body
    assert '<span class="badge badge-none">Not assessed</span>' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"thematic_area": "cybercrime"}, ["A-200"]),
        ({"organization": "UNODC"}, ["A-200"]),
        ({"cooperation_type": "complementary"}, ["A-300"]),
        ({"horizon": "aspirational"}, ["A-400"]),
        ({"priority_year": "2016"}, ["A-100"]),
        ({"status": "at_risk"}, ["A-500"]),
        ({"search": "dark net"}, ["A-200"]),
        ({"search": "cultural property"}, ["A-400"]),  # found in the description
        ({"organization": "INTERPOL", "priority_year": "2017"}, ["A-500"]),
    ],
)
def test_each_filter_narrows_the_list(client, viewer, portfolio, query, expected):
    # Staff of a partner, who may read the descriptions the text search looks into.
    staff = OrganizationFactory(acronym="PARTNER")
    portfolio["base"].matrix.plan.partnership.organizations.add(staff)
    Profile.objects.filter(user=viewer).update(organization=staff)
    response = client.get(URL, query)
    assert codes(response) == expected
    assert f"{len(expected)} activit" in response.content.decode()
    assert " the filters" in response.content.decode()


def test_the_filter_form_keeps_the_chosen_values(client, viewer, portfolio):
    body = client.get(URL, {"priority_year": "2016", "search": "training"}).content.decode()
    assert '<option value="2016" selected>2016</option>' in body
    assert 'value="training"' in body


def test_an_invalid_filter_value_is_reported_beside_it_and_ignored(client, viewer, portfolio):
    response = client.get(URL, {"priority_year": "1850", "horizon": "aspirational"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body
    assert codes(response) == ["A-400"]  # the valid filter still applies


def test_sorting_by_a_column_and_back(client, viewer, portfolio):
    response = client.get(URL, {"ordering": "-code"})
    assert codes(response) == ["A-500", "A-400", "A-300", "A-200", "A-100"]
    body = response.content.decode()
    assert 'aria-sort="descending"' in body
    # The Code header now offers the ascending order again, keeping other parameters.
    assert "?ordering=code" in body

    by_title = codes(client.get(URL, {"ordering": "title"}))
    assert by_title == ["A-100", "A-400", "A-200", "A-500", "A-300"]


def test_pagination_keeps_the_filters(client, viewer):
    matrix = MatrixFactory()
    for n in range(30):
        ActivityFactory(matrix=matrix, code=f"B-{n:03d}", horizon="aspirational")
    ActivityFactory(matrix=matrix, code="C-001")  # current horizon: filtered out

    first = client.get(URL, {"horizon": "aspirational"})
    assert len(codes(first)) == 25
    body = first.content.decode()
    assert "Page 1 of 2" in body
    assert 'href="?horizon=aspirational&amp;page=2"' in body

    second = client.get(URL, {"horizon": "aspirational", "page": "2"})
    assert codes(second) == [f"B-{n:03d}" for n in range(25, 30)]

    # A page number past the end shows the last page rather than an error.
    assert codes(client.get(URL, {"horizon": "aspirational", "page": "99"})) == codes(second)


def test_the_list_query_count_does_not_grow_with_the_number_of_activities(
    client, viewer, django_assert_num_queries
):
    """5 and 50 activities cost the same 11 queries: session and user (authentication); the
    profile (whether the user may create activities);
    thematic areas, participating organizations and priority years (the filters' choices); the
    matrices with their filtered activity counts (pagination's count); the profile (page
    header); the page of activities with thematic area and secured funding, their participations
    with organizations, their priorities (selectors.activity_listing)."""
    matrix = MatrixFactory()
    for i in range(5):
        activity = ActivityFactory(matrix=matrix)
        ParticipationFactory(activity=activity)
        PriorityFactory(activity=activity, year=2016, rank=i + 1)
    with django_assert_num_queries(11):
        client.get(URL, {"priority_year": "2016"})
    for i in range(5, 50):
        activity = ActivityFactory(matrix=matrix)
        ParticipationFactory(activity=activity)
        ParticipationFactory(activity=activity, role="partner")
        PriorityFactory(activity=activity, year=2016, rank=i + 1)
    with django_assert_num_queries(11):
        response = client.get(URL, {"priority_year": "2016"})
    assert len(codes(response)) == 25


def ids(response) -> list[int]:
    """The ids of the activities linked from the list's rows, in order."""
    return [
        int(pk) for pk in re.findall(r'<a href="/activities/(\d+)/">', response.content.decode())
    ]


def test_pages_sorted_by_code_break_ties_by_id_across_matrices(client, viewer):
    """Codes are unique within a matrix only: activities with one code in several matrices come
    in creation order, and the two pages hold every activity once."""
    first_matrix, second_matrix = MatrixFactory(), MatrixFactory()
    made = []
    for n in range(15):
        for matrix in (second_matrix, first_matrix):
            made.append(ActivityFactory(matrix=matrix, code=f"R-{n:02d}"))
    expected = [a.pk for a in sorted(made, key=lambda a: (a.code, a.pk))]

    first, second = client.get(URL), client.get(URL, {"page": "2"})
    assert "30 activities" in first.content.decode()
    assert ids(first) + ids(second) == expected
    assert codes(first)[:2] == ["R-00", "R-00"]
