"""Write a plan document made by `activities.plan_export` into a database, all or nothing
(`import_plan`, a service).

Reference records that already exist under their natural keys are reused as they are; missing
ones are created. People missing from the target are created with their role and organization and
no usable password (an administrator sets one); existing people are left untouched. A plan already
present (same partnership, title and start) is refused.

The activities and what hangs off them are created through `activities.services`, as a user
creating them by hand would (create_activity with its participations, designate_priority,
add_milestone, add_indicator, create_topic), so they pass the same rules. Three kinds of record
have no service that can write them as the document holds them — measurements keep the person who
recorded them, progress updates keep their authors, reviewers and final states, funding lines have
no service — and are validated one by one and then written in bulk, with their history rows. The
services' announcements are held while the plan is written; the import ends with the one
announcement of every bulk writer, `services.refresh_after_bulk_write`. (A service that wrote an
update as approved by a given reviewer would open a way around the four-eyes rule to every caller:
so these stay the importer's own, validated writes.) Records outside the activities domain
(organizations, people, partnership, agreements, plan, matrices, thematic areas, SDG targets) are
written through `partnership.services`, as the admin writes them.

Every problem is reported, not only the first, one message each naming the record and the field:
each field of the document is parsed strictly (a date that is not YYYY-MM-DD, a number that is not
one, a name the document does not define are errors, not crashes or silent blanks); each activity
is written in its own savepoint and each record under it checked on its own; the latest status
the activity carries (written by the engine elsewhere, so no service checks it) is checked against
the model. The import raises them all at the end, having written nothing. Records an activity
needs (organizations, people, reference data, agreements, the plan and its matrices) are checked
first, all of them; if any is invalid, the activities are not looked at, since every one of them
would repeat that error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime
from simple_history.utils import bulk_create_with_history

from activities import permissions, rules, services
from activities.exceptions import NotAllowed
from activities.models import (
    Activity,
    FundingCommitment,
    Indicator,
    Measurement,
    MonitoringStatus,
    ProgressUpdate,
    Topic,
)
from activities.plan_export import FORMAT, FORMAT_VERSION
from activities.services import ParticipationSpec
from partnership import services as framework
from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    SDGTarget,
    ThematicArea,
)

BULK_BATCH = 500

M = TypeVar("M")


class PlanAlreadyExists(ValidationError):
    """The target database already holds this plan (same partnership, title and start)."""


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _parse_date(value: Any, field: str = "date") -> dt.date | None:
    """A YYYY-MM-DD date or None; anything else is a ValidationError on `field` (parse_date
    alone returns None for "soon" and raises ValueError for "2016-02-30"). Bounds are the
    models' validators'."""
    if value in (None, ""):
        return None
    try:
        parsed = parse_date(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise _bad(field, f"“{value}” is not a date as YYYY-MM-DD.")
    return parsed


def _parse_datetime(value: Any, field: str = "time") -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise _bad(field, f"“{value}” is not a date and time in ISO 8601.")
    return parsed


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(value) if isinstance(value, str | int) else None
    except ArithmeticError:  # decimal.InvalidOperation
        number = None
    if number is None or not number.is_finite():
        raise _bad(field, f"“{value}” is not a number.")
    return number


def _integer(value: Any, field: str) -> int:
    """JSON integers only: a service comparing "3" with 1 would raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, f"“{value}” is not a whole number.")
    return value


def _lookup(known: dict[str, Any], key: Any, field: str, kind: str) -> Any:
    """A record the document defines under `key`, else a ValidationError naming it."""
    if not isinstance(key, str) or key not in known:
        raise _bad(field, f"The document defines no {kind} “{key}”.")
    return known[key]


def _check_reasons(reasons: Any) -> None:
    """The reasons beside an activity's status, as the engine writes them: a list of objects of
    strings (the pages and the API read `code`, `severity` and `message`)."""
    fine = isinstance(reasons, list) and all(
        isinstance(r, dict) and all(isinstance(v, str) for v in r.values()) for r in reasons
    )
    if not fine:
        raise _bad("status_reasons", "Give a list of reasons, each an object of strings.")


def _messages(exc: ValidationError) -> list[str]:
    """The error's messages, each after the field it is about."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if field == NON_FIELD_ERRORS else f"{field}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


class _Fields:
    """Parses a record's fields one by one, keeping every field's error rather than the first."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def take(self, parse: Callable[..., Any], *args: Any) -> Any:
        try:
            return parse(*args)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.errors.setdefault(field, []).extend(messages)
            return None

    def rule(self, errors: dict[str, list[str]]) -> None:
        """Add what a pure rule (activities.rules) says, for records no service writes."""
        for field, messages in errors.items():
            self.errors.setdefault(field, []).extend(messages)

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def clean(self, instance: models.Model, *, validate_unique: bool = True) -> None:
        """full_clean() of the fields that parsed, with the parse errors of the others: a record
        with a bad date and a bad status is reported for both."""
        try:
            instance.full_clean(exclude=set(self.errors), validate_unique=validate_unique)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.errors.setdefault(field, []).extend(messages)
        self.check()


class _InvalidActivity(Exception):
    """Rolls back an activity's savepoint once its records' errors are noted."""


class _Importer:
    """Writes one document, each record through its service (which validates it)."""

    def __init__(self, document: dict[str, Any], actor: AbstractBaseUser | None) -> None:
        self.doc = document
        self.actor = actor
        self.organizations: dict[str, Organization] = {}
        self.people: dict[str, Any] = {}
        self.agreements: dict[tuple[str, str], Agreement] = {}
        self.areas: dict[str, ThematicArea] = {}
        self.topics: dict[str, Topic] = {}
        self.targets: dict[str, SDGTarget] = {}
        self.statuses: list[Activity] = []  # activities whose latest status is still to write
        self.pending: list[models.Model] = []  # validated records to write in bulk
        self.current: list[models.Model] = []  # ... of the activity being written
        self.errors: list[str] = []

    def create(self, model: type[M], **values: Any) -> M:
        return framework.create_framework_record(model=model, values=values, actor=self.actor)

    def attempt(self, label: str, write: Callable[..., M], *args: Any) -> M | None:
        """One record written in a savepoint; if it is invalid, its errors are noted under
        `label` and None is returned."""
        try:
            with transaction.atomic():
                return write(*args)
        except ValidationError as exc:
            self.errors.extend(f"{label}: {message}" for message in _messages(exc))
            return None

    def stop_if_invalid(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def run(self) -> JointActionPlan:
        self.import_organizations()
        self.import_people()
        self.import_references()
        partnership = self.import_partnership()
        self.import_agreements()
        self.stop_if_invalid()  # every activity would repeat these errors
        assert partnership is not None
        plan_data = self.doc["plan"]
        start = _parse_date(plan_data["period_start"], "period_start")
        if JointActionPlan.objects.filter(
            partnership=partnership, title=plan_data["title"], period_start=start
        ).exists():
            raise PlanAlreadyExists(
                f"The plan “{plan_data['title']}” starting {plan_data['period_start']} already "
                f"exists in the partnership “{partnership.name}”; nothing was imported."
            )
        plan = self.attempt(f"Plan “{plan_data['title']}”", self.write_plan, partnership, plan_data)
        self.stop_if_invalid()
        assert plan is not None
        for matrix_data in self.doc["matrices"]:
            matrix = self.attempt(
                f"Matrix edition {matrix_data.get('edition')}",
                self.write_matrix,
                plan,
                matrix_data,
            )
            if matrix is None:
                continue  # its activities cannot be placed; the matrix's error says why
            for activity_data in matrix_data["activities"]:
                self.import_activity_or_note_errors(matrix, activity_data)
        self.stop_if_invalid()
        self.write_pending()
        return plan

    def write_plan(self, partnership: Partnership, data: dict[str, Any]) -> JointActionPlan:
        fields = _Fields()
        agreement = fields.take(self.agreement_named, data["agreement"], "agreement")
        start = fields.take(_parse_date, data["period_start"], "period_start")
        end = fields.take(_parse_date, data["period_end"], "period_end")
        fields.check()
        return self.create(
            JointActionPlan,
            partnership=partnership,
            agreement=agreement,
            title=data["title"],
            period_start=start,
            period_end=end,
            state=data["state"],
            objectives=data["objectives"],
        )

    def write_matrix(self, plan: JointActionPlan, data: dict[str, Any]) -> ActivityMatrix:
        fields = _Fields()
        edition = fields.take(_integer, data["edition"], "edition")
        adopted_on = fields.take(_parse_date, data["adopted_on"], "adopted_on")
        fields.check()
        return self.create(
            ActivityMatrix, plan=plan, edition=edition, adopted_on=adopted_on, notes=data["notes"]
        )

    def import_activity_or_note_errors(self, matrix: ActivityMatrix, data: dict[str, Any]) -> None:
        """Write one activity in a savepoint; if it or a record under it is invalid, roll it
        back and note why, each problem once."""
        self.current = []
        label = f"Activity {data.get('code', '(no code)')}"
        problems: list[str] = []
        try:
            with transaction.atomic():
                activity = self.import_activity(matrix, data, problems)
                if problems:
                    raise _InvalidActivity
        except ValidationError as exc:  # the activity itself: nothing under it can be checked
            problems.extend(_messages(exc))
        except _InvalidActivity:
            pass
        except KeyError as exc:
            problems.append(f"the record has no {exc} field.")
        except (TypeError, AttributeError) as exc:  # e.g. a string where a list belongs
            problems.append(f"the record is malformed ({exc}).")
        if problems:
            self.errors.extend(f"{label}{'' if m.startswith(',') else ': '}{m}" for m in problems)
            return
        self.statuses.append(activity)
        self.pending.extend(self.current)

    def import_organizations(self) -> None:
        for data in self.doc["organizations"]:
            org = Organization.objects.filter(acronym=data["acronym"]).first()
            if org is None:
                label = f"Organization {data['acronym']}"
                org = self.attempt(label, lambda d: self.create(Organization, **d), data)
            if org is not None:
                self.organizations[data["acronym"]] = org

    def import_people(self) -> None:
        for data in self.doc["people"]:
            user = get_user_model().objects.filter(username=data["username"]).first()
            if user is None:
                user = self.attempt(f"Person {data['username']}", self.write_person, data)
            if user is not None:
                self.people[data["username"]] = user

    def write_person(self, data: dict[str, Any]) -> Any:
        organization = None
        if data["role"] and data["organization"]:
            organization = _lookup(
                self.organizations, data["organization"], "organization", "organization"
            )
        return framework.create_person(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=data["role"] or "",
            organization=organization,
            actor=self.actor,
        )

    def import_references(self) -> None:
        def topic(row: dict[str, Any]) -> Topic:
            return services.create_topic(actor=self.actor, **row)

        for model, data, cache, write in (
            (ThematicArea, self.doc["thematic_areas"], self.areas, None),
            (Topic, self.doc["topics"], self.topics, topic),
            (SDGTarget, self.doc["sdg_targets"], self.targets, None),
        ):
            for row in data:
                record = model.objects.filter(code=row["code"]).first()
                if record is None:
                    label = f"{model._meta.verbose_name.capitalize()} {row['code']}"
                    create = write or (lambda r, m=model: self.create(m, **r))
                    record = self.attempt(label, create, row)
                if record is not None:
                    cache[row["code"]] = record

    def import_partnership(self) -> Partnership | None:
        data = self.doc["partnership"]
        partnership = Partnership.objects.filter(name=data["name"]).first()
        if partnership is None:
            partnership = self.attempt(
                f"Partnership “{data['name']}”", self.write_partnership, data
            )
        return partnership

    def write_partnership(self, data: dict[str, Any]) -> Partnership:
        fields = _Fields()
        members = [
            fields.take(_lookup, self.organizations, a, "organizations", "organization")
            for a in data["organizations"]
        ]
        fields.check()
        return self.create(
            Partnership,
            name=data["name"],
            description=data["description"],
            organizations=members,
        )

    @staticmethod
    def _key(data: dict[str, str]) -> tuple[str, str]:
        return (data["title"], data["signed_on"])

    def agreement_named(self, data: dict[str, str], field: str) -> Agreement:
        key = self._key(data)
        if key not in self.agreements:
            raise _bad(field, f"The document defines no agreement “{key[0]}” of {key[1]}.")
        return self.agreements[key]

    def import_agreements(self) -> None:
        for data in self.doc["agreements"]:  # oldest first: what one builds on exists already
            label = f"Agreement “{data['title']}”"
            agreement = self.attempt(label, self.find_or_write_agreement, data)
            if agreement is not None:
                self.agreements[self._key(data)] = agreement

    def find_or_write_agreement(self, data: dict[str, Any]) -> Agreement:
        fields = _Fields()
        signed_on = fields.take(_parse_date, data["signed_on"], "signed_on")
        entry = fields.take(_parse_date, data["entry_into_force"], "entry_into_force")
        end_on = fields.take(_parse_date, data["end_on"], "end_on")
        builds_on = None
        if data["builds_on"]:
            builds_on = fields.take(self.agreement_named, data["builds_on"], "builds_on")
        parties = [
            fields.take(_lookup, self.organizations, a, "parties", "organization")
            for a in data["parties"]
        ]
        fields.check()
        agreement = Agreement.objects.filter(title=data["title"], signed_on=signed_on).first()
        if agreement is None:
            agreement = self.create(
                Agreement,
                kind=data["kind"],
                title=data["title"],
                signed_on=signed_on,
                place=data["place"],
                entry_into_force=entry,
                end_on=end_on,
                builds_on=builds_on,
                summary=data["summary"],
                document_url=data["document_url"],
                parties=parties,
            )
        return agreement

    def import_activity(
        self, matrix: ActivityMatrix, data: dict[str, Any], problems: list[str]
    ) -> Activity:
        """Create the activity through the services (a ValidationError: the activity itself is
        invalid), then each record under it, noting each invalid one in `problems` and going on,
        so that every problem of the activity is reported."""
        actor = self.actor
        people, orgs = self.people, self.organizations
        fields = _Fields()
        area = fields.take(_lookup, self.areas, data["thematic_area"], "thematic_area", "area")
        topics = [fields.take(_lookup, self.topics, c, "topics", "topic") for c in data["topics"]]
        targets = [
            fields.take(_lookup, self.targets, c, "sdg_targets", "SDG target")
            for c in data["sdg_targets"]
        ]
        participations = [
            ParticipationSpec(
                organization=fields.take(
                    _lookup, orgs, p["organization"], "participations", "organization"
                ),
                role=p["role"],
                contribution=p["contribution"],
            )
            for p in data["participations"]
        ]
        liaisons = [
            fields.take(_lookup, people, u, "liaison_officers", "person")
            for u in data["liaison_officers"]
        ]
        start = fields.take(_parse_date, data["start_date"], "start_date")
        end = fields.take(_parse_date, data["end_date"], "end_date")
        budget = fields.take(_decimal, data["budget_required"], "budget_required")
        fields.check()
        activity = services.create_activity(
            actor=actor,
            matrix=matrix,
            code=data["code"],
            title=data["title"],
            description=data["description"],
            thematic_area=area,
            cooperation_type=data["cooperation_type"],
            horizon=data["horizon"],
            lifecycle=data["lifecycle"],
            start_date=start,
            end_date=end,
            budget_required=budget,
            currency=data["currency"],
            is_illustrative=data["is_illustrative"],
            topics=topics,
            sdg_targets=targets,
            participations=participations,
            liaison_officers=liaisons,
        )

        def check(where: str, write: Callable[..., Any], *args: Any) -> None:
            try:
                write(*args)
            except ValidationError as exc:
                prefix = f", {where}: " if where else ""
                problems.extend(f"{prefix}{message}" for message in _messages(exc))

        check("", self.take_status, activity, data)
        for p in data["priorities"]:
            check(f"priority {p.get('year')}", self.add_priority, activity, p)
        for m in data["milestones"]:
            check(f"milestone “{m.get('title')}”", self.add_milestone, activity, m)
        for i in data["indicators"]:
            check(f"indicator “{i.get('name')}”", self.add_indicator, activity, i)
        for u in data["progress_updates"]:
            check(f"progress update to {u.get('period_end')}", self.add_update, activity, u)
        for f in data["funding"]:
            check(f"funding from {f.get('donor')}", self.add_funding, activity, f)
        return activity

    def take_status(self, activity: Activity, data: dict[str, Any]) -> None:
        """The latest assessment travels with the activity; only the engine writes it otherwise,
        so no service checks it: the model does (a bogus status broke every export)."""
        fields = _Fields()
        activity.status = data["status"]
        # Checked here: Django skips the choices of a field that is not editable.
        if activity.status not in ("", *MonitoringStatus.values):
            fields.errors["status"] = [f"“{activity.status}” is not a monitoring status."]
        activity.status_as_of = fields.take(_parse_date, data["status_as_of"], "status_as_of")
        activity.status_reasons = data["status_reasons"]
        fields.take(_check_reasons, data["status_reasons"])
        # Only status_as_of is left to the model (its bounds); the rest was checked when the
        # activity was created.
        others = {f.name for f in Activity._meta.fields} - {"status_as_of"} | set(fields.errors)
        try:
            activity.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                fields.errors.setdefault(field, []).extend(messages)
        fields.check()

    def add_priority(self, activity: Activity, p: dict[str, Any]) -> None:
        fields = _Fields()
        year = fields.take(_integer, p["year"], "year")
        rank = fields.take(_integer, p["rank"], "rank")
        fields.check()
        services.designate_priority(
            actor=self.actor, activity=activity, year=year, rank=rank, rationale=p["rationale"]
        )

    def add_milestone(self, activity: Activity, m: dict[str, Any]) -> None:
        fields = _Fields()
        due = fields.take(_parse_date, m["due_date"], "due_date")
        weight = fields.take(_integer, m["weight"], "weight")
        completed = fields.take(_parse_date, m["completed_on"], "completed_on")
        fields.check()
        services.add_milestone(
            actor=self.actor,
            activity=activity,
            title=m["title"],
            due_date=due,
            weight=weight,
            completed_on=completed,
            # Absent from documents exported before the rule: not confirmed.
            outside_period_confirmed=bool(m.get("outside_period_confirmed", False)),
        )

    def add_indicator(self, activity: Activity, i: dict[str, Any]) -> None:
        fields = _Fields()
        baseline = fields.take(_decimal, i["baseline"], "baseline")
        baseline_date = fields.take(_parse_date, i["baseline_date"], "baseline_date")
        target = fields.take(_decimal, i["target"], "target")
        target_date = fields.take(_parse_date, i["target_date"], "target_date")
        fields.check()
        indicator = services.add_indicator(
            actor=self.actor,
            activity=activity,
            name=i["name"],
            unit=i["unit"],
            baseline=baseline,
            baseline_date=baseline_date,
            target=target,
            target_date=target_date,
            direction=i["direction"],
            kind=i.get("kind", Indicator.Kind.NUMBER),  # absent from older documents
        )
        days = [m["measured_on"] for m in i["measurements"]]
        if len(days) != len(set(days)):
            raise ValidationError({"measured_on": ["Two values are recorded on one day."]})
        fields = _Fields()
        for m in i["measurements"]:
            # Unique (indicator, day) is checked above: the indicator is new.
            fields.take(self.add_measurement, indicator, m)
        fields.check()

    def add_measurement(self, indicator: Any, m: dict[str, Any]) -> None:
        fields = _Fields()
        measured_on = fields.take(_parse_date, m["measured_on"], "measured_on")
        value = fields.take(_decimal, m["value"], "value")
        fields.rule(rules.measurement_errors({"value": value}, kind=indicator.kind))
        recorded_by = None
        if m["recorded_by"]:
            recorded_by = fields.take(
                _lookup, self.people, m["recorded_by"], "recorded_by", "person"
            )
        self.later(
            Measurement(
                indicator=indicator,
                measured_on=measured_on,
                value=value,
                note=m["note"],
                recorded_by=recorded_by,
            ),
            fields,
            validate_unique=False,
        )

    def add_update(self, activity: Activity, u: dict[str, Any]) -> None:
        fields = _Fields()
        period_end = fields.take(_parse_date, u["period_end"], "period_end")
        percent = fields.take(_integer, u["percent_complete"], "percent_complete")
        author = fields.take(_lookup, self.people, u["author"], "author", "person")
        reviewer = None
        if u["reviewer"]:
            reviewer = fields.take(_lookup, self.people, u["reviewer"], "reviewer", "person")
        submitted_at = fields.take(_parse_datetime, u["submitted_at"], "submitted_at")
        reviewed_at = fields.take(_parse_datetime, u["reviewed_at"], "reviewed_at")
        fields.rule(
            rules.update_errors(
                {"period_end": period_end},
                activity_start=activity.start_date,
                activity_end=activity.end_date,
            )
        )
        self.later(
            ProgressUpdate(
                activity=activity,
                period_end=period_end,
                percent_complete=percent,
                narrative=u["narrative"],
                risks=u["risks"],
                author=author,
                state=u["state"],
                submitted_at=submitted_at,
                reviewer=reviewer,
                reviewed_at=reviewed_at,
                review_note=u["review_note"],
            ),
            fields,
        )

    def add_funding(self, activity: Activity, f: dict[str, Any]) -> None:
        fields = _Fields()
        donor = fields.take(_lookup, self.organizations, f["donor"], "donor", "organization")
        amount = fields.take(_decimal, f["amount"], "amount")
        date = fields.take(_parse_date, f["date"], "date")
        self.later(
            FundingCommitment(
                activity=activity,
                donor=donor,
                amount=amount,
                currency=f["currency"],
                status=f["status"],
                date=date,
            ),
            fields,
        )

    def later(
        self, instance: models.Model, fields: _Fields, *, validate_unique: bool = True
    ) -> None:
        """Validate a record that no service writes, to be written in bulk at the end."""
        fields.clean(instance, validate_unique=validate_unique)
        self.current.append(instance)

    def write_pending(self) -> None:
        Activity.objects.bulk_update(
            self.statuses, ["status", "status_as_of", "status_reasons"], batch_size=BULK_BATCH
        )
        for model in (Measurement, ProgressUpdate, FundingCommitment):
            instances = [i for i in self.pending if type(i) is model]
            bulk_create_with_history(
                instances, model, batch_size=BULK_BATCH, default_user=self.actor
            )


@transaction.atomic
def import_plan(
    *, document: dict[str, Any], actor: AbstractBaseUser | None = None
) -> JointActionPlan:
    """Write a document made by `export_plan`: all of it or, on any error, nothing.

    `actor`: the manager or administrator the audit history names as author of the imported
    records; None for an operator command that names nobody. Raises NotAllowed for any other
    actor, PlanAlreadyExists when the database holds a plan with the same partnership, title and
    start, and ValidationError (with every invalid activity's errors) when the document is not
    such an export or records are invalid."""
    if actor is not None and not permissions.is_manager(actor):
        raise NotAllowed("Only managers and administrators import plans.")
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            f"Not a plan export (expected format “{FORMAT}” version {FORMAT_VERSION})."
        )
    try:
        with services.announcements_held():
            plan = _Importer(document, actor).run()
    except KeyError as exc:
        raise ValidationError(
            f"The document is incomplete or inconsistent: {exc} is missing."
        ) from exc
    services.refresh_after_bulk_write(plan_ids=[plan.pk], reason="plan imported")
    return plan
