"""Disaggregated indicators on the pages: values recorded by category (an inconsistent total
refused with its message), the activity page's breakdown table, in a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from activities import services
from activities.models import Dimension, Measurement
from tests.factories import ActivityFactory, IndicatorFactory, liaison_for
from tests.support.forms import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def sex():
    return Dimension.objects.get(code="sex")


@pytest.fixture
def indicator(sex):
    indicator = IndicatorFactory(
        activity=ActivityFactory(), name="Officers trained", kind="count", target=Decimal("100")
    )
    services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
    services.set_category_targets(
        actor=None,
        indicator=indicator,
        targets={c.pk: Decimal("50") for c in sex.categories.all()},
    )
    return indicator


@pytest.fixture
def liaison(indicator):
    return liaison_for(indicator.activity, username="liaison")


def form_url(indicator) -> str:
    return f"/activities/{indicator.activity_id}/indicators/{indicator.pk}/measurements/new/"


def ids(sex):
    return {c.code: c.pk for c in sex.categories.all()}


def test_the_form_refuses_categories_that_do_not_add_up(client, indicator, liaison, sex):
    client.force_login(liaison)
    token = form_token(client, form_url(indicator))
    female, male = ids(sex)["female"], ids(sex)["male"]
    data = {"measured_on": "2016-06-30", "value": "50", "token": token}
    response = client.post(
        form_url(indicator), {**data, f"category_{female}": "20", f"category_{male}": "25"}
    )
    assert response.status_code == 200
    assert "The categories of Sex add up to 45, not the total 50." in response.content.decode()
    assert not Measurement.objects.exists()
    # Corrected, with the same token: stored with its breakdown.
    response = client.post(
        form_url(indicator), {**data, f"category_{female}": "20", f"category_{male}": "30"}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().breakdown.count() == 2


def test_the_activity_page_shows_the_breakdown_and_what_is_missing(client, indicator, liaison, sex):
    female = ids(sex)["female"]
    services.record_measurement(
        actor=None,
        indicator=indicator,
        measured_on=dt.date(2016, 6, 30),
        value=Decimal("40"),
        breakdown={female: Decimal("15")},
    )
    client.force_login(liaison)
    html = client.get(f"/activities/{indicator.activity_id}/").content.decode()
    table = html[html.index(f'id="breakdown-{indicator.pk}"') :]
    assert "Sex: Female" in table and "Sex: Male" in table
    row = re.search(r'<tr data-measurement="\d+">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert cells[0] == "15" and cells[1] == "—"
    assert "Sex: not all categories reported" in cells[2]
    target = re.search(r'<tr class="target-row">(.*?)</tr>', table, re.S).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', target) == ["50", "50", "100"]


def test_a_disaggregated_page_costs_the_same_queries_however_many_values(
    client, indicator, liaison, sex, django_assert_num_queries
):
    """35 queries for 1 and for 10 values by category: session, user; the activity and what
    hangs off it (selectors.activity_detail: 9); the three breakdown reads (the dimensions with
    their categories, the category targets, the measurements' values by category); the progress
    updates; its countries and regions (2); the change history (11 audited models, then
    matrices, thematic areas, organizations, indicators); the profile for the permission check
    and for the header; the plan's reporting periods."""
    female = ids(sex)["female"]
    client.force_login(liaison)

    def record(day):
        services.record_measurement(
            actor=None,
            indicator=indicator,
            measured_on=dt.date(2016, 6, day),
            value=Decimal("10"),
            breakdown={female: Decimal("5")},
        )

    record(1)
    with django_assert_num_queries(35):
        client.get(f"/activities/{indicator.activity_id}/")
    for day in range(2, 11):
        record(day)
    with django_assert_num_queries(35):
        response = client.get(f"/activities/{indicator.activity_id}/")
    assert response.content.decode().count("Sex: not all categories reported") == 10
