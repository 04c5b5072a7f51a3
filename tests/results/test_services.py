"""Writes of the results chain (results.services): every error at once, nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities.exceptions import ConflictError, NotAllowed
from activities.models import Event
from partnership.models import Profile
from results import services
from results.models import Contribution, Level, Result, ResultIndicator
from tests.factories import ActivityFactory, MatrixFactory, MeasurementFactory, make_user
from tests.results.builders import build_chain, trained_indicator

pytestmark = pytest.mark.django_db


def test_levels_hang_in_order_and_a_wrong_parent_is_refused():
    chain = build_chain(activities_per_output=0)
    with pytest.raises(ValidationError) as caught:
        services.create_result(
            actor=None,
            plan=chain.plan,
            parent=chain.objective,
            level=Level.OUTPUT,
            code="1",  # taken, too
            title="",
        )
    errors = caught.value.message_dict
    assert errors["parent"] == ["An output belongs to an outcome, not to an objective."]
    assert errors["code"] == ["The plan already has a result 1."]
    assert "title" in errors
    assert Result.objects.count() == 6


def test_only_managers_write_the_chain():
    chain = build_chain(activities_per_output=0)
    viewer = make_user(Profile.Role.VIEWER)
    with pytest.raises(NotAllowed):
        services.create_result(
            actor=viewer, plan=chain.plan, level=Level.OBJECTIVE, code="2", title="Second"
        )
    manager = make_user(Profile.Role.MANAGER)
    made = services.create_result(
        actor=manager, plan=chain.plan, level=Level.OBJECTIVE, code="2", title="Second"
    )
    assert made.history.first().history_user == manager


def test_an_activitys_shares_add_up_to_at_most_100_percent():
    chain = build_chain(activities_per_output=1)
    activity = chain.activities["1.1.1"][0]  # 50 % to output one already
    services.add_contribution(
        actor=None, output=chain.outputs[1], activity=activity, share=Decimal("50")
    )
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(
            actor=None, output=chain.outputs[2], activity=activity, share=Decimal("0.5")
        )
    assert "100.5 %" in caught.value.message_dict["share"][0]
    # In words only, it may still contribute.
    services.add_contribution(
        actor=None, output=chain.outputs[2], activity=activity, description="Shares its data."
    )
    assert Contribution.objects.filter(activity=activity).count() == 3


def test_a_contribution_needs_an_output_of_the_plan_and_a_share_or_words():
    chain = build_chain(activities_per_output=0)
    stranger = ActivityFactory(matrix=MatrixFactory())
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(actor=None, output=chain.outcomes[0], activity=stranger)
    errors = caught.value.message_dict
    assert errors["output"] == ["Activities contribute to outputs, not to outcomes or objectives."]
    assert errors["share"] == [
        "Give the activity's share of the output, or describe its contribution."
    ]
    assert not Contribution.objects.exists()


def test_computed_indicators_draw_only_on_activities_below_the_result():
    chain = build_chain(activities_per_output=1)
    inside = trained_indicator(chain.activities["1.1.1"][0])
    elsewhere = trained_indicator(chain.activities["1.2.1"][0])
    common = {
        "name": "Officers trained",
        "unit": "officers",
        "baseline": Decimal("0"),
        "baseline_date": dt.date(2016, 1, 1),
        "target": Decimal("200"),
        "target_date": dt.date(2016, 12, 31),
        "direction": "increase",
        "method": ResultIndicator.Method.SUM,
    }
    with pytest.raises(ValidationError) as caught:
        services.add_result_indicator(
            actor=None, result=chain.outcomes[0], sources=[inside, elsewhere], **common
        )
    assert elsewhere.activity.code in caught.value.message_dict["sources"][0]
    with pytest.raises(ValidationError) as caught:
        services.add_result_indicator(actor=None, result=chain.outcomes[0], **common)
    assert caught.value.message_dict["sources"]
    made = services.add_result_indicator(
        actor=None, result=chain.outcomes[0], sources=[inside], **common
    )
    assert list(made.sources.all()) == [inside]


def test_only_measured_indicators_take_their_own_values():
    chain = build_chain(activities_per_output=1)
    source = trained_indicator(chain.activities["1.1.1"][0])
    MeasurementFactory(indicator=source)
    computed = services.add_result_indicator(
        actor=None,
        result=chain.outputs[0],
        name="Officers trained",
        unit="officers",
        baseline=Decimal("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("100"),
        target_date=dt.date(2016, 12, 31),
        direction="increase",
        method=ResultIndicator.Method.LATEST,
        sources=[source],
    )
    with pytest.raises(ValidationError) as caught:
        services.record_result_measurement(
            actor=None, indicator=computed, measured_on=dt.date(2016, 6, 30), value=Decimal("-1")
        )
    assert set(caught.value.message_dict) >= {"indicator"}


# --- editing the chain ----------------------------------------------------------------------------


def _indicator_kwargs(**overrides):
    return {
        "name": "Officers trained",
        "unit": "officers",
        "baseline": Decimal("0"),
        "baseline_date": dt.date(2016, 1, 1),
        "target": Decimal("200"),
        "target_date": dt.date(2016, 12, 31),
        "direction": "increase",
        **overrides,
    }


def test_an_edit_names_its_version_is_audited_and_a_stale_one_writes_nothing():
    chain = build_chain(activities_per_output=0)
    manager = make_user(Profile.Role.MANAGER)
    output = chain.outputs[0]
    edited = services.update_result(
        actor=manager, result=output, version=1, changes={"title": "Officers trained"}
    )
    assert (edited.title, edited.version) == ("Officers trained", 2)
    assert edited.history.first().history_user == manager
    with pytest.raises(ConflictError):
        services.update_result(actor=manager, result=output, version=1, changes={"title": "Old"})
    assert Result.objects.get(pk=output.pk).title == "Officers trained"
    # A change that changes nothing is no edit: no new version, no announcement.
    same = services.update_result(
        actor=manager, result=output, version=2, changes={"title": "Officers trained"}
    )
    assert same.version == 2


def test_a_result_moves_only_under_a_parent_of_the_level_above_and_every_error_comes_at_once():
    chain = build_chain(activities_per_output=1)
    output = chain.outputs[0]
    with pytest.raises(ValidationError) as caught:
        services.update_result(
            actor=None,
            result=output,
            version=1,
            changes={"parent": chain.objective, "code": "1.2", "title": ""},
        )
    errors = caught.value.message_dict
    assert errors["parent"] == ["An output belongs to an outcome, not to an objective."]
    assert errors["code"] == ["The plan already has a result 1.2."]
    assert "title" in errors
    assert Result.objects.get(pk=output.pk).version == 1  # the claim rolled back too
    moved = services.update_result(
        actor=None, result=output, version=1, changes={"parent": chain.outcomes[1]}
    )
    assert moved.parent_id == chain.outcomes[1].pk
    # Both branches' activities are told (here one objective holds both).
    event = Event.objects.get(note="result_moved")
    assert set(event.activity_ids) == {a.pk for acts in chain.activities.values() for a in acts}


def test_creating_a_result_announces_its_objectives_activities():
    chain = build_chain(activities_per_output=1)
    Event.objects.all().delete()
    services.create_result(
        actor=None,
        plan=chain.plan,
        parent=chain.outcomes[0],
        level=Level.OUTPUT,
        code="1.1.3",
        title="Another",
    )
    [event] = Event.objects.all()
    assert (event.kind, event.note) == ("facts_changed", "result_created")
    assert len(event.activity_ids) == 3
    # A new objective has no activity under it: nothing to re-assess, nothing announced.
    services.create_result(actor=None, plan=chain.plan, level=Level.OBJECTIVE, code="2", title="B")
    assert Event.objects.count() == 1


def test_a_result_with_results_or_activities_under_it_is_not_deleted():
    chain = build_chain(activities_per_output=1)
    manager = make_user(Profile.Role.MANAGER)
    with pytest.raises(ValidationError) as caught:
        services.delete_result(actor=manager, result=chain.objective, version=1)
    assert caught.value.messages == [
        "Objective 1 still has 2 outcomes: remove them first. Nothing was deleted."
    ]
    with pytest.raises(ValidationError) as caught:
        services.delete_result(actor=manager, result=chain.outputs[0], version=1)
    assert "1 contributing activity" in caught.value.messages[0]
    assert Result.objects.count() == 6
    assert Result.objects.get(pk=chain.objective.pk).version == 1
    [contribution] = Contribution.objects.filter(output=chain.outputs[0])
    services.remove_contribution(actor=manager, contribution=contribution, version=1)
    indicator = services.add_result_indicator(
        actor=None, result=chain.outputs[0], **_indicator_kwargs()
    )
    services.delete_result(actor=manager, result=chain.outputs[0], version=1)
    assert not Result.objects.filter(pk=chain.outputs[0].pk).exists()
    assert not ResultIndicator.objects.filter(pk=indicator.pk).exists()  # its own, with it
    assert Result.history.filter(history_type="-").get().history_user == manager


def test_a_contributions_share_is_edited_within_the_activitys_100_percent():
    chain = build_chain(activities_per_output=1)
    manager = make_user(Profile.Role.MANAGER)
    activity = chain.activities["1.1.1"][0]
    second = services.add_contribution(
        actor=manager, output=chain.outputs[1], activity=activity, share=Decimal("40")
    )
    assert second.history.first().history_user == manager
    with pytest.raises(ValidationError) as caught:
        services.update_contribution(
            actor=manager, contribution=second, version=1, changes={"share": Decimal("60")}
        )
    assert "110 %" in caught.value.message_dict["share"][0]
    # Its own old share does not count against it.
    edited = services.update_contribution(
        actor=manager, contribution=second, version=1, changes={"share": Decimal("50")}
    )
    assert (edited.share, edited.version) == (Decimal("50"), 2)
    with pytest.raises(ValidationError) as caught:
        services.update_contribution(
            actor=manager, contribution=second, version=2, changes={"share": None}
        )
    assert caught.value.message_dict["share"] == [
        "Give the activity's share of the output, or describe its contribution."
    ]
    with pytest.raises(ConflictError):
        services.remove_contribution(actor=manager, contribution=second, version=1)
    services.remove_contribution(actor=manager, contribution=second, version=2)
    assert not Contribution.objects.filter(pk=second.pk).exists()
    notes = list(Event.objects.filter(activity_ids=[activity.pk]).values_list("note", flat=True))
    assert notes[-3:] == ["contribution_added", "contribution_changed", "contribution_removed"]


def test_only_managers_edit_contributions_and_results():
    chain = build_chain(activities_per_output=1)
    liaison = make_user(Profile.Role.LIAISON_OFFICER)
    contribution = Contribution.objects.first()
    with pytest.raises(NotAllowed):
        services.update_contribution(
            actor=liaison, contribution=contribution, version=1, changes={"share": Decimal("5")}
        )
    with pytest.raises(NotAllowed):
        services.remove_contribution(actor=liaison, contribution=contribution, version=1)
    with pytest.raises(NotAllowed):
        services.delete_result(actor=liaison, result=chain.outputs[0], version=1)
    with pytest.raises(NotAllowed):
        services.update_result(
            actor=liaison, result=chain.outputs[0], version=1, changes={"title": "X"}
        )
    assert Contribution.objects.get(pk=contribution.pk).version == 1


def test_a_result_indicator_is_edited_with_its_method_and_sources_checked_together():
    chain = build_chain(activities_per_output=1)
    manager = make_user(Profile.Role.MANAGER)
    inside = trained_indicator(chain.activities["1.1.1"][0])
    elsewhere = trained_indicator(chain.activities["1.2.1"][0])
    indicator = services.add_result_indicator(
        actor=manager, result=chain.outcomes[0], **_indicator_kwargs()
    )
    with pytest.raises(ValidationError) as caught:
        services.update_result_indicator(
            actor=manager,
            indicator=indicator,
            version=1,
            changes={"method": ResultIndicator.Method.SUM, "target": Decimal("-5")},
            sources=[inside, elsewhere],
        )
    errors = caught.value.message_dict
    assert elsewhere.activity.code in errors["sources"][0]
    assert errors["target"] == ["For an increasing indicator the target must exceed the baseline."]
    # Computed without sources is refused; with the ones below it, saved.
    with pytest.raises(ValidationError) as caught:
        services.update_result_indicator(
            actor=manager, indicator=indicator, version=1, changes={"method": "average"}
        )
    assert caught.value.message_dict["sources"] == [
        "A computed indicator needs the activity indicators it is computed from."
    ]
    edited = services.update_result_indicator(
        actor=manager,
        indicator=indicator,
        version=1,
        changes={"method": ResultIndicator.Method.AVERAGE},
        sources=[inside],
    )
    assert (edited.method, edited.version, list(edited.sources.all())) == ("average", 2, [inside])
    assert edited.history.first().history_user == manager
    with pytest.raises(ConflictError):
        services.update_result_indicator(
            actor=manager, indicator=indicator, version=1, changes={"name": "Stale"}
        )
    assert Event.objects.filter(note="result_indicator_edited").count() == 1
