"""Status figures of a plan on a date, read from stored snapshots (read-through).

The live selectors (`monitoring.selectors.status_counts*`, `monitoring.dashboard_selectors`)
stay the reference: a snapshot is what they returned, stored per (plan, assessed date) with the
plan's data version read *before* they ran. Triggers bump that version on every write that can
change a figure (migration 0003), so a snapshot is valid exactly while its version is current:
a write committed after the version was read bumps it, which makes this race-free under READ
COMMITTED. A missing or outdated snapshot is computed live and upserted; two readers filling the
same one write the same figures, and the upsert makes the second a harmless overwrite.

Keyed by assessed date: the status in effect on any date is that of the latest assessed date on
or before it (nothing was assessed in between), so the snapshot of that date serves every day up
to the next run. Overdue milestones depend on the day itself, so they are stored only for the
assessed date and read live on other days.

Besides the counts, a snapshot keeps the first items of the dashboard's bounded lists (off track
and at risk, stale reports, overdue milestones) as ids in order, with their totals: pages read
codes and titles for those few ids, never the plan's whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, IntegerField, JSONField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from monitoring import dashboard_selectors as ds
from monitoring import selectors
from monitoring.models import PlanAssessedDate, PlanDataVersion, StatusSnapshot
from monitoring.selectors import STATUSES, StatusCountRow
from partnership.models import JointActionPlan, Organization, ThematicArea

OVERALL, BY_AREA, BY_ORGANIZATION, ATTENTION, OVERDUE = (
    "overall",
    "by_area",
    "by_organization",
    "attention",
    "overdue",
)
PARTS = (OVERALL, BY_AREA, BY_ORGANIZATION, ATTENTION, OVERDUE)
# How many items of each dashboard list a snapshot keeps (the page shows at most this many).
LIST_LIMIT = 50


@dataclass
class PlanFigures:
    """The parts asked for (the others None). `assessed_on` is the assessed date the figures
    stand on (None: nothing assessed by then); area and organization rows carry no names."""

    assessed_on: dt.date | None
    overall: StatusCountRow | None = None
    by_area: list[StatusCountRow] | None = None
    by_organization: list[StatusCountRow] | None = None
    attention: dict | None = None  # see StatusSnapshot.attention
    overdue: dict | None = None  # see StatusSnapshot.overdue; None on a day not assessed


def version_of(plan: int | OuterRef) -> Coalesce:
    """The plan's current data version, as an expression to read in the same statement as what
    it vouches for (`plan`: an id or an OuterRef to one)."""
    version = PlanDataVersion.objects.filter(plan_id=plan).values("version")[:1]
    # No row yet: no write since the triggers were installed; the first one inserts version 1.
    return Coalesce(Subquery(version), Value(0), output_field=IntegerField())


def plans_with_stale_figures() -> list[int]:
    """Ids of the plans with assessments whose snapshot of their latest assessed date is missing
    or older than the plan's data version (one query)."""
    latest = (
        PlanAssessedDate.objects.filter(plan_id=OuterRef("pk"), assessments__gt=0)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    current = StatusSnapshot.objects.filter(
        plan_id=OuterRef("pk"), as_of=OuterRef("latest"), version=OuterRef("figures_version")
    )
    return list(
        JointActionPlan.objects.annotate(
            latest=Subquery(latest), figures_version=version_of(OuterRef("pk"))
        )
        .filter(latest__isnull=False)
        .exclude(Exists(current))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _upsert(snapshots: list[StatusSnapshot]) -> None:
    """Store snapshots of (plan, date): a concurrent fill of the same version wrote the same
    figures, and one of an older version is replaced (its parts not given become empty)."""
    StatusSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["plan", "as_of"],
        update_fields=["version", *PARTS, "computed_at"],
    )


def _row_to_json(row: StatusCountRow) -> list:
    return [row.key, {s: n for s, n in row.counts.items() if n}, row.unassessed]


def _row_from_json(data: list, name: str = "") -> StatusCountRow:
    key, counts, unassessed = data
    row = StatusCountRow(key=key, name=name)
    for status in STATUSES:
        row.counts[status] = counts.get(status, 0)
    row.unassessed = unassessed
    return row


def _compute(plan_id: int, on: dt.date, as_of: dt.date, parts: Iterable[str]) -> dict:
    """The parts, from the live selectors (one or two queries each)."""
    values: dict = {}
    for part in parts:
        if part == OVERALL:
            values[part] = _row_to_json(selectors.status_counts(plan_id=plan_id, as_of=on))
        elif part == BY_AREA:
            rows = selectors.status_counts_by_thematic_area(plan_id=plan_id, as_of=on)
            values[part] = [_row_to_json(row) for row in rows]
        elif part == BY_ORGANIZATION:
            rows = selectors.status_counts_by_organization(plan_id=plan_id, as_of=on)
            values[part] = [_row_to_json(row) for row in rows]
        elif part == ATTENTION:
            items = ds.needing_attention(plan_id=plan_id, as_of=on)
            stale = ds.stale_reports(items)
            values[part] = {
                "total": len(items),
                "items": [
                    [i.activity_id, i.status, i.reasons[0] if i.reasons else None]
                    for i in items[:LIST_LIMIT]
                ],
                "stale_total": len(stale),
                "stale": [[i.activity_id, i.status, reason] for i, reason in stale[:LIST_LIMIT]],
            }
        elif part == OVERDUE:
            milestones = ds.overdue_milestones(plan_id=plan_id, as_of=as_of, limit=LIST_LIMIT)
            values[part] = {
                "total": ds.overdue_milestones_total(plan_id=plan_id, as_of=as_of),
                "items": [[m.milestone_id, m.status] for m in milestones],
            }
    return values


def plan_figures(*, plan_id: int, as_of: dt.date, parts: Sequence[str] = PARTS) -> PlanFigures:
    """The plan's figures on `as_of`. One query when the snapshot is valid and holds the parts;
    otherwise one more per missing part (the live selectors) and the upsert."""
    snapshot = StatusSnapshot.objects.filter(plan_id=plan_id, as_of=OuterRef("as_of"))
    row = (
        PlanAssessedDate.objects.filter(plan_id=plan_id, as_of__lte=as_of, assessments__gt=0)
        .order_by("-as_of")
        .annotate(
            current=version_of(plan_id),
            stored=Subquery(snapshot.values("version")[:1]),
            **{
                f"s_{part}": Subquery(snapshot.values(part)[:1], output_field=JSONField())
                for part in PARTS
            },
        )
        .values("as_of", "current", "stored", *(f"s_{part}" for part in PARTS))
        .first()
    )
    if row is None:
        # Nothing assessed on or before the date: every activity unassessed. Not stored (no
        # assessed date to key it by), and rare: computed live.
        return _figures(None, _compute(plan_id, as_of, as_of, parts))
    on = row["as_of"]
    valid = row["stored"] == row["current"]
    stored = {part: row[f"s_{part}"] for part in PARTS} if valid else dict.fromkeys(PARTS)
    # Overdue milestones are of the day itself: a day that is not the assessed date has none
    # stored, and the caller counts that day live.
    wanted = [part for part in parts if part != OVERDUE or as_of == on]
    missing = [part for part in wanted if stored[part] is None]
    if missing:
        stored.update(_compute(plan_id, on, as_of, missing))
        _store(plan_id, on, row["current"], stored)
    return _figures(on, {part: stored[part] for part in wanted})


def _store(plan_id: int, on: dt.date, version: int, values: dict) -> None:
    _upsert([StatusSnapshot(plan_id=plan_id, as_of=on, version=version, **values)])


def _figures(on: dt.date | None, values: dict) -> PlanFigures:
    figures = PlanFigures(assessed_on=on)
    if values.get(OVERALL) is not None:
        figures.overall = _row_from_json(values[OVERALL])
    if values.get(BY_AREA) is not None:
        figures.by_area = [_row_from_json(data) for data in values[BY_AREA]]
    if values.get(BY_ORGANIZATION) is not None:
        figures.by_organization = [_row_from_json(data) for data in values[BY_ORGANIZATION]]
    figures.attention = values.get(ATTENTION)
    figures.overdue = values.get(OVERDUE)
    return figures


def trend_counts(
    *, plan_id: int, dates: Sequence[dt.date], assessed: Sequence[dt.date]
) -> dict[dt.date, StatusCountRow]:
    """Overall counts on each of `dates`, given the plan's assessed dates. One query when every
    snapshot is valid; otherwise two more (the version, then the live trend of the missing dates
    in one statement) and the upsert."""
    on_of = {
        day: next((a for a in sorted(assessed, reverse=True) if a <= day), None) for day in dates
    }
    keys = sorted({on for on in on_of.values() if on is not None})
    found = dict(
        StatusSnapshot.objects.filter(
            plan_id=plan_id,
            as_of__in=keys,
            version=version_of(plan_id),
            overall__isnull=False,
        ).values_list("as_of", "overall")
    )
    missing = [on for on in keys if on not in found]
    if missing:
        # Read before the trend is computed, as plan_figures does.
        version = JointActionPlan.objects.filter(pk=plan_id).values_list(
            version_of(plan_id), flat=True
        )[0]
        for point in ds.status_trend(plan_id=plan_id, dates=missing):
            row = StatusCountRow(key=plan_id, name="")
            row.counts.update(point.counts)
            row.unassessed = point.unassessed
            found[point.as_of] = _row_to_json(row)
        _upsert(
            [
                StatusSnapshot(plan_id=plan_id, as_of=on, version=version, overall=found[on])
                for on in missing
            ]
        )
    result = {}
    for day, on in on_of.items():
        if on is None:
            total = selectors.status_counts(plan_id=plan_id, as_of=day)  # nothing assessed yet
            result[day] = total
        else:
            result[day] = _row_from_json(found[on])
    return result


def with_names(rows: Sequence[StatusCountRow], names: dict[int, str]) -> list[StatusCountRow]:
    """The rows named, in the live selectors' order (by name, then key); no query."""
    for row in rows:
        row.name = names.get(row.key, "")
    return sorted(rows, key=lambda row: (row.name, row.key or 0))


def organization_acronyms(rows: Sequence[StatusCountRow]) -> dict[int, str]:
    """Acronyms of the organizations of `rows` (one query)."""
    ids = [row.key for row in rows]
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "acronym"))


def thematic_area_names(rows: Sequence[StatusCountRow]) -> dict[int, str]:
    """Names of the thematic areas of `rows` (one query)."""
    ids = [row.key for row in rows]
    return dict(ThematicArea.objects.filter(pk__in=ids).values_list("pk", "name"))
