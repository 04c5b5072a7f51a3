"""Uploading the Activity Matrix workbook: a dry run, then, once a manager confirms, the same
writes for real (`run_upload`); and keeping an uploaded file between the two (`stage_upload`).

Both runs are the same code. Every row is read and compared with the plan as it is now: added (no
id), changed (with the old and new value of each cell), unchanged, in conflict (changed, and its
record's version is no longer the one downloaded: someone else changed it, so it is not
overwritten), or in error (with its sheet, row and column). The writes then go through the
services (`activities.services`), each in its own savepoint so that
every row's problems are found, not only the first: a dry run reports what the services would
refuse, not a guess. A dry run always rolls back; an apply commits only when no row has a
problem or a conflict, and any failure in the middle (an exception, a database error) rolls the
whole upload back. Records of the plan missing from the file are kept or removed, as the caller
says (`MissingRows`); there is no default.

Child rows (participations, milestones, indicators, funding) name their activity by code, as on
the activities sheet, so a new activity and its milestones can be added in one file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import transaction

from activities import permissions, services
from activities.exceptions import ConflictError, NotAllowed
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Milestone,
    Topic,
)
from activities.services import ParticipationSpec
from exchange.columns import SHEETS, SHEETS_BY_NAME, CellError, Kind, Sheet, parse, shown
from exchange.models import Upload
from exchange.report import (
    Change,
    MissingRecord,
    MissingRows,
    Outcome,
    Problem,
    Report,
    RowReport,
)
from exchange.selectors import PlanRows, plan_rows
from exchange.workbook import Manifest, RawRow, UnreadableFile, read_workbook
from partnership.models import JointActionPlan, Organization, SDGTarget, ThematicArea

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MODELS = {
    "activities": Activity,
    "participations": ActivityParticipation,
    "milestones": Milestone,
    "indicators": Indicator,
    "funding": FundingCommitment,
}
# Columns that are bookkeeping or links, not values a service writes.
NOT_WRITTEN = frozenset({"id", "version", "activity", "matrix_edition"})
# A service's error about one of these model fields belongs in this column.
FIELD_COLUMNS = {"matrix": "matrix_edition"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _required(spec: Sheet) -> set[str]:
    """The columns whose model field takes no empty value."""
    model = MODELS[spec.name]
    names = set()
    for column in spec.columns:
        if column.name in NOT_WRITTEN or column.kind in (Kind.CODES, Kind.BOOLEAN):
            continue
        if not model._meta.get_field(column.model_field).blank:
            names.add(column.name)
    return names


REQUIRED = {spec.name: _required(spec) for spec in SHEETS}


@dataclass(eq=False)
class _Entry:
    """One row of the file on its way through the upload."""

    raw: RawRow
    spec: Sheet
    values: dict[str, Any]
    report: RowReport
    record: Any = None  # the database record the row's id names
    old: dict[str, Any] | None = None
    parent: _Entry | None = None  # a child row's activity row in the file
    parent_record: Activity | None = None  # ... or its kept activity, missing from the file
    children: list[_Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Fit to be written: no problem, no conflict."""
        return not self.report.problems and self.report.outcome != Outcome.CONFLICT

    def problem(self, column: str | None, message: str) -> None:
        self.report.problems.append(Problem(self.spec.name, self.raw.number, column, message))
        self.report.outcome = Outcome.ERROR

    def changed_values(self) -> dict[str, Any]:
        return {c.column: self.values[c.column] for c in self.report.changes}


def _label(sheet: str, values: dict[str, Any]) -> str:
    if sheet == "activities":
        return f"activity {values.get('code') or '?'}"
    name = values.get("title") or values.get("name") or values.get("organization")
    name = name or values.get("donor") or ""
    return f"{sheet[:-1]} of {values.get('activity') or '?'}: {name}".rstrip(": ")


def _error_columns(exc: ValidationError) -> list[tuple[str | None, str]]:
    if not hasattr(exc, "error_dict"):
        return [(None, message) for message in exc.messages]
    return [
        (None if key == NON_FIELD_ERRORS else FIELD_COLUMNS.get(key, key), message)
        for key, messages in exc.message_dict.items()
        for message in messages
    ]


class _Upload:
    def __init__(
        self,
        *,
        actor: AbstractBaseUser | None,
        db: PlanRows,
        raw_rows: list[RawRow],
        manifest: Manifest | None,
        report: Report,
    ) -> None:
        self.actor = actor
        self.db = db
        self.report = report
        self.remove = report.missing_rows == MissingRows.REMOVE
        self.entries = [self._parsed(raw) for raw in raw_rows]
        self.by_sheet: dict[str, list[_Entry]] = defaultdict(list)
        for entry in self.entries:
            self.by_sheet[entry.spec.name].append(entry)
        self.areas = {a.code: a for a in ThematicArea.objects.all()}
        self.organizations = {o.acronym: o for o in Organization.objects.all()}
        self.topics = {t.code: t for t in Topic.objects.all()}
        self.targets = {t.code: t for t in SDGTarget.objects.all()}
        self.written: dict[int, Activity] = {}  # id(activity entry) -> its activity, as written
        self.manifest = manifest
        # sheet -> id -> version (as downloaded) of the records to remove
        self.removed: dict[str, dict[int, str]] = defaultdict(dict)

    # --- reading and comparing ---------------------------------------------------------------

    def _parsed(self, raw: RawRow) -> _Entry:
        spec = SHEETS_BY_NAME[raw.sheet]
        values: dict[str, Any] = {}
        report = RowReport(raw.sheet, raw.number, None, "", Outcome.UNCHANGED)
        entry = _Entry(raw, spec, values, report)
        for column in spec.columns:
            try:
                values[column.name] = parse(column, raw.cells[column.name])
            except CellError as exc:
                entry.problem(column.name, str(exc))
        report.id = values.get("id")
        report.label = _label(raw.sheet, values)
        return entry

    def check(self) -> None:
        for spec in SHEETS:
            self._match_ids(spec)
        activities_by_code: dict[str, list[_Entry]] = defaultdict(list)
        for entry in self.by_sheet["activities"]:
            activities_by_code[entry.values.get("code", "")].append(entry)
            self._check_activity(entry)
        kept_by_code = {}
        if not self.remove:
            listed = {e.values.get("id") for e in self.by_sheet["activities"]}
            kept_by_code = {
                values["code"]: self.db.records["activities"][pk]
                for pk, values in self.db.rows.get("activities", {}).items()
                if pk not in listed
            }
        for spec in SHEETS[1:]:
            for entry in self.by_sheet[spec.name]:
                self._link(entry, activities_by_code, kept_by_code)
        for entry in self.entries:
            self._check_values(entry)
            self._compare(entry)
        self._note_missing()

    def _match_ids(self, spec: Sheet) -> None:
        known = self.db.rows.get(spec.name, {})
        seen: set[int] = set()
        for entry in self.by_sheet[spec.name]:
            pk = entry.values.get("id")
            if pk is None:
                continue
            if pk in seen:
                entry.problem("id", f"Id {pk} is on two rows of this sheet.")
            elif pk not in known:
                entry.problem("id", f"This plan has no {spec.name[:-1]} with id {pk}.")
            else:
                entry.record = self.db.records[spec.name][pk]
                entry.old = known[pk]
            seen.add(pk)

    def _check_activity(self, entry: _Entry) -> None:
        edition = entry.values.get("matrix_edition")
        if entry.old is not None:
            if edition is not None and edition != entry.old["matrix_edition"]:
                entry.problem(
                    "matrix_edition",
                    "An activity does not move to another edition: remove it and add it there.",
                )
        elif edition not in self.db.matrices:
            editions = ", ".join(str(e) for e in self.db.matrices) or "none"
            entry.problem("matrix_edition", f"The plan has no edition {edition} ({editions}).")

    def _link(
        self,
        entry: _Entry,
        activities_by_code: dict[str, list[_Entry]],
        kept_by_code: dict[str, Activity],
    ) -> None:
        code = entry.values.get("activity", "")
        candidates = activities_by_code.get(code, [])
        if len(candidates) > 1:
            entry.problem("activity", f"Two rows of the activities sheet have the code “{code}”.")
            return
        if candidates:
            entry.parent = candidates[0]
            entry.parent.children.append(entry)
            parent_id = entry.parent.values.get("id")
        elif code in kept_by_code:
            entry.parent_record = kept_by_code[code]
            parent_id = entry.parent_record.pk
        else:
            entry.problem("activity", f"No activity “{code}” on the activities sheet.")
            return
        if entry.record is not None and entry.record.activity_id != parent_id:
            entry.problem(
                "activity",
                "A row does not move to another activity: remove it and add a new row there.",
            )

    def _check_values(self, entry: _Entry) -> None:
        values = entry.values
        for name in REQUIRED[entry.spec.name]:
            if name in values and values[name] in (None, ""):
                entry.problem(name, "Required.")
        lookups = {
            "thematic_area": self.areas,
            "organization": self.organizations,
            "donor": self.organizations,
        }
        for name, known in lookups.items():
            value = values.get(name)
            if value and value not in known:
                entry.problem(name, f"“{value}” is not known here.")
        for name, known in (("topics", self.topics), ("sdg_targets", self.targets)):
            unknown = [code for code in values.get(name, ()) if code not in known]
            if unknown:
                entry.problem(name, f"Not known here: {', '.join(unknown)}.")
        versioned = entry.spec.name not in ("funding",)
        if entry.old is not None and versioned and not values.get("version", "").isdigit():
            entry.problem("version", "Leave the version as downloaded (a whole number).")

    def _compare(self, entry: _Entry) -> None:
        if entry.old is None:
            if entry.ok:
                entry.report.outcome = Outcome.ADDED
            return
        skip = NOT_WRITTEN if entry.spec.name != "activities" else {"id", "version"}
        entry.report.changes = [
            Change(column.name, shown(entry.old[column.name]), shown(entry.values[column.name]))
            for column in entry.spec.columns
            if column.name not in skip
            and column.name in entry.values
            and entry.values[column.name] != entry.old[column.name]
        ]
        if not entry.ok:
            return
        if not entry.report.changes:
            entry.report.outcome = Outcome.UNCHANGED
        elif entry.values["version"] != entry.old["version"]:
            entry.report.outcome = Outcome.CONFLICT
            entry.report.conflict = (
                f"Changed by someone else since the download (version {entry.values['version']}, "
                f"now {entry.old['version']}): not overwritten. Download the matrix again and "
                "redo this row's edits."
            )
        else:
            entry.report.outcome = Outcome.CHANGED

    def _note_missing(self) -> None:
        """The plan's records the file does not list. With the download's manifest, one added
        since the download is kept (the file never had it), and one changed since the download
        is a conflict rather than removed; without the manifest, each is kept or removed."""
        for spec in SHEETS:
            listed = {e.values.get("id") for e in self.by_sheet[spec.name]}
            for pk, values in self.db.rows.get(spec.name, {}).items():
                if pk in listed:
                    continue
                action, note = ("removed" if self.remove else "kept"), ""
                downloaded = self.manifest.get((spec.name, pk)) if self.manifest else None
                if self.remove and self.manifest is not None:
                    if downloaded is None:
                        action, note = "kept", "added since the download"
                    elif downloaded != values["version"]:
                        action, note = "conflict", "changed since the download: not removed"
                if action == "removed":
                    self.removed[spec.name][pk] = downloaded or values["version"]
                label = _label(spec.name, values)
                self.report.missing.append(MissingRecord(spec.name, pk, label, action, note))

    # --- writing -----------------------------------------------------------------------------

    def _attempt(
        self, entry: _Entry | None, write: Any, *, label: str = "", sheet: str = ""
    ) -> Any:
        """One write in a savepoint; its refusal is noted on the row (or, for a record missing
        from the file, on the report) and None returned."""
        try:
            with transaction.atomic():
                return write()
        except ValidationError as exc:
            for column, message in _error_columns(exc):
                self._note(entry, column, message, label=label, sheet=sheet)
        except ConflictError as exc:
            if entry is None:
                self._note(None, "version", str(exc), label=label, sheet=sheet)
            else:
                entry.report.outcome = Outcome.CONFLICT
                entry.report.conflict = str(exc)
        except ObjectDoesNotExist:
            message = "Removed by someone else since the download."
            self._note(entry, "id", message, label=label, sheet=sheet)
        except NotAllowed as exc:
            self._note(entry, None, str(exc), label=label, sheet=sheet)
        return None

    def _note(
        self,
        entry: _Entry | None,
        column: str | None,
        message: str,
        *,
        label: str,
        sheet: str,
    ) -> None:
        if entry is None:
            self.report.other_problems.append(Problem(sheet, None, column, f"{label}: {message}"))
        else:
            entry.problem(column, message)

    def write(self) -> None:
        for entry in self.by_sheet["activities"]:
            self._write_activity(entry)
        writers = {
            "milestones": self._write_milestone,
            "indicators": self._write_indicator,
            "funding": self._write_funding,
        }
        for sheet, writer in writers.items():
            for entry in self.by_sheet[sheet]:
                activity = self._activity_of(entry)
                if entry.ok and activity is not None and entry.report.outcome != Outcome.UNCHANGED:
                    writer(entry, activity)
        if self.remove:
            self._remove_missing()

    def _activity_of(self, entry: _Entry) -> Activity | None:
        if entry.parent_record is not None:
            return entry.parent_record
        if entry.parent is not None:
            # An activity whose own row failed still has its record: its rows are checked
            # against it, so that their problems are reported too.
            return self.written.get(id(entry.parent)) or entry.parent.record
        return None

    def _specs(self, entry: _Entry) -> list[ParticipationSpec] | None:
        """The activity's participations as the file and the choice for missing rows make them;
        None when they stay as they are."""
        rows = [c for c in entry.children if c.spec.name == "participations"]
        listed = {c.values.get("id") for c in rows}
        existing = entry.record.participations.all() if entry.record is not None else ()
        unlisted = [p for p in existing if p.pk not in listed]
        removed = [p for p in unlisted if p.pk in self.removed["participations"]]
        touched = any(c.report.outcome in (Outcome.ADDED, Outcome.CHANGED) for c in rows)
        if entry.record is not None and not touched and not removed:
            return None
        specs = [
            ParticipationSpec(
                organization=self.organizations[c.values["organization"]],
                role=c.values["role"],
                contribution=c.values["contribution"],
            )
            for c in rows
        ]
        specs += [
            ParticipationSpec(p.organization, p.role, p.contribution)
            for p in unlisted
            if p.pk not in self.removed["participations"]
        ]
        return specs

    def _write_activity(self, entry: _Entry) -> None:
        participations = [c for c in entry.children if c.spec.name == "participations"]
        if not entry.ok or any(not c.ok for c in participations):
            return  # the problems are reported; a write would only repeat them
        values = entry.values
        specs = self._specs(entry)
        relations = {
            "thematic_area": self.areas.get(values["thematic_area"]),
            "topics": [self.topics[c] for c in values["topics"]],
            "sdg_targets": [self.targets[c] for c in values["sdg_targets"]],
        }
        if entry.record is None:
            plain = {c: values[c] for c in values if c not in NOT_WRITTEN and c not in relations}
            activity = self._attempt(
                entry,
                lambda: services.create_activity(
                    actor=self.actor,
                    matrix=self.db.matrices[values["matrix_edition"]],
                    participations=specs or [],
                    **plain,
                    **relations,
                ),
            )
        elif entry.report.outcome == Outcome.CHANGED or specs is not None:
            stale = values["version"] != entry.old["version"]
            if specs is not None and entry.report.outcome == Outcome.UNCHANGED and stale:
                # Only its participations change: the activity's version guards them too.
                entry.report.outcome = Outcome.CONFLICT
                entry.report.conflict = (
                    "Its participations change, but the activity was changed by someone else "
                    "since the download: not overwritten."
                )
                return
            changes = {
                name: relations.get(name, value) for name, value in entry.changed_values().items()
            }
            if specs is not None:
                changes["participations"] = specs
            activity = self._attempt(
                entry,
                lambda: services.update_activity(
                    actor=self.actor,
                    activity=entry.record,
                    version=int(values["version"]),
                    changes=changes,
                ),
            )
        else:
            activity = entry.record if entry.report.outcome == Outcome.UNCHANGED else None
        if activity is not None:
            self.written[id(entry)] = activity

    def _write_milestone(self, entry: _Entry, activity: Activity) -> None:
        v = entry.values
        if entry.record is None:
            self._attempt(
                entry,
                lambda: services.add_milestone(
                    actor=self.actor,
                    activity=activity,
                    title=v["title"],
                    due_date=v["due_date"],
                    weight=v["weight"],
                    completed_on=v["completed_on"],
                    outside_period_confirmed=v["outside_period_confirmed"],
                ),
            )
        elif entry.report.outcome == Outcome.CHANGED:
            self._attempt(
                entry,
                lambda: services.update_milestone(
                    actor=self.actor,
                    milestone=entry.record,
                    version=int(v["version"]),
                    changes=entry.changed_values(),
                ),
            )

    def _write_indicator(self, entry: _Entry, activity: Activity) -> None:
        v = entry.values
        if entry.record is None:
            fields = {c: v[c] for c in v if c not in NOT_WRITTEN}
            self._attempt(
                entry,
                lambda: services.add_indicator(actor=self.actor, activity=activity, **fields),
            )
        elif entry.report.outcome == Outcome.CHANGED:
            self._attempt(
                entry,
                lambda: services.update_indicator(
                    actor=self.actor,
                    indicator=entry.record,
                    version=int(v["version"]),
                    changes=entry.changed_values(),
                ),
            )

    def _write_funding(self, entry: _Entry, activity: Activity) -> None:
        v = entry.values
        fields = {c: v[c] for c in v if c not in NOT_WRITTEN}
        fields["donor"] = self.organizations[v["donor"]]
        if entry.record is None:
            self._attempt(
                entry,
                # The activity's version is not named: the line is new, and the activity's own
                # row (written first) already had its version checked.
                lambda: services.add_funding(
                    actor=self.actor, activity=activity, version=None, **fields
                ),
            )
        elif entry.report.outcome == Outcome.CHANGED:
            changes = {name: fields[name] for name in entry.changed_values()}
            self._attempt(
                entry,
                lambda: services.update_funding(
                    actor=self.actor,
                    commitment=entry.record,
                    version=None,
                    fingerprint=v["version"],
                    changes=changes,
                ),
            )

    def _remove_missing(self) -> None:
        """Remove the records to remove, each at the version it had when downloaded (so a change
        made since is a conflict, even without the manifest's early notice)."""
        removed_activities = set(self.removed["activities"])
        deleters = {
            "milestones": lambda r, v: services.delete_milestone(
                actor=self.actor, milestone=r, version=int(v)
            ),
            "indicators": lambda r, v: services.delete_indicator(
                actor=self.actor, indicator=r, version=int(v)
            ),
            "funding": lambda r, v: services.remove_funding(
                actor=self.actor, commitment=r, version=None, fingerprint=v
            ),
        }
        labels = {(m.sheet, m.id): m.label for m in self.report.missing}
        for sheet, delete in deleters.items():
            for pk, version in self.removed[sheet].items():
                record = self.db.records[sheet][pk]
                if record.activity_id not in removed_activities:  # else it goes with it
                    self._attempt(
                        None,
                        lambda r=record, v=version, d=delete: d(r, v),
                        label=labels[(sheet, pk)],
                        sheet=sheet,
                    )
        # Participations missing from the file were dropped by their activity's update.
        for pk, version in self.removed["activities"].items():
            record = self.db.records["activities"][pk]
            self._attempt(
                None,
                lambda r=record, v=version: services.delete_activity(
                    actor=self.actor, activity=r, version=int(v)
                ),
                label=labels[("activities", pk)],
                sheet="activities",
            )


@transaction.atomic
def run_upload(
    *,
    actor: AbstractBaseUser | None,
    plan_id: int,
    content: bytes,
    missing_rows: MissingRows,
    apply: bool,
) -> Report:
    """Read an Activity Matrix workbook for the plan and report every row (see the module
    docstring). With `apply`, write it if and only if the report has no problem and no conflict
    (`report.applied` says whether it was written); without, write nothing. `actor`: a manager
    (NotAllowed otherwise), or None for an operator command. Raises JointActionPlan.DoesNotExist.
    """
    if actor is not None and not permissions.is_manager(actor):
        raise NotAllowed("Only managers upload an Activity Matrix.")
    missing_rows = MissingRows(missing_rows)
    report = Report(plan_id=plan_id, missing_rows=missing_rows)
    db = plan_rows(plan_id=plan_id)
    try:
        raw_rows, problems, manifest = read_workbook(content)
    except UnreadableFile as exc:
        report.file_problems.append(Problem("(file)", None, None, str(exc)))
        return report
    report.file_problems.extend(Problem(p.sheet, p.row, p.column, p.message) for p in problems)
    if report.file_problems:
        return report  # a sheet or column missing: every row would be misread
    upload = _Upload(actor=actor, db=db, raw_rows=raw_rows, manifest=manifest, report=report)
    upload.check()
    report.rows = [e.report for e in upload.entries]
    with services.announcements_held():
        upload.write()
    if apply and report.can_apply:
        services.refresh_after_bulk_write(plan_ids=[plan_id], reason="matrix uploaded")
        report.applied = True
    else:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def stage_upload(
    *, actor: AbstractBaseUser, plan: JointActionPlan, file_name: str, content: bytes
) -> Upload:
    """Keep an uploaded workbook between its dry run and the manager's confirmation. It
    replaces the manager's earlier upload for the plan, if one was neither confirmed nor
    discarded: one pending file per manager and plan, so abandoned ones do not pile up."""
    if not permissions.is_manager(actor):
        raise NotAllowed("Only managers upload an Activity Matrix.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [f"The file is over {MAX_UPLOAD_BYTES // 2**20} MB."]})
    Upload.objects.filter(plan=plan, uploaded_by=actor).delete()
    upload = Upload(plan=plan, uploaded_by=actor, file_name=file_name[:200], content=content)
    upload.full_clean()
    upload.save()
    return upload


@transaction.atomic
def discard_upload(*, upload: Upload) -> None:
    upload.delete()
