"""The results chain of the 2016 demo: the Joint Action Plan's two stated objectives (public: the
INTERPOL Secretary General's remarks of 23 May 2016, in ../shared/data/), and beneath them
outcomes and outputs that are illustrative (no public text states them), flagged so. Loaded by
`manage.py load_results_demo`, which `load_demo` calls by name; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from activities import services as activity_services
from activities.demo import data as activities_data
from activities.models import Activity, Dimension, Indicator
from partnership.models import JointActionPlan, SDGTarget
from results import services
from results.models import Contribution, Level, Result, ResultIndicator

D = dt.date.fromisoformat
YEAR_START, YEAR_END = D("2016-01-01"), D("2016-12-31")

# (code, parent code, level, title, SDG targets, illustrative)
RESULTS: list[tuple[str, str | None, str, str, list[str], bool]] = [
    (
        "1",
        None,
        Level.OBJECTIVE,
        "Reinforce a coherent multilateral framework that develops and supports national crime "
        "prevention and criminal justice institutions, notably police, and assists them in their "
        "effort to cooperate internationally",
        ["16.a"],
        False,
    ),
    (
        "1.1",
        "1",
        Level.OUTCOME,
        "National police and criminal justice institutions draw on both organizations' support",
        ["16.3"],
        True,
    ),
    (
        "1.1.1",
        "1.1",
        Level.OUTPUT,
        "Law enforcement units connected to INTERPOL's global police information system",
        ["16.a"],
        True,
    ),
    (
        "1.1.2",
        "1.1",
        Level.OUTPUT,
        "Investigators, prosecutors and forensic staff trained jointly",
        [],
        True,
    ),
    (
        "1.2",
        "1",
        Level.OUTCOME,
        "Trafficking and organized crime met by joint operational responses",
        ["16.4"],
        True,
    ),
    (
        "1.2.1",
        "1.2",
        Level.OUTPUT,
        "Joint operations against drug, wildlife and human trafficking",
        [],
        True,
    ),
    (
        "1.2.2",
        "1.2",
        Level.OUTPUT,
        "Cultural property and dark-net trafficking researched and countered",
        [],
        True,
    ),
    (
        "2",
        None,
        Level.OBJECTIVE,
        "Coordinate advocacy and engagement in targeted international forums, and develop joint "
        "initiatives which capitalize on the strengths of each organization",
        ["16.8"],
        False,
    ),
    (
        "2.1",
        "2",
        Level.OUTCOME,
        "The two organizations approach donors and international forums coherently",
        ["16.6"],
        True,
    ),
    (
        "2.1.1",
        "2.1",
        Level.OUTPUT,
        "Joint advocacy at the CCPCJ and the CND, and a coherent approach to donors",
        [],
        True,
    ),
    (
        "2.1.2",
        "2.1",
        Level.OUTPUT,
        "Staff and courses shared between the two secretariats",
        [],
        True,
    ),
]

# output code → [(activity code, share or None, words)]
CONTRIBUTIONS: dict[str, list[tuple[str, str | None, str]]] = {
    "1.1.1": [
        ("INS-01", "100", ""),
        ("MBS-04", "100", ""),
        ("TER-01", "60", "FTF profiles shared through I-24/7."),
    ],
    "1.1.2": [
        ("TER-02", "100", ""),
        ("FCJ-01", "100", ""),
        ("FCJ-02", "50", "Training of investigators, prosecutors and judges."),
        ("CYB-02", "100", ""),
    ],
    "1.2.1": [
        ("TOC-01", "100", ""),
        ("TOC-02", "100", ""),
        ("TOC-05", "100", ""),
        ("FCJ-02", "50", "Joint investigations along the cocaine route."),
        ("TER-01", "40", ""),
    ],
    "1.2.2": [("TOC-03", "100", ""), ("TOC-04", "100", "")],
    "2.1.1": [("INS-04", "100", ""), ("INS-02", None, "Joint reporting to donors.")],
    "2.1.2": [("INS-05", "100", ""), ("INS-03", "100", "")],
}


@dataclass(frozen=True)
class IndicatorSpec:
    result: str
    name: str
    unit: str
    method: str
    baseline: str
    target: str
    sources: list[tuple[str, str]] = field(default_factory=list)  # (activity code, indicator)
    measurements: list[tuple[str, str]] = field(default_factory=list)  # measured ones


INDICATORS = [
    IndicatorSpec(
        "1.1.2",
        "People trained jointly (investigators, prosecutors, judges)",
        "people",
        ResultIndicator.Method.SUM,
        "0",
        "1360",
        sources=[
            ("TER-02", "Prosecutors and investigators trained"),
            ("FCJ-02", "Investigators, prosecutors and judges trained"),
        ],
    ),
    IndicatorSpec(
        "1.1.1",
        "UNODC-supported units connected to I-24/7",
        "units",
        ResultIndicator.Method.LATEST,
        "0",
        "20",
        sources=[("INS-01", "UNODC-supported units connected to I-24/7")],
    ),
    IndicatorSpec(
        "2.1",
        "Matrix activities with a focal point in each organization",
        "%",
        ResultIndicator.Method.AVERAGE,
        "0",
        "100",
        sources=[("INS-02", "Matrix activities with a focal point in each organization")],
    ),
    IndicatorSpec(
        "1.2",
        "Member countries taking part in joint operations",
        "countries",
        ResultIndicator.Method.MEASURED,
        "10",
        "40",
        measurements=[("2016-03-31", "14"), ("2016-06-30", "19"), ("2016-09-30", "27")],
    ),
]


# Source indicators broken down by sex (illustrative figures): (activity code, indicator) →
# (female target, male target, {measured on: (female, male or None)}).
BY_SEX: dict[tuple[str, str], tuple[str, str, dict[str, tuple[str, str | None]]]] = {
    ("TER-02", "Prosecutors and investigators trained"): (
        "64",
        "96",
        {"2016-09-16": ("30", "55"), "2016-11-25": ("58", "102")},
    ),
    ("FCJ-02", "Investigators, prosecutors and judges trained"): (
        "480",
        "720",
        # November's report gave the women trained only: "not all categories reported".
        {"2016-06-30": ("40", "90"), "2016-11-30": ("85", None)},
    ),
}


def load(*, plan: JointActionPlan | None = None) -> dict[str, int]:
    """Create what is missing of the demo chain (results, contributions, indicators); returns
    how many of each were created. Records already there are left as they are."""
    plan = plan or JointActionPlan.objects.get(title=activities_data.PLAN["title"])
    # One re-assessment for the whole load, not one per breakdown written; load_demo's replay
    # follows anyway.
    with transaction.atomic(), activity_services.announcements_held():
        created = _load(plan)
    if created["breakdowns"]:
        activity_services.refresh_after_bulk_write(plan_ids=[plan.pk], reason="demo breakdowns")
    return created


def _load(plan: JointActionPlan) -> dict[str, int]:
    created = {"results": 0, "contributions": 0, "indicators": 0, "breakdowns": 0}
    targets = {t.code: t for t in SDGTarget.objects.all()}
    results = {r.code: r for r in Result.objects.filter(plan=plan)}
    for order, (code, parent, level, title, sdg, illustrative) in enumerate(RESULTS):
        if code in results:
            continue
        results[code] = services.create_result(
            actor=None,
            plan=plan,
            level=level,
            code=code,
            title=title,
            parent=results[parent] if parent else None,
            order=order,
            sdg_targets=[targets[t] for t in sdg],
            is_illustrative=illustrative,
        )
        created["results"] += 1
    activities = {
        a.code: a for a in Activity.objects.filter(matrix__plan=plan).select_related("matrix")
    }
    existing = set(
        Contribution.objects.filter(output__plan=plan).values_list("output__code", "activity__code")
    )
    for output, rows in CONTRIBUTIONS.items():
        for activity_code, share, words in rows:
            if (output, activity_code) in existing or activity_code not in activities:
                continue
            services.add_contribution(
                actor=None,
                output=results[output],
                activity=activities[activity_code],
                share=None if share is None else Decimal(share),
                description=words,
            )
            created["contributions"] += 1
    have = set(
        ResultIndicator.objects.filter(result__plan=plan).values_list("result__code", "name")
    )
    for spec in INDICATORS:
        if (spec.result, spec.name) in have:
            continue
        indicator = services.add_result_indicator(
            actor=None,
            result=results[spec.result],
            name=spec.name,
            unit=spec.unit,
            baseline=Decimal(spec.baseline),
            baseline_date=YEAR_START,
            target=Decimal(spec.target),
            target_date=YEAR_END,
            direction=Indicator.Direction.INCREASE,
            method=spec.method,
            sources=_sources(plan, spec.sources),
        )
        for on, value in spec.measurements:
            services.record_result_measurement(
                actor=None,
                indicator=indicator,
                measured_on=D(on),
                value=Decimal(value),
                note="Illustrative figure.",
            )
        created["indicators"] += 1
    created["breakdowns"] = _break_down_by_sex(plan)
    return created


def _break_down_by_sex(plan: JointActionPlan) -> int:
    """Declare sex on the demo's training indicators, with targets and values by category,
    unless already declared (so a second load changes nothing)."""
    sex = Dimension.objects.filter(code="sex").prefetch_related("categories").first()
    if sex is None:
        return 0
    female, male = (sex.categories.get(code=code).pk for code in ("female", "male"))
    done = 0
    for (activity_code, name), (f_target, m_target, values) in BY_SEX.items():
        indicator = Indicator.objects.filter(
            activity__matrix__plan=plan, activity__code=activity_code, name=name
        ).first()
        if indicator is None or indicator.dimension_links.exists():
            continue
        activity_services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
        activity_services.set_category_targets(
            actor=None,
            indicator=indicator,
            targets={female: Decimal(f_target), male: Decimal(m_target)},
        )
        for measurement in indicator.measurements.all():
            pair = values.get(measurement.measured_on.isoformat())
            if pair is None:
                continue
            given = {female: Decimal(pair[0])}
            if pair[1] is not None:
                given[male] = Decimal(pair[1])
            activity_services.set_measurement_breakdown(
                actor=None, measurement=measurement, breakdown=given
            )
        done += 1
    return done


def _sources(plan: JointActionPlan, wanted: list[tuple[str, str]]) -> list[Any]:
    found = []
    for activity_code, name in wanted:
        indicator = Indicator.objects.filter(
            activity__matrix__plan=plan, activity__code=activity_code, name=name
        ).first()
        if indicator is not None:
            found.append(indicator)
    return found
