"""A small results chain for the tests: one objective, two outcomes, three outputs, and
activities contributing to the outputs, written through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from results import services
from results.models import Level
from tests.factories import ActivityFactory, IndicatorFactory, MatrixFactory, sdg_target


def build_chain(*, activities_per_output: int = 2, matrix=None) -> SimpleNamespace:
    matrix = matrix or MatrixFactory()
    plan = matrix.plan
    objective = services.create_result(
        actor=None,
        plan=plan,
        level=Level.OBJECTIVE,
        code="1",
        title="Coherent multilateral framework",
        sdg_targets=[sdg_target("16.a")],
    )
    outcomes = [
        services.create_result(
            actor=None,
            plan=plan,
            parent=objective,
            level=Level.OUTCOME,
            code=f"1.{n}",
            title=f"Outcome {n}",
        )
        for n in (1, 2)
    ]
    outputs = [
        services.create_result(
            actor=None,
            plan=plan,
            parent=outcomes[0],
            level=Level.OUTPUT,
            code="1.1.1",
            title="Output one",
        ),
        services.create_result(
            actor=None,
            plan=plan,
            parent=outcomes[0],
            level=Level.OUTPUT,
            code="1.1.2",
            title="Output two",
            sdg_targets=[sdg_target("16.4")],
        ),
        services.create_result(
            actor=None,
            plan=plan,
            parent=outcomes[1],
            level=Level.OUTPUT,
            code="1.2.1",
            title="Output three",
        ),
    ]
    activities = {}
    for output in outputs:
        activities[output.code] = []
        for _ in range(activities_per_output):
            activity = ActivityFactory(matrix=matrix)
            services.add_contribution(
                actor=None, output=output, activity=activity, share=Decimal("50")
            )
            activities[output.code].append(activity)
    return SimpleNamespace(
        matrix=matrix,
        plan=plan,
        objective=objective,
        outcomes=outcomes,
        outputs=outputs,
        activities=activities,
    )


def trained_indicator(activity, **kwargs):
    return IndicatorFactory(
        activity=activity,
        name="Officers trained",
        baseline=Decimal("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("100"),
        target_date=dt.date(2016, 12, 31),
        **kwargs,
    )
