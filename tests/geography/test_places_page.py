"""The page that edits an activity's places (through geography.services.set_places): a valid
save, every problem at once, refusals for outsiders, and the version check."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from geography import selectors
from partnership.models import Profile
from tests.factories import ActivityFactory, OrganizationFactory, ParticipationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    interpol = OrganizationFactory(acronym="INTERPOL")
    activity = ActivityFactory(code="B-01")
    ParticipationFactory(activity=activity, organization=interpol, role="lead")
    return {
        "activity": activity,
        "liaison": make_user(Profile.Role.LIAISON_OFFICER, organization=interpol),
        "outsider": make_user(Profile.Role.LIAISON_OFFICER),
        "viewer": make_user(Profile.Role.VIEWER),
    }


def _data(version, countries=(), regions=(), extra_country_rows=0):
    data = {"version": str(version)}
    for prefix, rows in (("c", [*countries, *[("", "")] * extra_country_rows]), ("r", regions)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, (code, share) in enumerate(rows):
            data[f"{prefix}-{i}-code"] = code
            data[f"{prefix}-{i}-share"] = share
    return data


def _url(activity):
    return reverse("geography:places-edit", args=[activity.pk])


def test_a_liaison_officer_saves_countries_and_regions_with_shares(client, w):
    a = w["activity"]
    client.force_login(w["liaison"])
    data = _data(a.version, [("NG", "60"), ("GH", "20")], [("011", "20")], extra_country_rows=1)
    response = client.post(_url(a), data)
    assert response.status_code == 302
    assert response.url == reverse("activities:detail", args=[a.pk])
    places = selectors.places_of(activity_id=a.pk)
    assert [(p.code, p.share) for p in places.countries] == [
        ("GH", Decimal("20.00")),
        ("NG", Decimal("60.00")),
    ]
    assert [p.code for p in places.regions] == ["011"]
    assert Activity.objects.get(pk=a.pk).version == a.version + 1
    detail = client.get(response.url).content.decode()
    assert "Places of B-01 saved." in detail
    assert "Nigeria" in detail and "Edit places" in detail


def test_every_problem_is_told_at_once_and_nothing_is_saved(client, w):
    a = w["activity"]
    client.force_login(w["liaison"])
    data = _data(a.version, [("NG", "60"), ("NG", "30"), ("GH", "")], [])
    response = client.post(_url(a), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "NG is listed more than once." in html
    assert "Give a share for every country and region, or for none (no share: GH)." in html
    assert selectors.places_of(activity_id=a.pk).is_empty
    # Shares that do not make 100: refused with the total.
    response = client.post(_url(a), _data(a.version, [("NG", "60"), ("GH", "30")]))
    assert response.status_code == 400
    assert "The shares add up to 90%" in response.content.decode()
    # A share that is no number, beside its row.
    response = client.post(_url(a), _data(a.version, [("NG", "lots")]))
    assert response.status_code == 400
    assert "Countries, row 1, share (%): Enter a number." in response.content.decode()
    assert Activity.objects.get(pk=a.pk).version == a.version


def test_outsiders_and_viewers_are_refused(client, w):
    a = w["activity"]
    for user in (w["outsider"], w["viewer"]):
        client.force_login(user)
        assert client.get(_url(a)).status_code == 403
        assert client.post(_url(a), _data(a.version, [("NG", "")])).status_code == 403
    assert selectors.places_of(activity_id=a.pk).is_empty
    client.force_login(w["viewer"])
    assert (
        "Edit places" not in client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    )


def test_a_stale_page_is_told_of_the_conflict_and_shows_the_places_as_they_are(client, w):
    a = w["activity"]
    client.force_login(w["liaison"])
    assert client.post(_url(a), _data(a.version, [("KE", "")])).status_code == 302
    response = client.post(_url(a), _data(a.version, [("NG", "")]))  # the version it opened
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this activity" in html
    assert 'value="KE" selected' in html
    assert [p.code for p in selectors.places_of(activity_id=a.pk).countries] == ["KE"]


def test_the_form_reads_a_fixed_number_of_queries(client, w, django_assert_num_queries):
    a = w["activity"]
    client.force_login(w["liaison"])
    client.post(_url(a), _data(a.version, [("NG", "50"), ("GH", "50")]))
    # session, user; the activity, its participations; the profile (permission); its countries,
    # its regions; the profile with its counts (the page header).
    with django_assert_num_queries(8):
        assert client.get(_url(a)).status_code == 200
    a.refresh_from_db()
    client.post(_url(a), _data(a.version, [(c, "") for c in ("NG", "GH", "KE", "TZ", "SN")]))
    with django_assert_num_queries(8):
        page = client.get(_url(a))
    assert page.content.decode().count("selected>") >= 5
