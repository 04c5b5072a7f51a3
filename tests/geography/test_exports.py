"""The activity export (CSV and XLSX, monitoring.exports) carries each activity's recipient
countries and regions, with codes, names, shares and the illustrative flag, read in two queries
however many activities are exported."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from geography import services
from geography.exports import place_cell
from geography.rules import Place
from geography.selectors import PlaceRow
from monitoring import exports
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    PlanFactory,
    assess,
    make_user,
    partner_viewer,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2016, 6, 30)


def place(activity, countries=(), regions=()):
    activity.refresh_from_db()
    services.set_places(
        actor=None,
        activity=activity,
        version=activity.version,
        countries=[Place(*c) for c in countries],
        regions=[Place(*r) for r in regions],
    )


@pytest.fixture
def plan(client):
    plan = PlanFactory(period_start=dt.date(2016, 1, 1), period_end=dt.date(2016, 12, 31))
    matrix = MatrixFactory(plan=plan)
    shared = ActivityFactory(matrix=matrix, code="A-SHARED")
    place(
        shared,
        countries=[("SN", Decimal("40")), ("NG", Decimal("33.5"), True)],
        regions=[("011", Decimal("26.5"))],
    )
    ActivityFactory(matrix=matrix, code="B-NOWHERE")
    assess(shared, AS_OF, "on_track")
    # Staff of a partner organization: places are shared with the partners by default.
    client.force_login(partner_viewer(shared, username="viewer"))
    return plan


def read_csv(response) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")))
    return {row["Code"]: row for row in rows}


def test_the_csv_has_countries_and_regions_with_codes_names_and_shares(client, plan):
    response = client.get(reverse("monitoring:export-csv"), {"plan": plan.pk})
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows["A-SHARED"]["Countries"] == ("NG Nigeria (33.5%) (illustrative); SN Senegal (40%)")
    assert rows["A-SHARED"]["Regions"] == "011 Western Africa (26.5%)"
    assert rows["B-NOWHERE"]["Countries"] == ""
    assert rows["B-NOWHERE"]["Regions"] == ""
    assert exports.header()[-2:] == ["Countries", "Regions"]


def test_the_xlsx_has_the_same_cells(client, plan):
    response = client.get(reverse("monitoring:export-xlsx"), {"plan": plan.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Activities"]
    header, *body = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_code = {row[header.index("Code")]: row for row in body}
    shared = by_code["A-SHARED"]
    assert shared[header.index("Countries")] == (
        "NG Nigeria (33.5%) (illustrative); SN Senegal (40%)"
    )
    assert shared[header.index("Regions")] == "011 Western Africa (26.5%)"
    # openpyxl reads an empty cell back as None.
    assert by_code["B-NOWHERE"][header.index("Countries")] is None


def test_a_country_filtered_export_still_lists_every_country_of_its_activities(client, plan):
    response = client.get(reverse("monitoring:export-csv"), {"plan": plan.pk, "country": "SN"})
    rows = read_csv(response)
    assert list(rows) == ["A-SHARED"]
    assert "NG Nigeria" in rows["A-SHARED"]["Countries"]


@pytest.mark.parametrize("name", ["monitoring:export-csv", "monitoring:export-xlsx"])
def test_the_places_take_two_queries_however_many_activities(
    client, plan, name, django_assert_num_queries
):
    params = {"plan": plan.pk, "as_of": AS_OF.isoformat()}
    # Session, user; the plan, its latest assessed date; the viewer's profile; the activities with
    # their status and secured funding, their participations, their priorities; their countries,
    # their regions: 10.
    with django_assert_num_queries(10):
        assert client.get(reverse(name), params).status_code == 200
    matrix = plan.matrices.get()
    for i in range(12):
        place(
            ActivityFactory(matrix=matrix, code=f"G-{i:02d}"),
            countries=[("GH",), ("TG",)],
            regions=[("002",)],
        )
    with django_assert_num_queries(10):
        response = client.get(reverse(name), params)
    assert response.status_code == 200


def test_place_cell_writes_code_name_share_and_the_flag():
    places = [
        PlaceRow("NG", "Nigeria", Decimal("60.00"), False),
        PlaceRow("GH", "Ghana", None, True),
    ]
    assert place_cell(places) == "NG Nigeria (60%); GH Ghana (illustrative)"
    assert place_cell([]) == ""


def test_places_are_left_out_for_who_may_not_see_them(client, plan):
    # A viewer of no organization reads the outline of a partners-tier activity, not its places.
    client.force_login(make_user(username="stranger"))
    rows = read_csv(client.get(reverse("monitoring:export-csv"), {"plan": plan.pk}))
    assert rows["A-SHARED"]["Countries"] == rows["A-SHARED"]["Regions"] == ""
