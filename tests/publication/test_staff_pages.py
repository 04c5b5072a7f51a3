"""The signed-in pages of publication: the plan's snapshots and tiers, an activity's settings form,
withdrawal; with their query counts and permissions."""

from __future__ import annotations

import pytest

from publication.models import Disclosure, Snapshot
from publication.rules import FIELD_GROUPS
from tests.factories import ActivityFactory
from tests.publication.world import AS_OF

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "version": "1",
        "tier": "public",
        **{f"{g}_tier": "partners" for g in FIELD_GROUPS},
        "public_summary": "Written for the public.",
        "public_status_reason": "",
    }
    data.update(overrides)
    return data


def test_the_overview_lists_snapshots_and_tiers_in_a_fixed_number_of_queries(
    client, world, snapshot, django_assert_num_queries
):
    client.force_login(world.manager)
    url = f"/publication/?plan={world.plan.pk}"
    # Session, user, profile (header); the plans; the assessed dates; the snapshots with their
    # people; the activities' count and one page of them with their settings; the user's
    # profile again for the permission check.
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert f'href="/public/snapshots/{snapshot.pk}/"' in html
    assert "Withdraw" in html
    assert world.restricted_activity.code in html  # the staff page shows every activity
    for i in range(15):
        ActivityFactory(matrix=world.open_activity.matrix, code=f"X-{i:02d}")
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_the_lead_officer_edits_the_settings_and_a_partner_officer_may_not(client, world):
    url = f"/publication/activities/{world.partners_activity.pk}/"
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 403
    assert client.post(url, _form()).status_code == 403
    client.force_login(world.lead_officer)
    assert client.get(url).status_code == 200
    saved = client.post(url, _form())
    assert saved.status_code == 302
    row = Disclosure.objects.get(activity=world.partners_activity)
    assert row.tier == "public"
    assert row.public_summary == "Written for the public."


def test_the_form_shows_every_error_and_a_conflict(client, world):
    client.force_login(world.manager)
    url = f"/publication/activities/{world.open_activity.pk}/"
    bad = client.post(url, _form(tier="secret", risks_tier="", public_status_reason="x" * 2001))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert html.count('class="error"') == 3
    stale = client.post(url, _form(version="7"))
    assert stale.status_code == 409
    assert "Someone else changed these publication settings" in stale.content.decode()
    assert Disclosure.objects.get(activity=world.open_activity).version == 1


def test_the_settings_form_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.lead_officer)
    url = f"/publication/activities/{world.open_activity.pk}/"
    # Session, user; the activity with its plan; its participations (the lead's check); the
    # officer's profile (role, organization); the settings; the header's profile.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_a_manager_withdraws_from_the_overview(client, world, snapshot):
    client.force_login(world.manager)
    done = client.post(f"/publication/snapshots/{snapshot.pk}/withdraw/", {"reason": "Wrong date"})
    assert done.status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.withdrawal_reason == "Wrong date"
    assert client.get(f"/public/snapshots/{snapshot.pk}/").status_code == 410
    client.force_login(world.lead_officer)
    assert (
        client.post(f"/publication/snapshots/{snapshot.pk}/withdraw/", {"reason": "x"}).status_code
        == 403
    )


def test_the_checklist_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.manager)
    url = f"/publication/checklist/?plan={world.plan.pk}&as_of={AS_OF}"

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # Session, user, profile (permission and header: 4); the plans; the assessed dates; the
    # plan's facts (selectors.plan_facts: 18).
    before = count()
    for i in range(10):
        ActivityFactory(matrix=world.open_activity.matrix, code=f"Y-{i:02d}")
    assert count() == before
    assert not Snapshot.objects.exists()
