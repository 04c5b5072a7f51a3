"""Writes the 2016 demo data set (`activities.demo.data`) into the database, idempotently.

Every record is found by its natural key (organization acronym, agreement title, plan title,
matrix (plan, edition), activity (matrix, code), milestone (activity, title), indicator (activity,
name), measurement (indicator, measured_on), update (activity, period_end), funding (activity,
donor, date), priority (activity, year), username) and is saved only when a value differs, so a
second run writes nothing: no new rows, no new history rows, no version bumps. A re-run after
someone edited a demo record puts the reference values back (and bumps the record's version, so an
edit started before it is refused as stale). Records the data set does not name are left alone,
except participations: a demo activity's participants and lead are exactly the data set's.

This module writes in bulk rather than record by record through `activities.services`: an
operator loading reference data needs no permission checks. It ends, when it changed anything, as
every bulk writer does: with `services.refresh_after_bulk_write`, which announces the change to
monitoring. The `load_demo` command then replays the monitoring for the whole of 2016.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from activities import services
from activities.demo import data
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
    ReportingPeriod,
    Topic,
)
from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)

M = TypeVar("M", bound=models.Model)

# Reports are submitted in the morning and reviewed later that day or on a later one (UTC).
SUBMITTED_AT = time(9, 0)
REVIEWED_AT = time(10, 0)


class DemoDataError(ValueError):
    """The data set contradicts itself or the database (a broken reference, not one lead)."""


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    role: str
    organization: str  # acronym, "" when none
    created: bool
    # The generated password, only on the run that created the user; never stored in clear.
    generated_password: str | None = None


@dataclass(slots=True)
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)  # model name → rows created
    updated: Counter[str] = field(default_factory=Counter)  # model (or model.field) → rows changed
    logins: list[Login] = field(default_factory=list)
    password_source: str = "kept"  # "env" (DEMO_PASSWORD) | "generated" | "kept"

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def load_demo(*, password: str | None = None) -> LoadReport:
    """Load (or restore) the 2016 demo data set.

    `password`: when given (DEMO_PASSWORD), every demo user gets it, on every run. When not, a
    user created by this run gets a generated password, returned once in the report; existing
    users keep theirs.
    """
    validate_data()
    writer = _Writer()
    topics = _write_topics(writer)
    organizations = _write_organizations(writer)
    matrix = _write_framework(writer, organizations)
    users = _write_users(writer, organizations, password=password)
    areas = {area.code: area for area in ThematicArea.objects.all()}
    targets = {target.code: target for target in SDGTarget.objects.all()}
    quarters = _write_calendar(matrix.plan)
    context = _Context(organizations, topics, areas, targets, users, quarters)
    for spec in data.ACTIVITIES:
        _write_activity(writer, matrix, spec, context)
    if writer.report.changed_anything:
        services.refresh_after_bulk_write(plan_ids=[matrix.plan_id], reason="demo data loaded")
    return writer.report


def validate_data() -> None:
    """Refuse a data set that would break a rule before anything is written."""
    acronyms = {spec["acronym"] for spec in data.ORGANIZATIONS}
    topic_codes = {code for code, _ in data.TOPICS}
    problems: list[str] = []
    for spec in data.ACTIVITIES:
        code = spec["code"]
        roles = [p["role"] for p in spec["participations"]]
        if roles.count(ActivityParticipation.Role.LEAD) != 1:
            problems.append(f"{code}: needs exactly one lead, has {roles}.")
        orgs = [p["organization"] for p in spec["participations"]]
        if len(set(orgs)) != len(orgs):
            problems.append(f"{code}: an organization participates twice.")
        named = set(orgs) | {f["donor"] for f in spec.get("funding", [])}
        if unknown := named - acronyms:
            problems.append(f"{code}: unknown organizations {sorted(unknown)}.")
        if unknown := set(spec["topics"]) - topic_codes:
            problems.append(f"{code}: unknown topics {sorted(unknown)}.")
    codes = [spec["code"] for spec in data.ACTIVITIES]
    if len(set(codes)) != len(codes):
        problems.append("Activity codes repeat.")
    if problems:
        raise DemoDataError(" ".join(problems))


# --- Writing only what differs --------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.report = LoadReport()
        # Rows created by this run: filling their relations is part of creating them.
        self._created: set[tuple[type[models.Model], Any]] = set()

    def _count_relation_change(self, instance: models.Model, relation: str) -> None:
        if (type(instance), instance.pk) not in self._created:
            self.report.updated[f"{type(instance).__name__}.{relation}"] += 1

    def upsert(self, model: type[M], *, key: Mapping[str, Any], values: Mapping[str, Any]) -> M:
        """The row with `key`, created or brought to `values`; saved only if something differs."""
        name = model.__name__
        instance = model._default_manager.filter(**key).first()
        if instance is None:
            instance = model(**key, **values)
            instance.full_clean()
            instance.save()
            self.report.created[name] += 1
            self._created.add((model, instance.pk))
            return instance
        changed = [f for f, wanted in values.items() if _differs(instance, f, wanted)]
        if changed:
            for field_name in changed:
                setattr(instance, field_name, values[field_name])
            if hasattr(instance, "version"):
                instance.version += 1
            instance.full_clean()
            instance.save()
            self.report.updated[name] += 1
        return instance

    def set_exactly(
        self, instance: models.Model, relation: str, wanted: Iterable[models.Model]
    ) -> None:
        """Make a many-to-many relation exactly `wanted` (touching it only if it differs)."""
        manager = getattr(instance, relation)
        wanted = list(wanted)
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in wanted}:
            manager.set(wanted)
            self._count_relation_change(instance, relation)

    def include(
        self, instance: models.Model, relation: str, wanted: Iterable[models.Model]
    ) -> None:
        """Add what is missing to a many-to-many relation, keeping what others added."""
        manager = getattr(instance, relation)
        present = set(manager.values_list("pk", flat=True))
        missing = [obj for obj in wanted if obj.pk not in present]
        if missing:
            manager.add(*missing)
            self._count_relation_change(instance, relation)


def _differs(instance: models.Model, field_name: str, wanted: Any) -> bool:
    model_field = instance._meta.get_field(field_name)
    if model_field.is_relation:
        return getattr(instance, model_field.attname) != (None if wanted is None else wanted.pk)
    return getattr(instance, field_name) != wanted


def _at(day: date | None, moment: time) -> datetime | None:
    return None if day is None else datetime.combine(day, moment, tzinfo=UTC)


# --- The framework --------------------------------------------------------------------------------


def _write_topics(writer: _Writer) -> dict[str, Topic]:
    return {
        code: writer.upsert(Topic, key={"code": code}, values={"name": name})
        for code, name in data.TOPICS
    }


def _write_organizations(writer: _Writer) -> dict[str, Organization]:
    return {
        spec["acronym"]: writer.upsert(
            Organization,
            key={"acronym": spec["acronym"]},
            values={"name": spec["name"], "kind": spec["kind"], "website": spec["website"]},
        )
        for spec in data.ORGANIZATIONS
    }


def _write_framework(writer: _Writer, organizations: dict[str, Organization]) -> ActivityMatrix:
    spec = data.PARTNERSHIP
    partnership = writer.upsert(
        Partnership, key={"name": spec["name"]}, values={"description": spec["description"]}
    )
    writer.set_exactly(
        partnership, "organizations", [organizations[a] for a in spec["organizations"]]
    )

    agreements: dict[str, Agreement] = {}
    for spec in data.AGREEMENTS:  # in order: an agreement builds on an earlier one
        agreement = writer.upsert(
            Agreement,
            key={"title": spec["title"]},
            values={
                "kind": spec["kind"],
                "signed_on": spec["signed_on"],
                "place": spec["place"],
                "entry_into_force": spec["entry_into_force"],
                "builds_on": agreements[spec["builds_on"]] if spec["builds_on"] else None,
                "summary": spec["summary"],
                "document_url": spec["document_url"],
            },
        )
        writer.set_exactly(agreement, "parties", [organizations[a] for a in spec["parties"]])
        agreements[spec["title"]] = agreement

    spec = data.PLAN
    plan = writer.upsert(
        JointActionPlan,
        key={"title": spec["title"]},
        values={
            "partnership": partnership,
            "agreement": agreements[spec["agreement"]],
            "period_start": spec["period_start"],
            "period_end": spec["period_end"],
            "state": spec["state"],
            "objectives": spec["objectives"],
        },
    )
    return writer.upsert(
        ActivityMatrix,
        key={"plan": plan, "edition": data.MATRIX["edition"]},
        values={"adopted_on": data.MATRIX["adopted_on"], "notes": data.MATRIX["notes"]},
    )


# --- Users ----------------------------------------------------------------------------------------


def _write_users(
    writer: _Writer, organizations: dict[str, Organization], *, password: str | None
) -> dict[str, AbstractBaseUser]:
    user_model = get_user_model()
    users: dict[str, AbstractBaseUser] = {}
    writer.report.password_source = "env" if password else "kept"
    for spec in data.USERS:
        user = user_model._default_manager.filter(username=spec["username"]).first()
        created = user is None
        if created:
            user = user_model(username=spec["username"])
        wanted = {
            **{f: spec[f] for f in ("first_name", "last_name", "email")},
            # Only the admin login opens /admin/.
            "is_staff": spec.get("is_staff", False),
            "is_superuser": spec.get("is_superuser", False),
        }
        changed = [f for f, value in wanted.items() if getattr(user, f) != value]
        for field_name in changed:
            setattr(user, field_name, wanted[field_name])
        generated = None
        if password:
            # check_password first: re-hashing an unchanged password would rewrite the row.
            if created or not user.check_password(password):
                user.set_password(password)
                changed.append("password")
        elif created:
            generated = secrets.token_urlsafe(12)
            user.set_password(generated)
            writer.report.password_source = "generated"
        if created or changed:
            user.full_clean()
            user.save()
            if created:
                writer.report.created[user_model.__name__] += 1
            else:
                writer.report.updated[user_model.__name__] += 1
        organization = organizations[spec["organization"]] if spec["organization"] else None
        writer.upsert(
            Profile, key={"user": user}, values={"role": spec["role"], "organization": organization}
        )
        users[spec["username"]] = user
        writer.report.logins.append(
            Login(
                username=spec["username"],
                role=spec["role"],
                organization=spec["organization"] or "",
                created=created,
                generated_password=generated,
            )
        )
    return users


# --- Reporting calendar ---------------------------------------------------------------------------


def _write_calendar(plan: JointActionPlan) -> dict[date, ReportingPeriod]:
    """The plan's quarterly calendar (data.REPORTING), set once: a calendar already there is
    kept (its periods are reported on)."""
    if not ReportingCalendar.objects.filter(plan=plan).exists():
        services.set_reporting_calendar(actor=None, plan=plan, **data.REPORTING)
    return {p.ends_on: p for p in ReportingPeriod.objects.filter(calendar__plan=plan)}


# --- Activities -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    organizations: dict[str, Organization]
    topics: dict[str, Topic]
    areas: dict[str, ThematicArea]
    targets: dict[str, SDGTarget]
    users: dict[str, AbstractBaseUser]
    # The reporting periods by their last day: a quarter-end update reports on its quarter.
    periods: dict[date, ReportingPeriod]

    def reporter(self, spec: Mapping[str, Any]) -> AbstractBaseUser:
        """Who reports on an activity: the liaison officer of its lead organization, else of
        another participating partner, else the manager."""
        ordered = sorted(spec["participations"], key=lambda p: p["role"] != "lead")
        for part in ordered:
            if part["organization"] in data.LIAISON:
                return self.users[data.LIAISON[part["organization"]]]
        return self.users[data.MANAGER]


def _lookup(table: Mapping[str, M], code: str, what: str) -> M:
    try:
        return table[code]
    except KeyError:
        raise DemoDataError(f"Unknown {what} '{code}' (is the database migrated?).") from None


def _write_activity(
    writer: _Writer, matrix: ActivityMatrix, spec: Mapping[str, Any], context: _Context
) -> Activity:
    activity = writer.upsert(
        Activity,
        key={"matrix": matrix, "code": spec["code"]},
        values={
            "title": spec["title"],
            "description": spec["description"],
            "thematic_area": _lookup(context.areas, spec["thematic_area"], "thematic area"),
            "cooperation_type": spec["cooperation_type"],
            "horizon": spec["horizon"],
            "lifecycle": spec["lifecycle"],
            "start_date": spec["start_date"],
            "end_date": spec["end_date"],
            "budget_required": spec["budget_required"],
            "currency": "USD",
            "is_illustrative": spec["is_illustrative"],
        },
    )
    writer.set_exactly(activity, "topics", [context.topics[c] for c in spec["topics"]])
    writer.set_exactly(
        activity,
        "sdg_targets",
        [_lookup(context.targets, c, "SDG target") for c in spec["sdg_targets"]],
    )
    liaisons = [
        context.users[data.LIAISON[p["organization"]]]
        for p in spec["participations"]
        if p["organization"] in data.LIAISON
    ]
    writer.include(activity, "liaison_officers", liaisons)

    _write_participations(writer, activity, spec["participations"], context)

    if priority := spec.get("priority"):
        writer.upsert(
            PriorityDesignation,
            key={"activity": activity, "year": data.PRIORITY_YEAR},
            values={
                "rank": priority["rank"],
                "rationale": priority["rationale"] + data.PRIORITY_NOTE,
            },
        )

    for item in spec.get("milestones", []):
        writer.upsert(
            Milestone,
            key={"activity": activity, "title": item["title"]},
            values={
                "due_date": item["due_date"],
                "completed_on": item["completed_on"],
                "weight": item["weight"],
            },
        )

    reporter = context.reporter(spec)
    for item in spec.get("indicators", []):
        indicator = writer.upsert(
            Indicator,
            key={"activity": activity, "name": item["name"]},
            values={
                "unit": item["unit"],
                "baseline": item["baseline"],
                "baseline_date": item["baseline_date"],
                "target": item["target"],
                "target_date": item["target_date"],
                "direction": item["direction"],
            },
        )
        for measurement in item["measurements"]:
            writer.upsert(
                Measurement,
                key={"indicator": indicator, "measured_on": measurement["measured_on"]},
                values={
                    "value": measurement["value"],
                    "note": measurement["note"],
                    "recorded_by": reporter,
                },
            )

    manager = context.users[data.MANAGER]
    for item in spec.get("updates", []):
        reviewed = item["reviewed_on"] is not None
        writer.upsert(
            ProgressUpdate,
            key={"activity": activity, "period_end": item["period_end"]},
            values={
                "percent_complete": item["percent_complete"],
                "narrative": item["narrative"],
                "risks": item["risks"],
                "author": reporter,
                "state": item["state"],
                "submitted_at": _at(item["submitted_on"], SUBMITTED_AT),
                "reviewer": manager if reviewed else None,
                "reviewed_at": _at(item["reviewed_on"], REVIEWED_AT),
                "review_note": item["review_note"],
                "period": context.periods.get(item["period_end"]),
            },
        )

    for item in spec.get("funding", []):
        writer.upsert(
            FundingCommitment,
            key={
                "activity": activity,
                "donor": context.organizations[item["donor"]],
                "date": item["date"],
            },
            values={"amount": item["amount"], "currency": "USD", "status": item["status"]},
        )
    return activity


def _write_participations(
    writer: _Writer, activity: Activity, parts: list[dict[str, Any]], context: _Context
) -> None:
    """Make the activity's participations exactly the data set's: who takes part, and who
    leads, defines a demo activity (and a leftover lead would block the new one)."""
    wanted = [context.organizations[part["organization"]] for part in parts]
    stale = activity.participations.exclude(organization__in=wanted)
    if removed := len(stale):
        for participation in stale:
            participation.delete()
        writer.report.updated["ActivityParticipation.removed"] += removed
    # The lead last: the database allows one lead at a time, so a demoted lead goes first.
    for part in sorted(parts, key=lambda p: p["role"] == "lead"):
        writer.upsert(
            ActivityParticipation,
            key={"activity": activity, "organization": context.organizations[part["organization"]]},
            values={"role": part["role"], "contribution": part["contribution"]},
        )
