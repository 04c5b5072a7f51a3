"""A synthetic but realistic portfolio, written in bulk: for benchmarks and load tests only.

Per activity: 5 milestones, 3 indicators with 3 measurements each, 6 progress updates (most
approved), 2 funding lines and 1–3 participating organizations with exactly one lead. Each plan
has a quarterly reporting calendar; an update reports on the quarter its period ends in unless an
earlier update of the activity did, so some quarters go unreported and show as missing reports.
A seeded random "health" per activity (good, slipping, troubled) shapes delays, progress,
indicator values and funding, so a monitoring run over the portfolio meets every status and
reason. Everything is written with bulk_create (no per-row signals, so no history rows) in slabs
of activities, and ends, as every bulk writer must, with
`activities.services.refresh_after_bulk_write`.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    ReportingCalendar,
)
from activities.services import refresh_after_bulk_write, set_reporting_calendar
from geography.models import ActivityCountry, ActivityRegion, Region
from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    ThematicArea,
)

PREFIX = "Synthetic portfolio"
# Recipient countries: a few where much happens (West Africa, the cocaine route, the Sahel), drawn
# more often than the rest of the world; regions for about one activity in five.
BUSY_COUNTRIES = ("NG", "GH", "SN", "ML", "NE", "BF", "CO", "PE", "BR", "KE", "TZ", "CI")
SOME_REGIONS = ("011", "202", "419", "035", "145", "014")
PROFILES = ("good", "slipping", "troubled")
PROFILE_WEIGHTS = (60, 25, 15)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PortfolioSummary:
    partnership_ids: list[int]
    plan_ids: list[int]
    activities: int
    milestones: int
    indicators: int
    measurements: int
    updates: int
    funding_lines: int
    participations: int
    seconds: float

    @property
    def rows(self) -> int:
        return (
            self.activities
            + self.milestones
            + self.indicators
            + self.measurements
            + self.updates
            + self.funding_lines
            + self.participations
        )


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


class _Builder:
    """Builds the rows hanging off one slab of saved activities."""

    def __init__(self, rng: random.Random, year: int, orgs, donors, author, reviewer):
        self.rng = rng
        self.horizon = date(year, 12, 31)
        self.orgs, self.donors = orgs, donors
        self.author, self.reviewer = author, reviewer
        # matrix id → its plan's reporting periods, as (id, starts_on, ends_on)
        self.periods: dict[int, list[tuple[int, date, date]]] = {}
        self.counts = dict.fromkeys(
            ("milestones", "indicators", "measurements", "updates", "funding", "participations"), 0
        )

    def activity(self, matrix, index: int, areas, year: int) -> tuple[Activity, str]:
        rng = self.rng
        profile = rng.choices(PROFILES, weights=PROFILE_WEIGHTS)[0]
        roll = rng.random()
        lifecycle = (
            Activity.Lifecycle.SUSPENDED
            if roll < 0.03
            else Activity.Lifecycle.PIPELINE
            if roll < 0.05
            else Activity.Lifecycle.FINALISATION
            if roll < 0.10
            else Activity.Lifecycle.IMPLEMENTATION
        )
        start = date(year, 1, 1) + timedelta(days=rng.randint(0, 150))
        if lifecycle == Activity.Lifecycle.PIPELINE:
            start += timedelta(days=120)
        end = start + timedelta(days=rng.randint(180, 360))
        activity = Activity(
            matrix=matrix,
            code=f"SYN-{index:06d}",
            title=f"Synthetic activity {index}",
            thematic_area=areas[index % len(areas)],
            cooperation_type=rng.choice(Activity.CooperationType.values),
            horizon=Activity.Horizon.CURRENT,
            lifecycle=lifecycle,
            start_date=start,
            end_date=end,
            budget_required=Decimal(rng.randrange(50_000, 2_000_000, 1_000)),
            is_illustrative=True,
        )
        return activity, profile

    def children(self, activity: Activity, profile: str, out: dict[str, list]) -> None:
        rng = self.rng
        start, end = activity.start_date, activity.end_date
        length = (end - start).days

        delays = {"good": (-15, 0), "slipping": (0, 45), "troubled": (20, 150)}[profile]
        for k in range(1, 6):
            due = start + timedelta(days=length * k // 6)
            done = due + timedelta(days=rng.randint(*delays))
            out["milestones"].append(
                Milestone(
                    activity=activity,
                    title=f"Milestone {k} of {activity.code}",
                    due_date=due,
                    completed_on=done if done <= self.horizon else None,
                    weight=rng.randint(1, 3),
                )
            )

        factors = {"good": (0.9, 1.15), "slipping": (0.7, 0.95), "troubled": (0.3, 0.8)}[profile]
        for k in range(3):
            change = Decimal(rng.randint(20, 500))
            if k == 2:  # one in three indicators should go down (e.g. response time)
                baseline, direction = change + rng.randint(10, 100), Indicator.Direction.DECREASE
                target = baseline - change
            else:
                baseline, direction = Decimal(rng.randint(0, 100)), Indicator.Direction.INCREASE
                target = baseline + change
            indicator = Indicator(
                activity=activity,
                name=f"Indicator {k + 1} of {activity.code}",
                unit="cases",
                baseline=baseline,
                baseline_date=start,
                target=target,
                target_date=end,
                direction=direction,
            )
            out["indicators"].append(indicator)
            for q in range(1, 4):
                share = Decimal(q) / 4 * Decimal(str(round(rng.uniform(*factors), 3)))
                out["measurements"].append(
                    Measurement(
                        indicator=indicator,
                        measured_on=start + timedelta(days=length * q // 4),
                        value=(baseline + (target - baseline) * share).quantize(CENT),
                    )
                )

        # Six reports, the last on the end date; a good activity reports a little ahead of time
        # elapsed and reaches 100 % at the end.
        ahead = {"good": (1.05, 1.3), "slipping": (0.75, 1.0), "troubled": (0.35, 0.8)}[profile]
        reported: set[int] = set()
        for k in range(1, 7):
            period_end = start + timedelta(days=length * k // 6)
            percent = min(100, round(100 * k / 6 * rng.uniform(*ahead)))
            if profile == "good" and k == 6:
                percent = 100
            submitted = period_end + timedelta(days=rng.randint(1, 7))
            state = ProgressUpdate.State.APPROVED
            if k == 6 and rng.random() < 0.2:
                state = ProgressUpdate.State.SUBMITTED
            elif profile == "troubled" and rng.random() < 0.15:
                state = ProgressUpdate.State.RETURNED
            reviewed = submitted + timedelta(days=rng.randint(1, 10))
            under_review = state == ProgressUpdate.State.SUBMITTED
            returned = state == ProgressUpdate.State.RETURNED
            period_id = next(
                (
                    pk
                    for pk, starts, ends in self.periods.get(activity.matrix_id, ())
                    if starts <= period_end <= ends and pk not in reported
                ),
                None,
            )
            if period_id is not None:
                reported.add(period_id)
            out["updates"].append(
                ProgressUpdate(
                    activity=activity,
                    period_id=period_id,
                    period_end=period_end,
                    percent_complete=percent,
                    narrative=f"Progress to {period_end.isoformat()}.",
                    author=self.author,
                    state=state,
                    submitted_at=_noon(submitted),
                    reviewer=None if under_review else self.reviewer,
                    reviewed_at=None if under_review else _noon(reviewed),
                    review_note="Please document the figures." if returned else "",
                )
            )

        secured = {"good": (0.7, 1.1), "slipping": (0.5, 0.9), "troubled": (0.1, 0.6)}[profile]
        total = activity.budget_required * Decimal(str(round(rng.uniform(*secured), 3)))
        first = max((total * Decimal("0.75")).quantize(CENT), Decimal("1000"))
        second = max((total - first).quantize(CENT), Decimal("1000"))
        out["funding"].append(
            FundingCommitment(
                activity=activity,
                donor=rng.choice(self.donors),
                amount=first,
                status=FundingCommitment.Status.COMMITTED,
                date=start - timedelta(days=rng.randint(0, 60)),
            )
        )
        out["funding"].append(
            FundingCommitment(
                activity=activity,
                donor=rng.choice(self.donors),
                amount=second,
                status=rng.choice(
                    [FundingCommitment.Status.RECEIVED, FundingCommitment.Status.PLEDGED]
                ),
                date=start + timedelta(days=rng.randint(30, 150)),
            )
        )

        partners = rng.sample(self.orgs, rng.randint(1, 3))
        roles = [ActivityParticipation.Role.LEAD, ActivityParticipation.Role.PARTNER]
        roles.append(ActivityParticipation.Role.SUPPORTING)
        for organization, role in zip(partners, roles, strict=False):
            out["participations"].append(
                ActivityParticipation(activity=activity, organization=organization, role=role)
            )


def _organizations() -> tuple[list[Organization], list[Organization]]:
    kinds = Organization.Kind
    orgs = [
        Organization.objects.get_or_create(
            acronym=f"SYN-IO{n}",
            defaults={
                "name": f"Synthetic organization {n}",
                "kind": kinds.INTERNATIONAL_ORGANIZATION,
            },
        )[0]
        for n in range(1, 7)
    ]
    donors = [
        Organization.objects.get_or_create(
            acronym=f"SYN-DONOR{n}", defaults={"name": f"Synthetic donor {n}", "kind": kinds.DONOR}
        )[0]
        for n in range(1, 4)
    ]
    return orgs, donors


def _user(username: str):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def generate_portfolio(
    *,
    activities: int,
    partnerships: int = 2,
    plans_per_partnership: int = 2,
    year: int = 2016,
    seed: int = 2016,
    slab: int = 2000,
    priority_every: int = 0,
) -> PortfolioSummary:
    """Write a synthetic portfolio of `activities` activities spread over `partnerships` ×
    `plans_per_partnership` adopted plans covering `year` (one matrix each); with
    `priority_every` N, one activity in N is designated a priority of `year`."""
    started = time.perf_counter()
    rng = random.Random(seed)
    tag = uuid.uuid4().hex[:8]
    orgs, donors = _organizations()
    author, reviewer = _user("synthetic-officer"), _user("synthetic-manager")
    areas = list(ThematicArea.objects.order_by("order"))
    builder = _Builder(rng, year, orgs, donors, author, reviewer)
    # Places from a generator of their own, so adding them changed no other synthetic figure.
    places = _Places(random.Random(seed + 1))

    partnership_ids, plan_ids, matrices = [], [], []
    for p in range(1, partnerships + 1):
        partnership = Partnership.objects.create(
            name=f"{PREFIX} {tag}-{p}", description="Synthetic data for benchmarks."
        )
        partnership.organizations.set(orgs)
        agreement = Agreement.objects.create(
            kind=Agreement.Kind.LEGAL_AGREEMENT,
            title=f"{PREFIX} agreement {tag}-{p}",
            signed_on=date(year - 1, 11, 1),
        )
        partnership_ids.append(partnership.pk)
        for n in range(1, plans_per_partnership + 1):
            plan = JointActionPlan.objects.create(
                partnership=partnership,
                agreement=agreement,
                title=f"{PREFIX} plan {tag}-{p}.{n}",
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                state=JointActionPlan.State.ADOPTED,
            )
            plan_ids.append(plan.pk)
            matrix = ActivityMatrix.objects.create(plan=plan, adopted_on=date(year - 1, 12, 15))
            matrices.append(matrix)
            calendar = set_reporting_calendar(
                actor=None, plan=plan, frequency=ReportingCalendar.Frequency.QUARTERLY
            )
            builder.periods[matrix.pk] = list(
                calendar.periods.order_by("starts_on").values_list("id", "starts_on", "ends_on")
            )

    totals = dict.fromkeys(builder.counts, 0)
    for first in range(0, activities, slab):
        with transaction.atomic():
            built = [
                builder.activity(matrices[i % len(matrices)], i + 1, areas, year)
                for i in range(first, min(first + slab, activities))
            ]
            Activity.objects.bulk_create([activity for activity, _ in built])
            out: dict[str, list] = {name: [] for name in totals}
            for activity, profile in built:
                builder.children(activity, profile, out)
            Milestone.objects.bulk_create(out["milestones"])
            Indicator.objects.bulk_create(out["indicators"])  # their ids now set, for measurements
            Measurement.objects.bulk_create(out["measurements"])
            ProgressUpdate.objects.bulk_create(out["updates"])
            FundingCommitment.objects.bulk_create(out["funding"])
            ActivityParticipation.objects.bulk_create(out["participations"])
            countries, regions = places.of([activity for activity, _ in built])
            ActivityCountry.objects.bulk_create(countries)
            ActivityRegion.objects.bulk_create(regions)
            for name, rows in out.items():
                totals[name] += len(rows)
    if priority_every:
        _designate_priorities(matrices, year, priority_every)
    refresh_after_bulk_write(plan_ids=plan_ids, reason="synthetic portfolio generated")

    return PortfolioSummary(
        partnership_ids=partnership_ids,
        plan_ids=plan_ids,
        activities=activities,
        milestones=totals["milestones"],
        indicators=totals["indicators"],
        measurements=totals["measurements"],
        updates=totals["updates"],
        funding_lines=totals["funding"],
        participations=totals["participations"],
        seconds=time.perf_counter() - started,
    )


class _Places:
    """Recipient countries (1–3 each, no shares) and now and then a region, for activities."""

    def __init__(self, rng: random.Random) -> None:
        from django_countries import countries

        self.rng = rng
        self.world = [code for code, _ in countries if code not in BUSY_COUNTRIES]
        self.regions = dict(Region.objects.filter(code__in=SOME_REGIONS).values_list("code", "pk"))

    def of(self, activities: list[Activity]) -> tuple[list[ActivityCountry], list[ActivityRegion]]:
        countries, regions = [], []
        for activity in activities:
            codes = set()
            for _ in range(self.rng.choice((1, 1, 2, 3))):
                pool = BUSY_COUNTRIES if self.rng.random() < 0.5 else self.world
                codes.add(self.rng.choice(pool))
            countries += [ActivityCountry(activity=activity, country=code) for code in codes]
            if self.regions and self.rng.random() < 0.2:
                region_id = self.regions[self.rng.choice(sorted(self.regions))]
                regions.append(ActivityRegion(activity=activity, region_id=region_id))
        return countries, regions


def _designate_priorities(matrices: list[ActivityMatrix], year: int, every: int) -> None:
    ids = list(
        Activity.objects.filter(matrix__in=matrices).order_by("id").values_list("id", flat=True)
    )[::every]
    rank = PriorityDesignation.objects.filter(year=year).count()
    PriorityDesignation.objects.bulk_create(
        PriorityDesignation(activity_id=pk, year=year, rank=rank + n, rationale="Synthetic.")
        for n, pk in enumerate(ids, start=1)
    )


# --- Removing synthetic portfolios ---------------------------------------------------------------


def _delete_with_dependents(
    model: type[models.Model], pk_sql: str, params: list, cursor, depth: int = 0
) -> None:
    """DELETE the rows of `model` whose key is in (pk_sql), their dependents first, in SQL.

    Not QuerySet.delete(): that loads every row and fires post_delete for each, which
    django-simple-history answers with one history row per deleted row — millions here. The
    dependents are found through the model registry (any app's models, imported by none), and
    PROTECT is followed like CASCADE because the whole portfolio goes.
    """
    if depth > 10:
        raise RuntimeError(f"Dependency chain too deep at {model.__name__}; is there a cycle?")
    q = connection.ops.quote_name
    meta = model._meta
    for relation in meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        child_field = relation.field
        on_delete = child_field.remote_field.on_delete
        if on_delete is models.DO_NOTHING or not getattr(child_field, "db_constraint", False):
            continue  # history tables keep their copies, unconstrained
        if relation.related_model is model:
            # A tree (results under results): its rows go with the rest of their kind in the
            # one DELETE below, whose constraint checks run at its end.
            continue
        child = relation.related_model._meta
        table, column = q(child.db_table), q(child_field.column)
        if on_delete is models.SET_NULL:
            cursor.execute(
                f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({pk_sql})", params
            )
            continue
        child_pks = f"SELECT {q(child.pk.column)} FROM {table} WHERE {column} IN ({pk_sql})"
        _delete_with_dependents(relation.related_model, child_pks, params, cursor, depth + 1)
    cursor.execute(
        f"DELETE FROM {q(meta.db_table)} WHERE {q(meta.pk.column)} IN ({pk_sql})", params
    )


@transaction.atomic
def delete_synthetic_portfolios() -> int:
    """Remove every synthetic portfolio (partnerships named "Synthetic portfolio …" and all that
    hangs off them, in any app). Returns how many partnerships went."""
    ids = list(Partnership.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    if not ids:
        return 0
    q = connection.ops.quote_name
    table, pk = q(Partnership._meta.db_table), q(Partnership._meta.pk.column)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        _delete_with_dependents(
            Partnership, f"SELECT {pk} FROM {table} WHERE {pk} IN ({marks})", ids, cursor
        )
    Agreement.objects.filter(title__startswith=PREFIX, plans__isnull=True).delete()
    return len(ids)


# --- A results chain over a plan (the results page's and the chain API's benchmark) ---------------


def generate_results_chain(
    *, plan_id: int, objectives: int = 3, outcomes: int = 3, outputs: int = 4, sources: int = 25
) -> int:
    """Objectives × outcomes × outputs over the plan, every activity of the plan contributing to
    one output (round robin, 100 %), and on each output an indicator summing the indicators of up
    to `sources` of its activities. Bulk-written like the portfolio. Returns the contributions."""
    # Imported here: devtools may import every app, the portfolio generator needs none of this.
    from results.models import Contribution, Level, Result, ResultIndicator

    made_outputs: list[Result] = []
    with transaction.atomic():
        for o in range(1, objectives + 1):
            objective = Result.objects.create(
                plan_id=plan_id, level=Level.OBJECTIVE, code=f"{o}", title=f"Objective {o}"
            )
            for c in range(1, outcomes + 1):
                outcome = Result.objects.create(
                    plan_id=plan_id,
                    parent=objective,
                    level=Level.OUTCOME,
                    code=f"{o}.{c}",
                    title=f"Outcome {o}.{c}",
                )
                for u in range(1, outputs + 1):
                    made_outputs.append(
                        Result.objects.create(
                            plan_id=plan_id,
                            parent=outcome,
                            level=Level.OUTPUT,
                            code=f"{o}.{c}.{u}",
                            title=f"Output {o}.{c}.{u}",
                        )
                    )
    ids = list(
        Activity.objects.filter(matrix__plan_id=plan_id).order_by("id").values_list("id", flat=True)
    )
    count = 0
    for first in range(0, len(ids), 5000):
        with transaction.atomic():
            batch = ids[first : first + 5000]
            Contribution.objects.bulk_create(
                Contribution(
                    output=made_outputs[(first + n) % len(made_outputs)],
                    activity_id=pk,
                    share=Decimal("100"),
                )
                for n, pk in enumerate(batch)
            )
            count += len(batch)
    through = ResultIndicator.sources.through
    for n, output in enumerate(made_outputs):
        indicator = ResultIndicator.objects.create(
            result=output,
            name="Officers trained",
            unit="officers",
            method=ResultIndicator.Method.SUM,
            baseline=Decimal("0"),
            baseline_date=date(2016, 1, 1),
            target=Decimal("1000"),
            target_date=date(2016, 12, 31),
            direction=Indicator.Direction.INCREASE,
        )
        members = ids[n :: len(made_outputs)][: sources * 4]
        source_ids = list(
            Indicator.objects.filter(activity_id__in=members)
            .order_by("id")
            .values_list("id", flat=True)[:sources]
        )
        through.objects.bulk_create(
            through(resultindicator_id=indicator.pk, indicator_id=pk) for pk in source_ids
        )
    return count
