"""Exports of the activities with their status on the date on screen: CSV and XLSX hold the same
cells, say that date and honour the filters."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from monitoring import exports
from partnership.models import Profile
from tests.factories import ActivityFactory, OrganizationFactory, PlanFactory, make_user
from tests.monitoring.dashboard_scenario import assess, build_scenario

pytestmark = pytest.mark.django_db

JUNE = dt.date(2016, 6, 30)


@pytest.fixture
def scenario():
    scenario = build_scenario()
    assess(scenario.plan, [dt.date(2016, 3, 31), JUNE])
    return scenario


@pytest.fixture
def viewer_client(client, scenario):
    """A viewer of an organization of the scenario's partnership: staff of a partner, who read
    the funding and reasons shared with the partners (the default tier)."""
    organization = OrganizationFactory()
    scenario.plan.partnership.organizations.add(organization)
    client.force_login(make_user(Profile.Role.VIEWER, organization=organization, username="viewer"))
    return client


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so spreadsheet programs read accents right
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_lists_every_activity_of_the_plan_with_its_current_status(viewer_client, scenario):
    other_plan = PlanFactory(title="Another plan")
    ActivityFactory(matrix__plan=other_plan, code="ELSEWHERE")
    response = viewer_client.get(reverse("monitoring:export-csv"), {"plan": scenario.plan.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="activities-plan-{scenario.plan.pk}-'
    )
    rows = read_csv(response)
    assert list(rows[0]) == exports.header()
    assert [r["Code"] for r in rows] == ["C-01", "D-01", "D-02", "F-01", "I-01", "M-01", "T-01"]
    by_code = {r["Code"]: r for r in rows}
    dark = Activity.objects.get(code="C-01")
    assert dark.status_as_of == JUNE
    assert by_code["C-01"]["Status"] == dark.get_status_display()
    assert by_code["C-01"]["Status as of"] == "2016-06-30"
    assert by_code["C-01"]["Reasons"] == " | ".join(r["message"] for r in dark.status_reasons)
    assert by_code["C-01"]["Priority years"] == "2016"
    assert by_code["C-01"]["Lead"] == "INTERPOL"
    assert by_code["C-01"]["Other organizations"] == "UNODC (partner)"
    assert by_code["D-02"]["Priority years"] == ""
    assert by_code["T-01"]["Thematic area"] == "Terrorism"
    assert by_code["T-01"]["Cooperation type"] == "Joint"
    assert by_code["T-01"]["IATI status code"] == "2"
    assert by_code["T-01"]["Budget required"] == "100000.00"
    assert by_code["T-01"]["Funding secured"] == "60000.00"
    assert by_code["T-01"]["Funding gap"] == "40000.00"
    assert by_code["M-01"]["Start date"] == ""
    all_rows = read_csv(viewer_client.get(reverse("monitoring:export-csv")))
    assert "ELSEWHERE" in [r["Code"] for r in all_rows]


def test_xlsx_holds_the_same_cells_with_types(viewer_client, scenario):
    response = viewer_client.get(reverse("monitoring:export-xlsx"), {"plan": scenario.plan.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activities", "About"]
    sheet = workbook["Activities"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.header()
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "C2"
    body = [dict(zip(exports.header(), row, strict=True)) for row in rows[1:]]
    assert [r["Code"] for r in body] == ["C-01", "D-01", "D-02", "F-01", "I-01", "M-01", "T-01"]
    terror = next(r for r in body if r["Code"] == "T-01")
    assert terror["Status as of"] == dt.datetime(2016, 6, 30)  # a real date cell
    assert terror["Start date"] == dt.datetime(2016, 1, 1)
    assert terror["Budget required"] == 100000
    assert terror["Funding secured"] == 60000
    assert terror["Funding gap"] == 40000
    assert terror["Matrix edition"] == 1
    assert terror["Status"] == Activity.objects.get(code="T-01").get_status_display()
    assert next(r for r in body if r["Code"] == "M-01")["Start date"] is None
    # The CSV says the same.
    csv_rows = read_csv(
        viewer_client.get(reverse("monitoring:export-csv"), {"plan": scenario.plan.pk})
    )
    for xlsx_row, csv_row in zip(body, csv_rows, strict=True):
        assert xlsx_row["Code"] == csv_row["Code"]
        assert (xlsx_row["Reasons"] or "") == csv_row["Reasons"]
        assert Decimal(str(xlsx_row["Funding gap"])) == Decimal(csv_row["Funding gap"])
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["Activities"] == 7


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(viewer_client, scenario):
    ActivityFactory(matrix=scenario.matrix, code="=HYPERLINK(1)", title='=cmd|" /C calc"!A0')
    csv_rows = read_csv(
        viewer_client.get(reverse("monitoring:export-csv"), {"plan": scenario.plan.pk})
    )
    evil = next(r for r in csv_rows if "HYPERLINK" in r["Code"])
    assert evil["Code"] == "'=HYPERLINK(1)"
    assert evil["Title"].startswith("'=cmd")
    workbook = load_workbook(
        io.BytesIO(
            viewer_client.get(reverse("monitoring:export-xlsx"), {"plan": scenario.plan.pk}).content
        )
    )
    cells = [c for row in workbook["Activities"].iter_rows() for c in row if c.value]
    evil_cell = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert evil_cell.data_type == "s"  # text, not a formula
    assert evil_cell.value == "'=HYPERLINK(1)"


def test_safe_text_leaves_ordinary_text_alone():
    assert exports.safe_text("Forensic labs") == "Forensic labs"
    assert exports.safe_text("-5") == "'-5"
    assert exports.safe_text("@SUM(A1)") == "'@SUM(A1)"


@pytest.mark.parametrize("name", ["monitoring:export-csv", "monitoring:export-xlsx"])
def test_exports_take_the_same_queries_however_many_activities(
    viewer_client, scenario, name, django_assert_num_queries
):
    # Session, user; the plan, its assessed dates (the date its dashboard opens on), its latest
    # assessed date (whether that is each activity's current status); the activities (plan,
    # matrix, area joined, status and secured funding on the date as subqueries), their
    # participations with organizations, their priority designations; the viewer's profile (whose
    # organization decides which activities and field groups they see; the activities' tiers and
    # partnership are read in the activities' query); their recipient countries, their regions
    # (geography's columns): 11.
    with django_assert_num_queries(11):
        viewer_client.get(reverse(name), {"plan": scenario.plan.pk})
    for i in range(15):
        ActivityFactory(matrix=scenario.matrix, code=f"X-{i:02d}")
    with django_assert_num_queries(11):
        response = viewer_client.get(reverse(name), {"plan": scenario.plan.pk})
    assert response.status_code == 200
    # With the date given, as the dashboard's links give it, the assessed dates are not read: 10.
    with django_assert_num_queries(10):
        response = viewer_client.get(
            reverse(name), {"plan": scenario.plan.pk, "as_of": "2016-03-31"}
        )
    assert response.status_code == 200


def test_exports_need_a_login(client):
    response = client.get(reverse("monitoring:export-csv"))
    assert response.status_code == 302


MARCH = dt.date(2016, 3, 31)


def test_an_export_from_the_dashboard_of_a_date_says_that_date_and_its_figures(
    viewer_client, scenario
):
    from activities.models import FundingCommitment
    from monitoring.models import Assessment
    from tests.factories import FundingFactory

    terror = Activity.objects.get(code="T-01")
    FundingFactory(
        activity=terror,
        amount=Decimal("10000"),
        status=FundingCommitment.Status.COMMITTED,
        date=dt.date(2016, 5, 2),
    )
    dashboard = viewer_client.get(
        reverse("monitoring:dashboard"), {"plan": scenario.plan.pk, "as_of": "2016-03-31"}
    ).content.decode()
    link = re.search(
        r'href="([^"]+)" id="export-csv">Export activities as of 2016-03-31', dashboard
    )
    response = viewer_client.get(link.group(1).replace("&amp;", "&"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="activities-plan-{scenario.plan.pk}-as-of-2016-03-31.csv"'
    )
    rows = {r["Code"]: r for r in read_csv(response)}
    assert {r["As of"] for r in rows.values()} == {"2016-03-31"}
    march = {a.activity.code: a for a in Assessment.objects.filter(as_of=MARCH)}
    for code, row in rows.items():
        assert row["Status"] == march[code].get_status_display()
        assert row["Status as of"] == "2016-03-31"
        assert row["Reasons"] == " | ".join(r["message"] for r in march[code].reasons)
    assert rows["T-01"]["Funding secured"] == "60000.00"  # the May commitment came later
    june = {
        r["Code"]: r
        for r in read_csv(
            viewer_client.get(
                reverse("monitoring:export-csv"), {"plan": scenario.plan.pk, "as_of": "2016-06-30"}
            )
        )
    }
    assert june["T-01"]["Funding secured"] == "70000.00"

    xlsx = viewer_client.get(
        reverse("monitoring:export-xlsx"), {"plan": scenario.plan.pk, "as_of": "2016-03-31"}
    )
    assert xlsx["Content-Disposition"].endswith(f'plan-{scenario.plan.pk}-as-of-2016-03-31.xlsx"')
    workbook = load_workbook(io.BytesIO(xlsx.content))
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["As of"] == "2016-03-31"
    assert "as it stood on 2016-03-31" in about["Status"]
    first = next(workbook["Activities"].iter_rows(min_row=2, values_only=True))
    assert first[0] == dt.datetime(2016, 3, 31)


def test_an_export_without_a_date_takes_the_date_the_dashboard_opens_on(viewer_client, scenario):
    # An assessment dated outside the plan's period, as older versions recorded them.
    from tests.factories import assess as assess_one

    assess_one(Activity.objects.get(code="T-01"), dt.date(2026, 12, 4), "off_track")
    page = viewer_client.get(reverse("monitoring:dashboard"), {"plan": scenario.plan.pk})
    assert '<strong id="as-of">2016-06-30</strong>' in page.content.decode()
    response = viewer_client.get(reverse("monitoring:export-csv"), {"plan": scenario.plan.pk})
    assert response["Content-Disposition"].endswith('-as-of-2016-06-30.csv"')
    rows = {r["Code"]: r for r in read_csv(response)}
    assert {r["As of"] for r in rows.values()} == {"2016-06-30"}
    assert rows["T-01"]["Status as of"] == "2016-06-30"
    # Every plan, no date: each activity's latest assessment inside its plan's period.
    every = {r["Code"]: r for r in read_csv(viewer_client.get(reverse("monitoring:export-csv")))}
    assert every["T-01"]["Status as of"] == every["T-01"]["As of"] == "2016-06-30"


def test_an_export_honours_the_activity_lists_filters(viewer_client, scenario):
    listing = viewer_client.get(reverse("activities:list"), {"thematic_area": "terrorism"})
    link = re.search(r'href="([^"]+)" id="export-csv"', listing.content.decode()).group(1)
    response = viewer_client.get(link.replace("&amp;", "&"))
    assert [r["Code"] for r in read_csv(response)] == ["T-01"]
    assert "-all-plans-filtered-latest-in-period-" in response["Content-Disposition"]
    bad = viewer_client.get(reverse("monitoring:export-csv"), {"cooperation_type": "nonsense"})
    assert bad.status_code == 400
    assert "cooperation_type" in bad.content.decode()


def test_the_printable_report_names_its_date_in_its_title_and_links_the_same_exports(
    viewer_client, scenario
):
    html = viewer_client.get(
        reverse("monitoring:report"), {"plan": scenario.plan.pk, "as_of": "2016-03-31"}
    ).content.decode()
    assert re.search(r"<title>Monitoring report — [^<]* — as of 2016-03-31", html)
    assert f"activities.csv?plan={scenario.plan.pk}&amp;as_of=2016-03-31" in html
