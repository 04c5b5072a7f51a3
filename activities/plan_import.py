"""Write a plan document made by `activities.plan_export` into a database, all or nothing
(`import_plan`, a service).

Reference records that already exist under their natural keys are reused as they are; missing
ones are created. People missing from the target are created with their role and organization and
no usable password (an administrator sets one); existing people are left untouched. A plan already
present (same partnership, title and start) is refused.

The activities and what hangs off them are created through `activities.services`, as a user
creating them by hand would (create_activity with its participations, designate_priority,
add_milestone, add_indicator), so they pass the same rules. Three kinds of record have no service
that can write them as the document holds them — measurements keep the person who recorded them,
progress updates keep their authors, reviewers and final states, funding lines have no service —
and are validated one by one and then written in bulk, with their history rows. The services'
announcements are held while the plan is written; the import ends with the one announcement of
every bulk writer, `services.refresh_after_bulk_write`. Records outside the activities domain
(organizations, people, partnership, agreements, plan, matrices) have no service either and are
saved one by one after `full_clean()`.

Every invalid activity is reported, not only the first: each is written in its own savepoint, its
errors are collected, and the import raises them all at the end (writing nothing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime
from simple_history.utils import bulk_create_with_history

from activities import permissions, services
from activities.exceptions import NotAllowed
from activities.models import (
    Activity,
    FundingCommitment,
    Measurement,
    ProgressUpdate,
    Topic,
)
from activities.plan_export import FORMAT, FORMAT_VERSION
from activities.services import ParticipationSpec
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

BULK_BATCH = 500


class PlanAlreadyExists(ValidationError):
    """The target database already holds this plan (same partnership, title and start)."""


def _parse_date(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def _parse_datetime(value: str | None) -> dt.datetime | None:
    return parse_datetime(value) if value else None


def _messages(exc: ValidationError) -> list[str]:
    """The error's messages, each after the field it is about."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if field == NON_FIELD_ERRORS else f"{field}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


class _Importer:
    """Writes one document; every record is validated (full_clean) before it is saved."""

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
        self.where = ""  # the record being written, for error messages
        self.errors: list[str] = []

    def save(self, instance: models.Model) -> models.Model:
        instance.full_clean()
        if self.actor is not None:
            instance._history_user = self.actor  # the import's author in the audit history
        instance.save()
        return instance

    def run(self) -> JointActionPlan:
        self.import_organizations()
        self.import_people()
        self.import_references()
        partnership = self.import_partnership()
        self.import_agreements()
        plan_data = self.doc["plan"]
        start = _parse_date(plan_data["period_start"])
        if JointActionPlan.objects.filter(
            partnership=partnership, title=plan_data["title"], period_start=start
        ).exists():
            raise PlanAlreadyExists(
                f"The plan “{plan_data['title']}” starting {plan_data['period_start']} already "
                f"exists in the partnership “{partnership.name}”; nothing was imported."
            )
        plan = self.save(
            JointActionPlan(
                partnership=partnership,
                agreement=self.agreements[self._key(plan_data["agreement"])],
                title=plan_data["title"],
                period_start=start,
                period_end=_parse_date(plan_data["period_end"]),
                state=plan_data["state"],
                objectives=plan_data["objectives"],
            )
        )
        for matrix_data in self.doc["matrices"]:
            matrix = self.save(
                ActivityMatrix(
                    plan=plan,
                    edition=matrix_data["edition"],
                    adopted_on=_parse_date(matrix_data["adopted_on"]),
                    notes=matrix_data["notes"],
                )
            )
            for activity_data in matrix_data["activities"]:
                self.import_activity_or_note_errors(matrix, activity_data)
        if self.errors:
            raise ValidationError(self.errors)
        self.write_pending()
        return plan

    def import_activity_or_note_errors(self, matrix: ActivityMatrix, data: dict[str, Any]) -> None:
        """Write one activity in a savepoint; if it is invalid, roll it back and note why."""
        self.current, self.where = [], ""
        try:
            with transaction.atomic():
                activity = self.import_activity(matrix, data)
        except ValidationError as exc:
            where = f", {self.where}" if self.where else ""
            self.errors.extend(
                f"Activity {data['code']}{where}: {message}" for message in _messages(exc)
            )
            return
        self.statuses.append(activity)
        self.pending.extend(self.current)

    def import_organizations(self) -> None:
        for data in self.doc["organizations"]:
            org = Organization.objects.filter(acronym=data["acronym"]).first()
            self.organizations[data["acronym"]] = org or self.save(Organization(**data))

    def import_people(self) -> None:
        User = get_user_model()
        for data in self.doc["people"]:
            user = User.objects.filter(username=data["username"]).first()
            if user is None:
                user = User(
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
                user.set_unusable_password()
                user.full_clean()
                user.save()
                if data["role"]:
                    self.save(
                        Profile(
                            user=user,
                            role=data["role"],
                            organization=self.organizations.get(data["organization"] or ""),
                        )
                    )
            self.people[data["username"]] = user

    def import_references(self) -> None:
        for model, key, data, cache in (
            (ThematicArea, "code", self.doc["thematic_areas"], self.areas),
            (Topic, "code", self.doc["topics"], self.topics),
            (SDGTarget, "code", self.doc["sdg_targets"], self.targets),
        ):
            for row in data:
                existing = model.objects.filter(**{key: row[key]}).first()
                cache[row[key]] = existing or self.save(model(**row))

    def import_partnership(self) -> Partnership:
        data = self.doc["partnership"]
        partnership = Partnership.objects.filter(name=data["name"]).first()
        if partnership is None:
            partnership = self.save(Partnership(name=data["name"], description=data["description"]))
            partnership.organizations.set([self.organizations[a] for a in data["organizations"]])
        return partnership

    @staticmethod
    def _key(data: dict[str, str]) -> tuple[str, str]:
        return (data["title"], data["signed_on"])

    def import_agreements(self) -> None:
        for data in self.doc["agreements"]:  # oldest first: what one builds on exists already
            signed_on = _parse_date(data["signed_on"])
            agreement = Agreement.objects.filter(title=data["title"], signed_on=signed_on).first()
            if agreement is None:
                agreement = self.save(
                    Agreement(
                        kind=data["kind"],
                        title=data["title"],
                        signed_on=signed_on,
                        place=data["place"],
                        entry_into_force=_parse_date(data["entry_into_force"]),
                        end_on=_parse_date(data["end_on"]),
                        builds_on=self.agreements[self._key(data["builds_on"])]
                        if data["builds_on"]
                        else None,
                        summary=data["summary"],
                        document_url=data["document_url"],
                    )
                )
                agreement.parties.set([self.organizations[a] for a in data["parties"]])
            self.agreements[self._key(data)] = agreement

    def import_activity(self, matrix: ActivityMatrix, data: dict[str, Any]) -> Activity:
        actor = self.actor
        activity = services.create_activity(
            actor=actor,
            matrix=matrix,
            code=data["code"],
            title=data["title"],
            description=data["description"],
            thematic_area=self.areas[data["thematic_area"]],
            cooperation_type=data["cooperation_type"],
            horizon=data["horizon"],
            lifecycle=data["lifecycle"],
            start_date=_parse_date(data["start_date"]),
            end_date=_parse_date(data["end_date"]),
            budget_required=Decimal(data["budget_required"]),
            currency=data["currency"],
            is_illustrative=data["is_illustrative"],
            topics=[self.topics[c] for c in data["topics"]],
            sdg_targets=[self.targets[c] for c in data["sdg_targets"]],
            participations=[
                ParticipationSpec(
                    organization=self.organizations[p["organization"]],
                    role=p["role"],
                    contribution=p["contribution"],
                )
                for p in data["participations"]
            ],
        )
        activity.liaison_officers.set([self.people[u] for u in data["liaison_officers"]])
        # The latest assessment travels with the activity; only the engine writes it otherwise.
        activity.status = data["status"]
        activity.status_as_of = _parse_date(data["status_as_of"])
        activity.status_reasons = data["status_reasons"]
        for p in data["priorities"]:
            self.where = f"priority {p['year']}"
            services.designate_priority(
                actor=actor,
                activity=activity,
                year=p["year"],
                rank=p["rank"],
                rationale=p["rationale"],
            )
        for m in data["milestones"]:
            self.where = f"milestone “{m['title']}”"
            services.add_milestone(
                actor=actor,
                activity=activity,
                title=m["title"],
                due_date=_parse_date(m["due_date"]),
                weight=m["weight"],
                completed_on=_parse_date(m["completed_on"]),
            )
        for i in data["indicators"]:
            self.where = f"indicator “{i['name']}”"
            indicator = services.add_indicator(
                actor=actor,
                activity=activity,
                name=i["name"],
                unit=i["unit"],
                baseline=Decimal(i["baseline"]),
                baseline_date=_parse_date(i["baseline_date"]),
                target=Decimal(i["target"]),
                target_date=_parse_date(i["target_date"]),
                direction=i["direction"],
            )
            days = [m["measured_on"] for m in i["measurements"]]
            if len(days) != len(set(days)):
                raise ValidationError({"measured_on": ["Two values are recorded on one day."]})
            for m in i["measurements"]:
                # Unique (indicator, day) is checked above: the indicator is new.
                self.later(
                    Measurement(
                        indicator=indicator,
                        measured_on=_parse_date(m["measured_on"]),
                        value=Decimal(m["value"]),
                        note=m["note"],
                        recorded_by=self.people.get(m["recorded_by"] or ""),
                    ),
                    validate_unique=False,
                )
        for u in data["progress_updates"]:
            self.where = f"progress update to {u['period_end']}"
            self.later(
                ProgressUpdate(
                    activity=activity,
                    period_end=_parse_date(u["period_end"]),
                    percent_complete=u["percent_complete"],
                    narrative=u["narrative"],
                    risks=u["risks"],
                    author=self.people[u["author"]],
                    state=u["state"],
                    submitted_at=_parse_datetime(u["submitted_at"]),
                    reviewer=self.people.get(u["reviewer"] or ""),
                    reviewed_at=_parse_datetime(u["reviewed_at"]),
                    review_note=u["review_note"],
                )
            )
        for f in data["funding"]:
            self.where = f"funding from {f['donor']}"
            self.later(
                FundingCommitment(
                    activity=activity,
                    donor=self.organizations[f["donor"]],
                    amount=Decimal(f["amount"]),
                    currency=f["currency"],
                    status=f["status"],
                    date=_parse_date(f["date"]),
                )
            )
        return activity

    def later(self, instance: models.Model, *, validate_unique: bool = True) -> None:
        """Validate a record that no service writes, to be written in bulk at the end."""
        instance.full_clean(validate_unique=validate_unique)
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
