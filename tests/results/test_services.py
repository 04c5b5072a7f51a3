"""Writes of the results chain (results.services): every error at once, nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities.exceptions import NotAllowed
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
