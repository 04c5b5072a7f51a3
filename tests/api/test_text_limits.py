"""API text fields have the pages' limits (partnership.limits): a 2 MB narrative was accepted
by the API where the page form takes 10,000 characters. Over the limit is a 400 with the message
on the field, and nothing is written; the models' validators agree (services, admin, import)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.forms import ActivityForm, ApproveForm, ProgressUpdateForm, ReturnForm
from activities.models import ActivityParticipation, ProgressUpdate
from monitoring.models import StatusOverride
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, RISKS_MAX
from tests.api.conftest import API
from tests.factories import ProgressUpdateFactory


def _update_body(**fields) -> dict:
    return {"period_end": "2016-06-30", "percent_complete": 40, "narrative": "n", **fields}


def test_a_two_megabyte_narrative_is_a_400_on_the_field(world, as_liaison):
    response = as_liaison.post(
        f"{API}/activities/{world.activity.pk}/updates/",
        _update_body(narrative="x" * 2_000_000),
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["narrative"]
    assert "10000 characters" in response.json()["narrative"][0]
    assert not ProgressUpdate.objects.exists()


def test_narrative_and_risks_up_to_the_limits_are_accepted(world, as_liaison):
    url = f"{API}/activities/{world.activity.pk}/updates/"
    body = _update_body(narrative="x" * LONG_TEXT_MAX, risks="r" * RISKS_MAX)
    assert as_liaison.post(url, body, format="json").status_code == 201
    over = _update_body(narrative="x" * (LONG_TEXT_MAX + 1), risks="r" * (RISKS_MAX + 1))
    response = as_liaison.post(url, over, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"narrative", "risks"}  # both at once


def test_editing_an_update_has_the_same_limits(world, as_liaison):
    update = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    response = as_liaison.patch(
        f"{API}/updates/{update.pk}/",
        {"narrative": "x" * (LONG_TEXT_MAX + 1), "version": update.version},
        format="json",
    )
    assert response.status_code == 400 and "narrative" in response.json()
    update.refresh_from_db()
    assert update.narrative == "Work proceeds as planned."


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_reviewer_note_over_the_limit_is_a_400(world, as_manager, action):
    update = ProgressUpdateFactory(
        activity=world.activity,
        author=world.liaison,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    response = as_manager.post(
        f"{API}/updates/{update.pk}/{action}/", {"note": "n" * (NOTE_MAX + 1)}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_activity_description_and_contribution_have_the_long_text_limit(world, as_manager):
    response = as_manager.patch(
        f"{API}/activities/{world.activity.pk}/",
        {
            "description": "d" * (LONG_TEXT_MAX + 1),
            "participations": [
                {
                    "organization": "INTERPOL",
                    "role": "lead",
                    "contribution": "c" * (LONG_TEXT_MAX + 1),
                }
            ],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "description" in body
    assert "contribution" in str(body["participations"])
    world.activity.refresh_from_db()
    assert world.activity.version == 1
    assert ActivityParticipation.objects.get().contribution == ""


def test_an_override_reason_over_the_limit_is_a_400(world, as_manager):
    response = as_manager.post(
        f"{API}/activities/{world.activity.pk}/status-overrides/",
        {"status": "at_risk", "reason": "r" * (NOTE_MAX + 1)},
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.json()
    assert not StatusOverride.objects.exists()


def test_pages_api_and_models_share_the_limits(world):
    assert ProgressUpdateForm.base_fields["narrative"].max_length == LONG_TEXT_MAX
    assert ProgressUpdateForm.base_fields["risks"].max_length == RISKS_MAX
    assert ActivityForm.base_fields["description"].max_length == LONG_TEXT_MAX
    assert ApproveForm.base_fields["note"].max_length == NOTE_MAX
    assert ReturnForm.base_fields["note"].max_length == NOTE_MAX
    update = ProgressUpdate(
        activity=world.activity,
        author=world.liaison,
        period_end=dt.date(2016, 6, 30),
        percent_complete=10,
        narrative="x" * (LONG_TEXT_MAX + 1),
    )
    with pytest.raises(ValidationError) as caught:
        update.full_clean()
    assert list(caught.value.message_dict) == ["narrative"]
    assert "10000 characters or fewer" in caught.value.message_dict["narrative"][0]
