"""The pre-publish checklist lists every problem at once (pure), and the page shows them all with a
way to fix each, or to publish anyway with a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import unquote

import pytest

from publication import rules
from publication.checklist import checklist
from publication.facts import (
    ActivityFacts,
    DisclosureFacts,
    MilestoneFacts,
    PlanFacts,
    UpdateFacts,
)
from publication.models import Disclosure, Snapshot
from tests.publication.world import AS_OF

ON = dt.date(2016, 6, 30)


def _activity(pk: int, tier: str = "public", groups: dict | None = None, **kwargs) -> ActivityFacts:
    fields = dict.fromkeys(rules.FIELD_GROUPS, "partners")
    fields.update(groups or {})
    disclosure = kwargs.pop("disclosure", None) or DisclosureFacts(
        tier=tier, field_tiers=fields, public_summary=kwargs.pop("summary", "For the public.")
    )
    return ActivityFacts(
        id=pk,
        code=f"A-{pk}",
        title=f"Activity {pk}",
        description=kwargs.pop("description", ""),
        thematic_area="terrorism",
        cooperation_type="joint",
        horizon="current",
        lifecycle="implementation",
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        status="on_track",
        disclosure=disclosure,
        places=kwargs.pop("places", ("Kenya",)),  # a place: no country problem unless asked
        **kwargs,
    )


def _plan(*activities: ActivityFacts) -> PlanFacts:
    return PlanFacts(
        plan_id=1,
        title="Plan",
        period_start=dt.date(2016, 1, 1),
        period_end=dt.date(2016, 12, 31),
        objectives="",
        partnership="P",
        partnership_description="",
        partners=(),
        agreements=(),
        matrix_edition=1,
        matrix_adopted_on=None,
        thematic_areas=(),
        sdg_targets=(),
        as_of=ON,
        activities=activities,
    )


def test_every_problem_of_every_activity_is_listed_not_only_the_first():
    facts = _plan(
        # No summary, a priority without a public reason, and four public fields empty.
        _activity(
            1,
            summary="",
            priority_rank=1,
            groups={
                "description": "public",
                "milestones": "public",
                "indicators": "public",
                "funding": "public",
            },
        ),
        # Only a public field that is empty: risks (its update has a narrative, no risks).
        _activity(
            2,
            groups={"progress": "public", "risks": "public"},
            updates=(UpdateFacts(dt.date(2016, 5, 31), 40, "Going well.", ""),),
        ),
        # Fine: summary, non-empty public fields.
        _activity(
            3,
            description="Shown.",
            groups={"description": "public", "milestones": "public"},
            milestones=(MilestoneFacts("Workshop", dt.date(2016, 3, 1), None),),
        ),
        # Not public: whatever is missing is no problem of the public snapshot.
        _activity(4, tier="restricted", summary="", priority_rank=2),
    )
    found = checklist(facts)
    assert [(p.activity_id, p.code, p.field) for p in found.problems] == [
        (1, "no_public_summary", "public_summary"),
        (1, "no_public_status_reason", "public_status_reason"),
        (1, "public_field_empty", "description_tier"),
        (1, "public_field_empty", "milestones_tier"),
        (1, "public_field_empty", "indicators_tier"),
        (1, "public_field_empty", "funding_tier"),
        (2, "public_field_empty", "risks_tier"),
    ]
    assert not found.ok


def test_a_public_activity_with_no_place_is_a_problem_a_hidden_one_is_not():
    found = checklist(
        _plan(
            _activity(1, places=()),
            _activity(2, places=("Kenya",)),
            _activity(3, tier="partners", places=()),
        )
    )
    assert [(p.activity_id, p.code, p.field) for p in found.problems] == [
        (1, "no_country", "places")
    ]


def test_a_public_field_within_a_non_public_activity_is_not_public():
    assert rules.is_public("partners", "public") is False
    assert rules.is_public("public", "public") is True
    assert rules.effective_tier("public", "restricted") == "restricted"
    assert rules.stricter("public", "nonsense") == "nonsense"  # unknown: fails closed
    assert checklist(_plan(_activity(1, tier="partners", groups={"risks": "public"}))).ok


def test_funding_without_lines_counts_as_empty_but_a_line_does_not():
    from publication.facts import FundingFacts

    line = FundingFacts("EU", "European Union", Decimal("10"), "USD", "committed", ON)
    ok = checklist(_plan(_activity(1, groups={"funding": "public"}, funding=(line,))))
    assert ok.ok


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_checklist_page_shows_every_problem_with_a_fix_link(client, world):
    client.force_login(world.manager)
    url = f"/publication/checklist/?plan={world.plan.pk}&as_of={AS_OF}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-code="') == 2
    assert 'data-code="no_public_summary"' in html
    assert 'data-code="no_public_status_reason"' in html
    fix = f"/publication/activities/{world.closed_fields_activity.pk}/?next="
    assert fix in html
    assert "Publish anyway" in html
    # Fixing from the checklist: the form returns to it, and the problem is gone.
    form_url = html[html.index(fix) :].split('"')[0].replace("&amp;", "&").split("#")[0]
    form = client.get(form_url)
    assert form.status_code == 200
    data = {
        "version": "1",
        "tier": "public",
        **{f"{g}_tier": "partners" for g in rules.FIELD_GROUPS},
        "public_summary": "Protecting cultural property from trafficking.",
        "public_status_reason": "On course with the customs partners.",
        "next": unquote(form_url.split("next=")[1]),
    }
    saved = client.post(form_url, data)
    assert saved.status_code == 302
    assert saved.url == url
    assert "No problems" in client.get(url).content.decode()


@pytest.mark.django_db
def test_publishing_anyway_needs_a_note_on_the_page(client, world):
    client.force_login(world.manager)
    data = {"plan": world.plan.pk, "as_of": AS_OF.isoformat(), "note": ""}
    refused = client.post("/publication/publish/", data)
    assert refused.status_code == 400
    assert "2 problem(s)" in refused.content.decode()
    assert not Snapshot.objects.exists()
    data["note"] = "Summaries follow; the board is needed for the meeting."
    done = client.post("/publication/publish/", data)
    assert done.status_code == 302
    snapshot = Snapshot.objects.get()
    assert snapshot.note == data["note"]
    assert snapshot.problem_count == 2


@pytest.mark.django_db
def test_only_managers_reach_the_checklist_and_publish(client, world):
    client.force_login(world.lead_officer)
    assert (
        client.get(f"/publication/checklist/?plan={world.plan.pk}&as_of={AS_OF}").status_code == 403
    )
    data = {"plan": world.plan.pk, "as_of": AS_OF.isoformat(), "note": "x"}
    assert client.post("/publication/publish/", data).status_code == 403
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_a_note_too_long_is_said_beside_it_and_nothing_is_published(client, world):
    client.force_login(world.manager)
    data = {"plan": world.plan.pk, "as_of": AS_OF.isoformat(), "note": "x" * 2001}
    refused = client.post("/publication/publish/", data)
    assert refused.status_code == 400
    assert "at most 2000 characters" in refused.content.decode()
    assert "2 problems" in refused.content.decode()  # the checklist is shown again
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_a_public_text_is_written_on_the_checklist_itself(client, world):
    client.force_login(world.manager)
    url = f"/publication/checklist/?plan={world.plan.pk}&as_of={AS_OF}"
    html = client.get(url).content.decode()
    assert html.count('class="inline-fix"') == 2  # the summary and the status reason of T-02
    target = f"/publication/activities/{world.closed_fields_activity.pk}/text/"
    saved = client.post(
        target,
        {"field": "public_summary", "value": "Protecting heritage.", "version": 1, "next": url},
    )
    assert saved.status_code == 302 and saved.url == url
    row = Disclosure.objects.get(activity=world.closed_fields_activity)
    assert row.public_summary == "Protecting heritage."
    assert row.tier == "public" and row.version == 2  # the tiers stay as they were
    # A second save from the page as it was (version 1) is refused: someone saved meanwhile.
    stale = client.post(
        target,
        {"field": "public_status_reason", "value": "On course.", "version": 1, "next": url},
        follow=True,
    )
    assert "Someone else changed these publication settings" in stale.content.decode()
    assert Disclosure.objects.get(pk=row.pk).public_status_reason == ""
    after = client.get(url).content.decode()
    assert after.count('data-code="') == 1


@pytest.mark.django_db
def test_only_those_who_may_set_the_texts_write_them_on_the_checklist(client, world):
    target = f"/publication/activities/{world.closed_fields_activity.pk}/text/"
    data = {"field": "public_summary", "value": "X", "version": 1}
    client.force_login(world.other_officer)
    assert client.post(target, data).status_code == 403
    assert client.get(target).status_code == 405
    client.force_login(world.lead_officer)
    assert client.post(target, data).status_code == 302
    assert Disclosure.objects.get(activity=world.closed_fields_activity).public_summary == "X"


@pytest.mark.django_db
def test_the_checklist_reads_the_places_an_activity_without_one_is_flagged(client, world):
    from geography.services import set_places

    client.force_login(world.manager)
    url = f"/publication/checklist/?plan={world.plan.pk}&as_of={AS_OF}"
    assert 'data-code="no_country"' not in client.get(url).content.decode()
    set_places(actor=None, activity=world.open_activity, version=None, countries=[], regions=[])
    html = client.get(url).content.decode()
    assert html.count('data-code="no_country"') == 1
    assert "No country is recorded for this activity." in html
    # The world's two, no country, and its places marked public with nothing to show.
    assert html.count('data-code="') == 4
    assert html.count('data-code="public_field_empty"') == 1
