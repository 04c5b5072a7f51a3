"""The Activity Matrix page: areas × organizations, with gaps, single organizations and overlaps
highlighted exactly where they are, and every activity linked to its page."""

import re
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse
from rest_framework.test import APIClient

from activities.matrix.selectors import LISTED_PER_GROUP
from activities.models import Activity, ActivityParticipation
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PlanFactory,
    TopicFactory,
    make_user,
    thematic_area,
)

pytestmark = pytest.mark.django_db

LEAD, PARTNER = ActivityParticipation.Role.LEAD, ActivityParticipation.Role.PARTNER


class World:
    def __init__(self):
        self.interpol = OrganizationFactory(acronym="INTERPOL")
        self.unodc = OrganizationFactory(acronym="UNODC")
        partnership = PartnershipFactory()
        partnership.organizations.add(self.interpol, self.unodc)
        self.plan = PlanFactory(partnership=partnership)
        self.matrix = MatrixFactory(plan=self.plan)
        self.activities = {}

    def add(self, code, area, orgs, topics=(), **kwargs):
        activity = ActivityFactory(
            matrix=self.matrix, code=code, thematic_area=thematic_area(area), **kwargs
        )
        for index, org in enumerate(orgs):
            ParticipationFactory(
                activity=activity, organization=org, role=LEAD if not index else PARTNER
            )
        for topic in topics:
            activity.topics.add(TopicFactory(code=topic, name=topic.title()))
        self.activities[code] = activity
        return activity


@pytest.fixture
def world():
    world = World()
    both = [world.interpol, world.unodc]
    # Terrorism: one joint activity of both — no flag.
    world.add("T-01", "terrorism", both, topics=["fighters"])
    # Maritime: only an aspirational activity — a gap.
    world.add("M-01", "maritime-border-security", both, horizon=Activity.Horizon.ASPIRATIONAL)
    # Forensics: only INTERPOL is active.
    world.add("F-01", "forensic-criminal-justice", [world.interpol])
    # Trafficking: UNODC and INTERPOL separately on drugs — an overlap; INTERPOL's wildlife work
    # shares no topic with either, so it is in none.
    world.add("D-01", "trafficking-organized-crime", [world.unodc], topics=["drugs"])
    world.add("D-02", "trafficking-organized-crime", [world.interpol], topics=["drugs"])
    world.add("W-01", "trafficking-organized-crime", [world.interpol], topics=["wildlife"])
    # Cybercrime: two activities on the same topic, both joint — together, not an overlap.
    world.add("C-01", "cybercrime", both, topics=["darknet"])
    world.add("C-02", "cybercrime", both, topics=["darknet"])
    # Institutional capacity: nothing at all — a gap.
    return world


@pytest.fixture
def viewer_client(client):
    client.force_login(make_user(role=Profile.Role.VIEWER, username="viewer"))
    return client


def matrix_page(client, world, **params) -> str:
    response = client.get(reverse("monitoring:matrix"), {"plan": world.plan.pk, **params})
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, area_code: str) -> tuple[str, str]:
    """The row's class attribute and its HTML."""
    match = re.search(rf'<tr data-area="{area_code}" class="([^"]*)">(.*?)</tr>', html, re.S)
    assert match, area_code
    return match.group(1), match.group(2)


def flags_cell(row_html: str) -> str:
    return row_html.split('<td class="flags">', 1)[1]


def test_an_area_without_a_current_activity_is_a_gap(viewer_client, world):
    html = matrix_page(viewer_client, world)
    for area in ("maritime-border-security", "institutional-capacity"):
        classes, body = row(html, area)
        assert "row-gap" in classes.split()
        assert '<span class="flag flag-gap">Gap</span> No current activity.' in flags_cell(body)
    for area in (
        "terrorism",
        "cybercrime",
        "trafficking-organized-crime",
        "forensic-criminal-justice",
    ):
        classes, body = row(html, area)
        assert "row-gap" not in classes.split()
        assert "flag-gap" not in flags_cell(body)


def test_an_area_where_only_one_organization_is_active_is_marked(viewer_client, world):
    html = matrix_page(viewer_client, world)
    classes, body = row(html, "forensic-criminal-justice")
    assert "row-single" in classes.split()
    assert "Only INTERPOL is active." in flags_cell(body)
    # The UNODC cell of that row is empty.
    assert re.search(r'<td data-organization="UNODC">\s*<span class="muted">—</span>', body)
    for area in ("terrorism", "cybercrime", "trafficking-organized-crime"):
        classes, body = row(html, area)
        assert "row-single" not in classes.split()
        assert "Single organization" not in flags_cell(body)


def test_an_overlap_is_shown_exactly_where_two_organizations_work_apart_on_one_topic(
    viewer_client, world
):
    html = matrix_page(viewer_client, world)
    classes, body = row(html, "trafficking-organized-crime")
    assert "row-overlap" in classes.split()
    assert "D-01 (UNODC) and D-02 (INTERPOL) on Drugs." in flags_cell(body)
    overlapping = re.findall(r'<li class="entry entry-overlap" data-code="([^"]+)">', html)
    assert sorted(overlapping) == ["D-01", "D-02"]
    assert "Overlap with D-02" in body and "Overlap with D-01" in body
    # Separate topic, or the same topic worked on together: no overlap.
    assert '<li class="entry" data-code="W-01">' in body
    classes, body = row(html, "cybercrime")
    assert "row-overlap" not in classes.split()
    assert "flag-overlap" not in body
    assert html.count('<p class="overlap-note">') == 1


def test_the_page_and_the_api_show_the_same_matrix(viewer_client, world):
    """One algorithm serves both: the API's flags, cell counts and listed activities are what the
    page shows, row by row and cell by cell."""
    html = matrix_page(viewer_client, world)
    api = APIClient()
    api.force_authenticate(make_user(role=Profile.Role.VIEWER, username="api-viewer"))
    body = api.get(reverse("api:plan-matrix", args=[world.plan.pk])).json()
    codes = re.findall(r'<tr data-area="([^"]+)"', html)
    assert [a["code"] for a in body["areas"]] == codes
    flagged = 0
    for area in body["areas"]:
        classes, row_html = row(html, area["code"])
        flags = area["flags"]
        assert ("row-gap" in classes) == flags["gap"]
        assert ("row-single" in classes) == flags["single_organization"]
        assert ("row-overlap" in classes) == bool(flags["overlaps"])
        flagged += flags["gap"] + flags["single_organization"] + bool(flags["overlaps"])
        for cell in area["cells"]:
            td = row_html.split(f'<td data-organization="{cell["organization"]}">', 1)[1]
            td = td.split("</td>", 1)[0]
            shown = re.search(r'<p class="cell-count" data-count="(\d+)">', td)
            assert (int(shown.group(1)) if shown else 0) == cell["count"]
            assert re.findall(r'<li class="entry[^"]*" data-code="([^"]+)">', td) == [
                a["code"] for g in cell["groups"] for a in g["activities"]
            ]
    assert flagged == 4  # two gaps, a single organization, an overlap


def test_each_cell_lists_activities_by_cooperation_type_and_horizon_with_links(
    viewer_client, world
):
    world.add(
        "T-02",
        "terrorism",
        [world.unodc],
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
    )
    html = matrix_page(viewer_client, world)
    _, body = row(html, "terrorism")
    unodc_cell = body.split('<td data-organization="UNODC">', 1)[1].split("</td>", 1)[0]
    labels = re.findall(r'<p class="group-label">([^<]+)</p>', unodc_cell)
    assert labels == ["Joint · current", "Complementary · current"]
    assert "(partner)" in unodc_cell.split("Complementary", 1)[0]
    for code, activity in world.activities.items():
        assert f'<a href="/activities/{activity.pk}/">{code}</a>' in html


def test_the_horizon_filter_shows_current_or_aspirational_activities(viewer_client, world):
    aspirational = matrix_page(viewer_client, world, horizon="aspirational")
    assert 'data-code="M-01"' in aspirational
    assert 'data-code="T-01"' not in aspirational
    # The flags still consider the current activities.
    assert "D-01 (UNODC) and D-02 (INTERPOL)" in aspirational
    current = matrix_page(viewer_client, world, horizon="current")
    assert 'data-code="M-01"' not in current
    assert 'data-code="T-01"' in current
    assert '<option value="current" selected>' in current


def test_the_legend_names_each_flag_in_words(viewer_client, world):
    html = matrix_page(viewer_client, world)
    legend = html.split('class="matrix-legend"', 1)[1].split("</section>", 1)[0]
    assert "no current activity in the thematic area" in legend
    assert "only one of the partners is active in the area" in legend
    assert "the partners run separate activities on the same topic" in legend


def test_another_edition_can_be_chosen_and_an_unknown_one_is_not_found(viewer_client, world):
    second = MatrixFactory(plan=world.plan, edition=2)
    ActivityFactory(matrix=second, code="NEW-01", thematic_area=thematic_area("terrorism"))
    latest = matrix_page(viewer_client, world)
    assert 'data-code="NEW-01"' not in latest  # it has no organization yet: in no cell
    assert "Edition 2" in latest
    first = matrix_page(viewer_client, world, edition=1)
    assert 'data-code="D-01"' in first
    response = viewer_client.get(
        reverse("monitoring:matrix"), {"plan": world.plan.pk, "edition": 7}
    )
    assert response.status_code == 404


def test_a_cell_counts_its_activities_by_status_and_links_to_the_ones_not_listed(
    viewer_client, world
):
    for i in range(LISTED_PER_GROUP + 2):
        world.add(f"K-{i:02d}", "cybercrime", [world.unodc], status="at_risk" if i % 2 else "")
    html = matrix_page(viewer_client, world)
    _, body = row(html, "cybercrime")
    unodc = body.split('<td data-organization="UNODC">', 1)[1].split("</td>", 1)[0]
    # C-01 and C-02 (both partners) and the seven K-: 9, of which 3 at risk.
    assert '<p class="cell-count" data-count="9">9 activities</p>' in unodc
    assert re.search(r'<li data-status="at_risk">.*?At risk</span> 3</li>', unodc)
    assert re.search(r'<li data-status="none">.*?</span> 6</li>', unodc)
    # The first five in code order are listed; the other four are behind the link.
    listed = re.findall(r'<li class="entry[^"]*" data-code="([^"]+)">', unodc)
    assert listed == ["C-01", "C-02", "K-00", "K-01", "K-02"]
    link = re.search(r'<p class="more"><a href="([^"]+)">and 4 more</a></p>', unodc)
    assert link
    query = QueryDict(unescape(link.group(1)).split("?", 1)[1])
    assert query.dict() == {
        "plan": str(world.plan.pk),
        "matrix": str(world.matrix.pk),
        "thematic_area": "cybercrime",
        "organization": "UNODC",
        "cooperation_type": "joint",
        "horizon": "current",
    }
    # The INTERPOL cell holds only C-01 and C-02: nothing more to link to.
    interpol = body.split('<td data-organization="INTERPOL">', 1)[1].split("</td>", 1)[0]
    assert '<p class="more">' not in interpol


def test_overlaps_are_counted_per_topic_and_named_by_a_few_examples(viewer_client, world):
    for i in range(4):
        world.add(f"E-{i}", "trafficking-organized-crime", [world.unodc], topics=["drugs"])
    html = matrix_page(viewer_client, world)
    _, body = row(html, "trafficking-organized-crime")
    flags = flags_cell(body)
    # D-01 and E-0..3 (UNODC) against D-02 (INTERPOL): 5 pairs, 6 activities.
    assert "Drugs: 5 pairs of separate activities (6 activities of INTERPOL, UNODC)" in flags
    notes = re.findall(r'<p class="overlap-note">(.*?)</p>', flags)
    assert notes == [
        "For example: D-01 (UNODC) and D-02 (INTERPOL) on Drugs.",
    ]  # the first of each organization set stands for its set
    assert re.search(r'data-code="E-0">.*?Overlap with D-02</span>', body, re.S)
    assert re.search(r'data-code="D-02">.*?Overlap with D-01 and others</span>', body, re.S)


def test_the_matrix_page_takes_the_same_queries_as_the_matrix_grows(
    viewer_client, world, django_assert_num_queries
):
    # Session, user; the plans, the plan's editions; thematic areas, the partnership's
    # organizations; the reader's profile (which activities they may list: a subquery of the
    # next two); the counts per cell and per topic (one statement); the first activities of
    # each cell's groups (one statement), the listed activities' partners and topics with those
    # of the named overlaps (one statement: there is an overlap); the header's profile: 11.
    with django_assert_num_queries(11):
        matrix_page(viewer_client, world)
    for i in range(20):
        world.add(f"X-{i:02d}", "cybercrime", [world.interpol], topics=[f"t{i % 4}"])
        world.add(f"Y-{i:02d}", "cybercrime", [world.unodc], topics=[f"t{i % 4}"])
    with django_assert_num_queries(11):
        html = matrix_page(viewer_client, world)
    classes, body = row(html, "cybercrime")
    assert "row-overlap" in classes
    assert "and 17 more" in body  # 22 joint current activities of each partner, 5 listed
