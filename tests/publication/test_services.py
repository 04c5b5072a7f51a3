"""The publication services: tiers and public texts (who, audited, versions, every error at once),
publishing (assessed dates only, a note when the checklist has problems, frozen) and withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from activities import history
from activities import services as activity_services
from activities.exceptions import ConflictError, InvalidTransition, NotAllowed
from partnership.models import Profile
from publication import services
from publication.models import Disclosure, Snapshot
from tests.factories import make_user
from tests.publication.world import ALL_PARTNERS, AS_OF, publish

pytestmark = pytest.mark.django_db


def _set(world, actor, activity=None, **kwargs):
    activity = activity or world.partners_activity
    values = {
        "version": None,
        "tier": "public",
        "field_tiers": ALL_PARTNERS,
        "public_summary": "For the public.",
        "public_status_reason": "",
    }
    values.update(kwargs)
    return services.set_disclosure(actor=actor, activity_id=activity.pk, **values)


def test_an_activity_without_settings_is_partners_everywhere(world):
    assert not Disclosure.objects.filter(activity=world.partners_activity).exists()
    snapshot = publish(world)
    assert world.partners_activity.code not in str(snapshot.document)


def test_managers_and_lead_officers_set_tiers_others_may_not(world):
    assert _set(world, world.manager).tier == "public"
    assert _set(world, world.lead_officer, tier="restricted").tier == "restricted"
    viewer = make_user(Profile.Role.VIEWER, username="pub-viewer")
    for refused in (world.other_officer, viewer):  # UNODC is a partner, not the lead
        with pytest.raises(NotAllowed):
            _set(world, refused, tier="public")
    assert Disclosure.objects.get(activity=world.partners_activity).tier == "restricted"


def test_a_change_of_tier_is_audited_in_the_activitys_history(world):
    _set(world, world.lead_officer, tier="public")
    _set(world, world.manager, tier="restricted", version=1)
    entries = [
        e
        for e in history.change_history(activity_id=world.partners_activity.pk, viewer=None)
        if e.model == "disclosure"
    ]
    assert [(e.username, e.action) for e in entries] == [
        ("pub-manager", "changed"),
        ("pub-interpol", "created"),
    ]
    change = {c.name: (c.old, c.new) for c in entries[0].changes}
    assert change["tier"][1].startswith("Restricted")
    assert change["tier"][0] == "Public"


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    _set(world, world.manager)
    with pytest.raises(ConflictError):
        _set(world, world.manager, tier="restricted", version=5)
    assert Disclosure.objects.get(activity=world.partners_activity).tier == "public"


def test_an_edit_that_changes_nothing_makes_no_version(world):
    first = _set(world, world.manager)
    again = _set(world, world.manager, version=first.version)
    assert again.version == first.version == 1
    assert Disclosure.history.filter(activity_id=world.partners_activity.pk).count() == 1


def test_every_error_is_reported_at_once(world):
    with pytest.raises(ValidationError) as caught:
        _set(
            world,
            world.manager,
            tier="secret",
            field_tiers={**ALL_PARTNERS, "milestones": "everyone", "risks": None},
            public_status_reason="x" * 2001,
        )
    errors = caught.value.message_dict
    assert {"tier", "milestones_tier", "risks_tier", "public_status_reason"} <= set(errors)
    assert not Disclosure.objects.filter(activity=world.partners_activity).exists()


def test_publishing_needs_an_assessed_date_and_a_manager(world):
    with pytest.raises(ValidationError) as caught:
        services.publish_snapshot(
            actor=world.manager, plan_id=world.plan.pk, as_of=dt.date(2016, 7, 1), note="x"
        )
    assert "as_of" in caught.value.message_dict
    with pytest.raises(NotAllowed):
        services.publish_snapshot(
            actor=world.lead_officer, plan_id=world.plan.pk, as_of=AS_OF, note="x"
        )
    assert not Snapshot.objects.exists()


def test_with_problems_publishing_needs_a_note_saying_why(world):
    with pytest.raises(ValidationError) as caught:
        services.publish_snapshot(actor=world.manager, plan_id=world.plan.pk, as_of=AS_OF)
    assert "2 problem(s)" in caught.value.message_dict["note"][0]
    snapshot = publish(world, note="The summaries follow next week.")
    assert snapshot.problem_count == 2
    assert snapshot.note == "The summaries follow next week."
    assert snapshot.published_by == world.manager


def test_one_live_snapshot_per_plan_and_date_until_it_is_withdrawn(world, snapshot):
    with pytest.raises(ValidationError):
        publish(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(
            plan=world.plan,
            as_of=AS_OF,
            content={},
            digest="0" * 64,
            activity_count=0,
            plan_title="Plan",
            partnership_name="Partnership",
            published_by=world.manager,
            published_at=snapshot.published_at,
        )
    services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason="Corrected.")
    assert publish(world).pk != snapshot.pk


def test_a_snapshot_does_not_change_when_live_data_changes(world, snapshot):
    client = Client()
    urls = [
        f"/public/snapshots/{snapshot.pk}/",
        f"/public/snapshots/{snapshot.pk}/activities/",
        f"/public/snapshots/{snapshot.pk}/activities/1/",
        f"/api/public/v1/snapshots/{snapshot.pk}/activities/1/",
    ]
    before = {url: client.get(url).content for url in urls}
    frozen = Snapshot.objects.get(pk=snapshot.pk).document

    # The live record changes every way it can: title, description, tiers, public texts, a new
    # milestone, even the activity made restricted.
    activity = world.open_activity
    activity.refresh_from_db()
    activity_services.update_activity(
        actor=world.manager,
        activity=activity,
        version=activity.version,
        changes={"title": "Renamed later", "description": "Changed later"},
    )
    _set(
        world,
        world.manager,
        activity=activity,
        tier="restricted",
        version=1,
        public_summary="Changed later",
    )
    stored = Snapshot.objects.get(pk=snapshot.pk)
    assert stored.document == frozen
    assert stored.digest == services.digest_of(frozen)
    assert {url: client.get(url).content for url in urls} == before
    assert "Foreign terrorist fighters" in before[urls[2]].decode()


def test_withdrawal_needs_a_reason_and_then_every_page_answers_410(world, snapshot):
    with pytest.raises(ValidationError):
        services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason="  ")
    with pytest.raises(NotAllowed):
        services.withdraw_snapshot(actor=world.lead_officer, snapshot_id=snapshot.pk, reason="x")
    withdrawn = services.withdraw_snapshot(
        actor=world.manager, snapshot_id=snapshot.pk, reason="A figure was wrong."
    )
    assert withdrawn.withdrawn_by == world.manager
    assert withdrawn.document == snapshot.document  # kept as it was, only no longer shown
    with pytest.raises(InvalidTransition):
        services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason="again")
    client = Client()
    for url in [
        f"/public/snapshots/{snapshot.pk}/",
        f"/public/snapshots/{snapshot.pk}/activities/",
        f"/public/snapshots/{snapshot.pk}/activities/1/",
        f"/public/snapshots/{snapshot.pk}/priorities/",
        f"/public/snapshots/{snapshot.pk}/sdg/",
        f"/public/snapshots/{snapshot.pk}/activities.csv",
        f"/api/public/v1/snapshots/{snapshot.pk}/",
        f"/api/public/v1/snapshots/{snapshot.pk}/activities/",
        f"/api/public/v1/snapshots/{snapshot.pk}/activities/1/",
    ]:
        response = client.get(url)
        assert response.status_code == 410, url
        assert "withdrawn" in response.content.decode().lower()
    # …and it is no longer listed.
    assert client.get("/api/public/v1/snapshots/").json()["count"] == 0
    assert f"/public/snapshots/{snapshot.pk}/" not in client.get("/public/").content.decode()


def test_two_managers_publishing_the_same_date_at_once_get_a_400_not_a_500(world, monkeypatch):
    from publication import selectors

    real = selectors.plan_facts

    def the_other_manager_publishes_meanwhile(**kwargs):
        facts = real(**kwargs)
        Snapshot.objects.create(
            plan=world.plan,
            as_of=AS_OF,
            content={},
            digest="1" * 64,
            activity_count=0,
            plan_title="Plan",
            partnership_name="Partnership",
            published_by=world.manager,
            published_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        )
        return facts

    monkeypatch.setattr(selectors, "plan_facts", the_other_manager_publishes_meanwhile)
    with pytest.raises(ValidationError) as caught:
        publish(world)
    # Caught by the model's check of the constraint, or, when the other row commits between that
    # check and the insert, by the database's.
    messages = " ".join(caught.value.messages)
    assert "is published; withdraw it first" in messages or "just published" in messages
