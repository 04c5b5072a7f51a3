"""The leak test of the signed-in side, beyond the activity pages (tests/pages/
test_activity_sensitivity.py) and the activities API (tests/api/test_activity_sensitivity.py):
every value of a restricted field group is a unique marker (tests/support/sensitivity_world.py:
the restricted activity's code, title, description, milestone, indicator, narrative, risks and
odd amounts; here also its status reasons, its contribution to the results chain in words, and
its place, Tuvalu), and the staff of a partner organization that takes part in nothing (UNODC's
liaison officer) gets none of them from the Activity Matrix workbook, the IATI file, the map,
the country, region and By country pages and the countries API, the matrix page and API, the
results chain (page, CSV, API), the notifications and the conversation, the status history and
the dashboard's counts. A participating officer and a manager do get them, so the test can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from activities.models import Event
from geography.rules import Place
from geography.services import set_places
from notifications import delivery, reminders
from publication import services as publication_services
from publication.rules import FIELD_GROUPS
from results import services as results_services
from results.models import Level
from tests.api.conftest import client_for
from tests.factories import ActivityFactory, ParticipationFactory, assess
from tests.support.sensitivity_world import build_world, leaked

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2016, 6, 30)
TUVALU = "TV"  # the restricted activity's only place
NAURU = "NR"  # the only place of a partners activity whose places are restricted
POLYNESIA = "061"  # Tuvalu's M49 sub-region


@pytest.fixture
def world():
    world = build_world()
    plan = world.plan
    # The reasons name the restricted milestone, as the engine's do.
    reason = {
        "code": "milestone_overdue",
        "severity": "critical",
        "message": f"Milestone '{world.mark('restricted', 'reason')}' is 120 days overdue",
    }
    assess(world.restricted, AS_OF, "off_track", reasons=[reason])
    assess(world.partners, AS_OF, "on_track")
    # A partners activity whose places alone are restricted: on nobody's map outside it.
    world.placed = ActivityFactory(matrix=world.restricted.matrix, code="PL-01")
    ParticipationFactory(activity=world.placed, organization=world.insider.profile.organization)
    set_places(
        actor=None, activity=world.placed, version=None, countries=[Place(NAURU)], regions=[]
    )
    publication_services.set_disclosure(
        actor=None,
        activity_id=world.placed.pk,
        version=None,
        tier="partners",
        field_tiers={**dict.fromkeys(FIELD_GROUPS, "partners"), "places": "restricted"},
    )
    # The results chain: the restricted activity contributes, in words.
    objective = results_services.create_result(
        actor=None, plan=plan, level=Level.OBJECTIVE, code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level=Level.OUTCOME, code="1.1", title="Outcome"
    )
    world.output = results_services.create_result(
        actor=None, plan=plan, parent=outcome, level=Level.OUTPUT, code="1.1.1", title="Output"
    )
    world.contribution = results_services.add_contribution(
        actor=None,
        output=world.output,
        activity=world.restricted,
        description=world.mark("restricted", "contribution"),
    )
    # The mixed activity's contribution words are of its (restricted) description.
    results_services.add_contribution(
        actor=None,
        output=world.output,
        activity=world.mixed,
        description=world.mark("mixed", "contribution"),
    )
    return world


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # a workbook: its cells
        book = load_workbook(io.BytesIO(body), read_only=True)
        body = "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ).encode()
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return body.decode() + "\n" + headers


def _answers(world, user) -> dict[str, str]:
    """Every answer of the places named in the brief, as `user` reads them: url → text."""
    # Notifications: the beat's reminders, delivered (the milestones are overdue on this day).
    for event_id in reminders.find_due(today=dt.date(2016, 3, 10)):
        delivery.deliver(Event.objects.get(pk=event_id))
    plan = world.plan.pk
    scope = f"plan={plan}&as_of={AS_OF.isoformat()}"
    restricted = world.restricted.pk
    pages = [
        f"/plans/{plan}/matrix.xlsx",
        f"/plans/{plan}/iati-activities.xml",
        f"/map/?{scope}",
        f"/map/?{scope}&search=zqtier",
        f"/map/countries/{TUVALU}/?{scope}",
        f"/map/countries/{NAURU}/?{scope}",
        f"/map/regions/{POLYNESIA}/?{scope}",
        f"/dashboard/countries/?{scope}",
        f"/matrix/?plan={plan}",
        f"/plans/{plan}/results/",
        f"/plans/{plan}/results.csv",
        "/notifications/",
        f"/activities/{restricted}/conversation/",
        f"/activities/{restricted}/conversation/fragment/",
        f"/monitoring/activities/{restricted}/status-history/",
        f"/monitoring/activities/{restricted}/status-history/fragment/",
        f"/dashboard/?{scope}",
    ]
    api = [
        f"/api/v1/plans/{plan}/matrix.xlsx",
        f"/api/v1/countries/?{scope}",
        f"/api/v1/countries/{TUVALU}/?{scope}",
        f"/api/v1/countries/{NAURU}/?{scope}",
        f"/api/v1/regions/{POLYNESIA}/?{scope}",
        f"/api/v1/plans/{plan}/matrix/",
        f"/api/v1/plans/{plan}/results/",
        f"/api/v1/results/{world.output.pk}/contributions/",
        f"/api/v1/contributions/{world.contribution.pk}/",
        "/api/v1/notifications/",
    ]
    browser = Client()
    browser.force_login(user)
    found = {url: _text(browser.get(url)) for url in pages}
    token = client_for(user)
    found.update({url: _text(token.get(url)) for url in api})
    return found


def _attention_total(text: str) -> int:
    return int(re.search(r"Off track and at risk \((\d+)\)", text).group(1))


def test_a_partner_outside_a_restricted_activity_gets_none_of_its_values(world):
    markers = [*world.of("restricted"), *world.texts_of("mixed")]
    found = _answers(world, world.outsider)
    leaks = {url: leaked(text, markers) for url, text in found.items()}
    assert {url: m for url, m in leaks.items() if m} == {}
    # The places: Tuvalu and Nauru are named by activities this reader may not place.
    countries = found[f"/api/v1/countries/?plan={world.plan.pk}&as_of={AS_OF.isoformat()}"]
    assert f'"{TUVALU}"' not in countries and f'"{NAURU}"' not in countries
    nauru = found[f"/map/countries/{NAURU}/?plan={world.plan.pk}&as_of={AS_OF.isoformat()}"]
    assert "PL-01" not in nauru
    # The dashboard's total counts only what the reader may list (the restricted activity is
    # the only one off track or at risk).
    dashboard = found[f"/dashboard/?plan={world.plan.pk}&as_of={AS_OF.isoformat()}"]
    assert _attention_total(dashboard) == 0


@pytest.mark.parametrize("who", ["insider", "manager"])
def test_a_participating_officer_and_a_manager_get_them(world, who):
    found = _answers(world, getattr(world, who))
    everything = "\n".join(found.values())
    # Every text marker of the restricted activity reaches them somewhere (the amounts are
    # written differently by each interface, so they are left to the pages' test), but for
    # the measurements' notes, narratives and risks, which none of these answers carries (the
    # notifications quote no narrative: the activity page and API do, tested there).
    elsewhere = {f"zqtierrestricted{name}qz" for name in ("measnote", "narrative", "risks")}
    missing = [m for m in world.texts_of("restricted") if not leaked(everything, [m])]
    assert set(missing) == elsewhere
    scope = f"plan={world.plan.pk}&as_of={AS_OF.isoformat()}"
    assert f'"{TUVALU}"' in found[f"/api/v1/countries/?{scope}"]
    assert f'"{NAURU}"' in found[f"/api/v1/countries/?{scope}"]
    assert "PL-01" in found[f"/map/countries/{NAURU}/?{scope}"]
    assert "zqtierrestrictedcontributionqz" in found[f"/api/v1/plans/{world.plan.pk}/results/"]
    assert (
        "zqtierrestrictedreasonqz"
        in found[f"/monitoring/activities/{world.restricted.pk}/status-history/fragment/"]
    )
    if who == "insider":  # an officer of the activity: the reminders are theirs
        assert "zqtierrestrictedmilestoneqz" in found["/notifications/"]
    assert _attention_total(found[f"/dashboard/?{scope}"]) == 1


def test_a_partner_named_on_a_restricted_activity_is_not_told_of_its_milestones(world):
    """Named liaison officers hear of the activity's reminders; one of an organization outside
    a restricted activity may not see it, so is not told (notifications.recipients.readers)."""
    world.restricted.liaison_officers.add(world.outsider, world.insider)
    for event_id in reminders.find_due(today=dt.date(2016, 3, 10)):
        delivery.deliver(Event.objects.get(pk=event_id))
    inboxes = {}
    for user in (world.outsider, world.insider):
        browser = Client()
        browser.force_login(user)
        inboxes[user.username] = _text(browser.get("/notifications/")) + _text(
            client_for(user).get("/api/v1/notifications/")
        )
    assert leaked(inboxes["outsider"], world.of("restricted")) == []
    assert "zqtierrestrictedmilestoneqz" in inboxes["insider"]
