"""Reads of the activities domain, shaped so that the number of queries does not grow with the
number of activities (each docstring names the queries)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from activities import breakdowns, permissions
from activities.filters import ActivityFilter
from activities.models import (
    Activity,
    ActivityParticipation,
    Category,
    CategoryTarget,
    FundingCommitment,
    Indicator,
    Measurement,
    MeasurementValue,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from activities.sensitivity import Relation, Sight, relation, tiers_from_row
from activities.sensitivity_selectors import (
    DISCLOSURE_ROW_FIELDS,
    group_visible,
    partner_flag,
    sight_of,
    visible_activities,
)
from partnership.models import (
    ActivityMatrix,
    JointActionPlan,
    Profile,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=ActivityParticipation.objects.select_related("organization").order_by(
            "role", "organization__acronym"
        ),
    )


def _priorities() -> Prefetch:
    return Prefetch("priorities", queryset=PriorityDesignation.objects.order_by("year"))


def _secured_funding() -> Coalesce:
    """Secured money (committed or received) in the activity's own currency, as one subquery."""
    secured = (
        FundingCommitment.objects.filter(
            activity=OuterRef("pk"),
            status__in=FundingCommitment.SECURED,
            currency=OuterRef("currency"),
        )
        .order_by()
        .values("activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(secured, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)


def _for(viewer: User | None) -> SimpleNamespace:
    """What ActivityFilter reads of a request: who the list is for (its text search matches
    only the descriptions they may read)."""
    return SimpleNamespace(user=viewer)


def activity_list(
    *, filters: Mapping[str, Any] | None = None, viewer: User | None = None
) -> QuerySet[Activity]:
    """Activities with what a list shows. Queries when evaluated: the activities (with matrix,
    plan and thematic area joined, and secured funding as a subquery), their participations with
    organizations, their priority designations: 3, however many activities.

    `filters` are ActivityFilter's parameters (invalid values are ignored here; the API validates
    them first); with `viewer`, its text search looks only in the descriptions they may read."""
    queryset = (
        Activity.objects.select_related("matrix__plan", "thematic_area")
        .prefetch_related(_participations(), _priorities())
        .annotate(funding_secured=_secured_funding())
    )
    if filters is not None:
        request = None if viewer is None else _for(viewer)
        queryset = ActivityFilter(filters, queryset=queryset, request=request).qs
    return queryset


# --- the activity list, in an order indexes serve ------------------------------------------------

# The list's default order: a matrix's plan newest first, then plan title, then the matrix's
# edition newest first, then the activity's code. It is Activity.Meta.ordering ("matrix", "code")
# as Django expands it through the plan's and the matrix's Meta.ordering, with the plan's and the
# matrix's ids added to break ties between plans of the same start and title.
MATRIX_ORDER = ("-plan__period_start", "plan__title", "plan_id", "-edition", "pk")

_LIST_ROW_FIELDS = (
    "id",
    "code",
    "title",
    "matrix_id",
    "matrix__plan_id",
    "thematic_area__code",
    "cooperation_type",
    "horizon",
    "lifecycle",
    "start_date",
    "end_date",
    "status",
    "status_as_of",
    "budget_required",
    "funding_secured",
    "currency",
    "version",
    *DISCLOSURE_ROW_FIELDS,
)


def row_sight(viewer: User | None, row: Mapping[str, Any], participating_ids: set[int]) -> Sight:
    """What `viewer` may see of the activity of a values() row holding the Disclosure columns
    (DISCLOSURE_ROW_FIELDS) and `viewer_is_partner` (`partner_flag`). Pure."""
    organization_id = permissions.organization_id_of(viewer)
    who = (
        Relation.PARTICIPANT
        if permissions.is_manager(viewer)
        else relation(
            is_manager=False,
            organization_id=organization_id,
            participating_ids=participating_ids,
            is_partner=bool(row.get("viewer_is_partner")),
        )
    )
    return Sight(tiers=tiers_from_row(row), who=who)


def page_segments(
    counts: Sequence[tuple[int, int]], start: int, stop: int
) -> list[tuple[int, int, int]]:
    """Where rows start..stop (stop excluded) of the matrices' activities, laid end to end in the
    order of `counts` ((matrix id, number of its activities) pairs), lie: a list of (matrix id,
    offset in that matrix, number of rows), in list order. Pure."""
    segments = []
    first = 0
    for matrix_id, n in counts:
        last = first + n
        low, high = max(start, first), min(stop, last)
        if low < high:
            segments.append((matrix_id, low - first, high - low))
        if last >= stop:
            break
        first = last
    return segments


class ActivityListing:
    """The filtered activities in list order, for a Paginator (Django's or DRF's): `count()` and
    slices, each slice read through an index rather than by sorting every activity.

    `count()` lists the matrices in MATRIX_ORDER with the number of their activities that pass
    the filters (one query: a COUNT per matrix, from the index (matrix, status) alone when
    unfiltered or filtered by status). With an explicit `ordering` filter a slice picks its ids
    in that ordering (then id; the indexes (code, id) and (title, id) serve the page's text
    columns). Without, the list runs in matrix order (MATRIX_ORDER, then code): the counts tell
    which matrices a slice spans, and in each the slice's ids are read by code through the index
    (matrix, code). Either way the rows and their secured funding are read for those ids only.

    Queries: `count()` 1 (kept); a slice 3 more — the activities, then for the page's activities
    their participations with organizations and their priorities — whether it yields model
    instances (`rows=False`, for templates) or plain dicts (`rows=True`, for the API). Each
    carries `sight`, what `viewer` may see of it (its tiers and the viewer's partnership are read
    in the activities' query)."""

    ordered = True  # Paginator warns about unordered object lists; this one is ordered

    def __init__(
        self, activities: QuerySet[Activity], *, rows: bool, viewer: User | None = None
    ) -> None:
        self._ordering = tuple(activities.query.order_by)
        self._activities = activities.order_by()
        self._rows = rows
        self._viewer = viewer
        self._counts: list[tuple[int, int]] | None = None

    def count(self) -> int:
        return sum(n for _, n in self._matrix_counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("ActivityListing supports slices without a step only.")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if start < 0 or stop < 0:
            raise ValueError("Negative indexing is not supported.")
        if stop <= start:
            return []
        if self._ordering:
            ordered = self._activities.order_by(*self._ordering)
            page = self._activities.filter(pk__in=ordered.values("pk")[start:stop])
            return self._fetch(self._shaped(page).order_by(*self._ordering))
        segments = page_segments(self._matrix_counts(), start, stop)
        if not segments:
            return []
        return self._fetch(self._segments_queryset(segments))

    def _matrix_counts(self) -> list[tuple[int, int]]:
        if self._counts is None:
            # COUNT without GROUP BY: an aggregate over the matrix's rows, read from the index
            # (matrix) alone; filtering on it in SQL would run the count twice.
            per_matrix = (
                self._activities.filter(matrix=OuterRef("pk"))
                .annotate(n=Func(Value(1), function="COUNT", output_field=IntegerField()))
                .values("n")
            )
            matrices = (
                ActivityMatrix.objects.annotate(n=Subquery(per_matrix))
                .order_by(*MATRIX_ORDER)
                .values_list("pk", "n")
            )
            self._counts = [(pk, n) for pk, n in matrices if n]
        return self._counts

    def _shaped(self, activities: QuerySet[Activity]) -> QuerySet:
        activities = activities.annotate(
            funding_secured=_secured_funding(), viewer_is_partner=partner_flag(self._viewer)
        )
        if self._rows:
            return activities.values(*_LIST_ROW_FIELDS, "viewer_is_partner")
        return activities.select_related("thematic_area", "disclosure")

    def _segments_queryset(self, segments: list[tuple[int, int, int]]) -> QuerySet:
        """One query for the rows of every segment, put in list order by the database (whose
        collation sorted the codes when the offsets were counted). Each segment's ids are read by
        code through the index (matrix, code); only then are the page's rows read and their
        secured funding summed, so rows skipped by an offset cost no funding subquery.
        PostgreSQL takes the ids as a UNION ALL of the sliced per-matrix queries; SQLite (the
        embedded default), which allows no LIMIT inside a compound query, as `id IN (…) OR …`."""
        ids = [
            self._activities.filter(matrix_id=matrix_id)
            .order_by("code")
            .values("pk")[offset : offset + n]
            for matrix_id, offset, n in segments
        ]
        if len(ids) == 1:
            in_page = Q(pk__in=ids[0])
        elif connection.features.supports_slicing_ordering_in_compound:
            in_page = Q(pk__in=ids[0].union(*ids[1:], all=True))
        else:
            in_page = Q()
            for part in ids:
                in_page |= Q(pk__in=part)
        segment = Case(*(When(matrix_id=m, then=Value(i)) for i, (m, _, _) in enumerate(segments)))
        return self._shaped(self._activities.filter(in_page)).order_by(segment, "code")

    def _fetch(self, queryset: QuerySet) -> list:
        found = list(queryset)
        if not found:
            return found
        if not self._rows:
            prefetch_related_objects(found, _participations(), _priorities())
            for activity in found:
                activity.sight = sight_of(self._viewer, activity)
            return found
        ids = [row["id"] for row in found]
        organizations: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
        participating: dict[int, set[int]] = {pk: set() for pk in ids}
        for activity_id, organization_id, acronym, role in (
            _participations()
            .queryset.filter(activity_id__in=ids)
            .values_list("activity_id", "organization_id", "organization__acronym", "role")
        ):
            organizations[activity_id].append((acronym, role))
            participating[activity_id].add(organization_id)
        years: dict[int, list[int]] = {pk: [] for pk in ids}
        for activity_id, year in (
            _priorities().queryset.filter(activity_id__in=ids).values_list("activity_id", "year")
        ):
            years[activity_id].append(year)
        for row in found:
            row["organizations"] = organizations[row["id"]]
            row["priority_years"] = years[row["id"]]
            row["sight"] = row_sight(self._viewer, row, participating[row["id"]])
        return found


def activity_listing(
    *,
    viewer: User | None,
    filters: Mapping[str, Any] | None = None,
    rows: bool = False,
    strict: bool = False,
) -> ActivityListing:
    """The activity list of the page and the API, for a Paginator: the activities `viewer` may
    list (not the restricted ones they take no part in), filtered by ActivityFilter's
    parameters, sorted by their `ordering` or else in matrix order (see ActivityListing for the
    queries). A filter with an invalid value is left out, or with `strict` raises ValidationError
    naming it (the API answers 400; the page shows the error beside the field instead)."""
    listed = Activity.objects.filter(visible_activities(viewer))
    if not filters:  # the unfiltered list in matrix order: no FilterSet to build (~1 ms)
        return ActivityListing(listed, rows=rows, viewer=viewer)
    filterset = ActivityFilter(filters, queryset=listed, request=_for(viewer))
    if strict and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return ActivityListing(filterset.qs, rows=rows, viewer=viewer)


def activity_detail_queryset() -> QuerySet[Activity]:
    """Queries for one activity: the activity (matrix, plan, agreement, thematic area and its
    sensitivity tiers joined),
    then participations with organizations, topics, SDG targets, priorities, milestones,
    indicators, their measurements, funding with donors: 9 in all."""
    return Activity.objects.select_related(
        "matrix__plan__agreement", "thematic_area", "disclosure"
    ).prefetch_related(
        _participations(),
        "topics",
        "sdg_targets",
        Prefetch("priorities", queryset=PriorityDesignation.objects.order_by("year")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
        Prefetch(
            "indicators",
            # How many dimensions each declares, in the same query: the page reads breakdowns
            # only for an activity that has some.
            queryset=Indicator.objects.order_by("id")
            .annotate(dimension_count=Count("dimension_links"))
            .prefetch_related("measurements"),
        ),
        Prefetch("funding", queryset=FundingCommitment.objects.select_related("donor")),
    )


def activity_detail(*, activity_id: int) -> Activity:
    """One activity with everything its page shows (9 queries, see activity_detail_queryset)."""
    return activity_detail_queryset().get(pk=activity_id)


_DETAIL_ROW_FIELDS = (
    "id",
    "code",
    "title",
    "description",
    "matrix__plan_id",
    "matrix__plan__title",
    "matrix_id",
    "matrix__edition",
    "matrix__adopted_on",
    "thematic_area__code",
    "thematic_area__name",
    "cooperation_type",
    "horizon",
    "lifecycle",
    "start_date",
    "end_date",
    "budget_required",
    "currency",
    "status",
    "status_as_of",
    "status_reasons",
    "is_illustrative",
    "version",
    "created_at",
    "updated_at",
)


INDICATOR_ROW_FIELDS = (
    "id",
    "activity_id",
    "name",
    "unit",
    "kind",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "direction",
    "version",
)


MILESTONE_ROW_FIELDS = (
    "id",
    "activity_id",
    "title",
    "due_date",
    "completed_on",
    "weight",
    "outside_period_confirmed",
    "version",
)


@dataclass(frozen=True, slots=True)
class ActivityDetailRows:
    """What the API's activity detail shows, as plain rows (see activity_detail_rows)."""

    activity: dict[str, Any]
    topics: list[tuple[str, str]]
    sdg_targets: list[tuple[str, str]]
    participations: list[tuple[str, str, str, str]]
    priorities: list[tuple[int, int, str]]
    milestones: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    measurements: list[dict[str, Any]]
    funding: FundingSummary | None
    sight: Sight


def activity_detail_rows(*, activity_id: int, viewer: User | None) -> ActivityDetailRows | None:
    """activity_detail's data as plain rows, for the API: the same 9 queries, read with values()
    instead of model instances and prefetches, which took most of the API detail's time
    (docs/benchmarks.md, "Where the time goes"). The activity's tiers and whether the viewer's
    organization is a partner of its plan are read in the first query; the rows of a field group
    the viewer may not see are not read (a query fewer each). None when there is no such
    activity, or when it is a restricted one the viewer takes no part in."""
    activity = (
        Activity.objects.filter(pk=activity_id)
        .annotate(viewer_is_partner=partner_flag(viewer))
        .values(*_DETAIL_ROW_FIELDS, *DISCLOSURE_ROW_FIELDS, "viewer_is_partner")
        .first()
    )
    if activity is None:
        return None
    participations = list(
        ActivityParticipation.objects.filter(activity_id=activity_id)
        .order_by("role", "organization__acronym")
        .values_list(
            "organization__acronym", "organization__name", "role", "contribution", "organization_id"
        )
    )
    sight = row_sight(viewer, activity, {row[4] for row in participations})
    if not sight.activity_visible:
        return None
    sees = sight.sees
    commitments = (
        FundingCommitment.objects.filter(activity_id=activity_id)
        .order_by()
        .values_list("donor__acronym", "currency", "amount", "status")
    )
    return ActivityDetailRows(
        sight=sight,
        activity=activity,
        topics=list(
            Activity.topics.through.objects.filter(activity_id=activity_id)
            .order_by("topic__name")
            .values_list("topic__code", "topic__name")
        ),
        sdg_targets=list(
            Activity.sdg_targets.through.objects.filter(activity_id=activity_id)
            .order_by("sdgtarget__goal", "sdgtarget_id")
            .values_list("sdgtarget__code", "sdgtarget__title")
        ),
        participations=[row[:4] for row in participations],
        priorities=list(
            PriorityDesignation.objects.filter(activity_id=activity_id)
            .order_by("year")
            .values_list("year", "rank", "rationale")
        ),
        milestones=list(
            Milestone.objects.filter(activity_id=activity_id)
            .order_by("due_date", "id")
            .values(*MILESTONE_ROW_FIELDS)
        )
        if sees("milestones")
        else [],
        indicators=list(
            Indicator.objects.filter(activity_id=activity_id)
            .order_by("id")
            .values(*INDICATOR_ROW_FIELDS)
        )
        if sees("indicators")
        else [],
        measurements=list(
            Measurement.objects.filter(indicator__activity_id=activity_id)
            .order_by("indicator_id", "measured_on")
            .values("id", "indicator_id", "measured_on", "value", "note", "recorded_by__username")
        )
        if sees("indicators")
        else [],
        funding=summarize_funding(
            currency=activity["currency"],
            required=activity["budget_required"],
            commitments=commitments,
        )
        if sees("funding")
        else None,
    )


@dataclass(frozen=True, slots=True)
class FundingSummary:
    """What an activity needs and has, in its own currency. Secured means committed in writing or
    received; commitments in another currency are not converted but listed apart."""

    currency: str
    required: Decimal
    secured: Decimal
    pledged: Decimal
    gap: Decimal
    donors: tuple[str, ...]
    secured_in_other_currencies: dict[str, Decimal] = field(default_factory=dict)


def funding_summary(activity: Activity) -> FundingSummary:
    """No query when `funding` (with donors) is prefetched, as activity_detail does."""
    return summarize_funding(
        currency=activity.currency,
        required=activity.budget_required,
        commitments=(
            (c.donor.acronym, c.currency, c.amount, c.status) for c in activity.funding.all()
        ),
    )


def funding_fingerprint(line: FundingCommitment) -> str:
    """What stands for a version on a funding line, which keeps none: its values, hashed. A line
    someone changed since it was read no longer has the fingerprint the reader saw."""
    text = "|".join(
        (
            str(line.activity_id),
            str(line.donor_id),
            str(line.amount.quantize(Decimal("0.01"))),
            line.currency,
            line.status,
            line.date.isoformat(),
        )
    )
    return "f" + hashlib.sha256(text.encode()).hexdigest()[:10]


def summarize_funding(
    *,
    currency: str,
    required: Decimal,
    commitments: Iterable[tuple[str, str, Decimal, str]],
) -> FundingSummary:
    """The summary of (donor acronym, currency, amount, status) commitments."""
    secured = pledged = Decimal("0")
    other: dict[str, Decimal] = {}
    donors: set[str] = set()
    for donor, commitment_currency, amount, state in commitments:
        donors.add(donor)
        is_secured = state in FundingCommitment.SECURED
        if commitment_currency != currency:
            if is_secured:
                other[commitment_currency] = other.get(commitment_currency, 0) + amount
            continue
        if is_secured:
            secured += amount
        elif state == FundingCommitment.Status.PLEDGED:
            pledged += amount
    return FundingSummary(
        currency=currency,
        required=required,
        secured=secured,
        pledged=pledged,
        gap=max(required - secured, Decimal("0")),
        donors=tuple(sorted(donors)),
        secured_in_other_currencies=other,
    )


def priorities_of_year(*, year: int, plan_id: int | None = None) -> QuerySet[PriorityDesignation]:
    """The year's priority designations in rank order, each with its activity and status. Queries:
    the designations (activity, thematic area, matrix and plan joined) and the activities'
    participations with organizations: 2."""
    queryset = (
        PriorityDesignation.objects.filter(year=year)
        .select_related("activity__thematic_area", "activity__matrix__plan")
        .prefetch_related(Prefetch("activity__participations", queryset=_participations().queryset))
        .order_by("rank", "id")
    )
    if plan_id is not None:
        queryset = queryset.filter(activity__matrix__plan_id=plan_id)
    return queryset


def milestone_list(*, activity: Activity) -> QuerySet[Milestone]:
    return Milestone.objects.filter(activity=activity).order_by("due_date", "id")


def indicator_list(*, activity: Activity) -> QuerySet[Indicator]:
    """Indicators and (one more query) their measurements."""
    return (
        Indicator.objects.filter(activity=activity).order_by("id").prefetch_related("measurements")
    )


# --- progress updates -----------------------------------------------------------------------------


def drafts_visible_to(viewer: User | None) -> Q | None:
    """The progress updates `viewer` may read, as a filter on ProgressUpdate or on its history
    model (the two share the field names): every update that is not a draft, and a draft only for
    managers and administrators, its author, and liaison officers of an organization taking part in
    its activity (the people who may edit and submit it: `permissions.can_edit_activity`).

    None means no restriction (a superuser, or `viewer=None`: a trusted caller such as an operator
    command). The roles are read in SQL from the viewer's profile, inside the query that reads the
    updates, so this adds no query whether or not the profile was loaded."""
    if viewer is None or getattr(viewer, "is_superuser", False):
        return None
    not_draft = ~Q(state=ProgressUpdate.State.DRAFT)
    if not viewer.is_authenticated or not viewer.is_active:
        return not_draft
    managing = Profile.objects.filter(user_id=viewer.pk, role__in=permissions.MANAGING_ROLES)
    participating = ActivityParticipation.objects.filter(
        activity_id=OuterRef("activity_id"),
        organization__people__user_id=viewer.pk,
        organization__people__role=Profile.Role.LIAISON_OFFICER,
    )
    return not_draft | Q(author_id=viewer.pk) | Q(Exists(managing)) | Q(Exists(participating))


def visible_updates(
    updates: QuerySet[ProgressUpdate], *, viewer: User | None
) -> QuerySet[ProgressUpdate]:
    """`updates` without the drafts `viewer` may not read (no extra query)."""
    visible = drafts_visible_to(viewer)
    return updates if visible is None else updates.filter(visible)


def with_risks_shown(
    updates: QuerySet[ProgressUpdate], *, viewer: User | None
) -> QuerySet[ProgressUpdate]:
    """The updates with `risks_shown`: whether `viewer` may see the risks field group of their
    activity (in the same query)."""
    visible = group_visible(viewer, "risks", "activity__")
    shown = ExpressionWrapper(visible, output_field=BooleanField()) if visible else Value(True)
    return updates.annotate(risks_shown=shown)


def progress_update_list(*, activity: Activity, viewer: User | None) -> QuerySet[ProgressUpdate]:
    """The updates of the activity that `viewer` may read (`drafts_visible_to`), newest first,
    with author, reviewer and reporting period joined: one query."""
    return visible_updates(
        ProgressUpdate.objects.filter(activity=activity)
        .select_related("author", "reviewer", "period")
        .order_by("-period_end", "-id"),
        viewer=viewer,
    )


def progress_updates(*, viewer: User | None, state: str | None = None) -> QuerySet[ProgressUpdate]:
    """Every progress update `viewer` may read, newest first, optionally in one state; the
    submitted ones come oldest submission first (the approval queue). One query, author,
    reviewer and reporting period joined."""
    if state == ProgressUpdate.State.SUBMITTED:
        return progress_update_queue().select_related("reviewer", "period")
    updates = ProgressUpdate.objects.select_related("author", "reviewer", "period").order_by("-id")
    if state is not None:
        updates = updates.filter(state=state)
    return visible_updates(updates, viewer=viewer)


# What a progress update reports. The other fields are the workflow (state, times, reviewer and
# the review note) or bookkeeping (version, timestamps).
UPDATE_CONTENT_FIELDS = ("activity_id", "period_end", "percent_complete", "narrative", "risks")


def content_contributors(versions: Iterable[Mapping[str, Any]]) -> set[int]:
    """Who wrote or changed the content of one progress update, from its versions oldest first
    (each a mapping of `UPDATE_CONTENT_FIELDS` and `history_user_id`): the person who created it
    and the person behind every later version whose content differs from the one before. Saves
    that changed only the workflow (submitting, returning with a note) make nobody a contributor.
    Versions written by no person (an operator command) name nobody. Pure."""
    people: set[int] = set()
    before: Mapping[str, Any] | None = None
    for version in versions:
        changed = before is None or any(
            version[name] != before[name] for name in UPDATE_CONTENT_FIELDS
        )
        if changed and version["history_user_id"] is not None:
            people.add(version["history_user_id"])
        before = version
    return people


def update_contributors(*, update_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each progress update, the ids of the people who wrote or changed its content in any
    version (`content_contributors`), read from its audit history, plus its author: one query,
    however many updates and versions. The four-eyes rule: none of them approves it."""
    ids = sorted(set(update_ids))
    versions: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    rows = (
        ProgressUpdate.history.filter(id__in=ids)
        .order_by("id", "history_date", "history_id")
        .values("id", "history_user_id", "author_id", *UPDATE_CONTENT_FIELDS)
    )
    authors: dict[int, int] = {}
    for row in rows:
        versions[row["id"]].append(row)
        authors[row["id"]] = row["author_id"]
    return {
        pk: content_contributors(rows_of) | ({authors[pk]} if pk in authors else set())
        for pk, rows_of in versions.items()
    }


def measurement_list(*, indicator: Indicator) -> QuerySet[Measurement]:
    """An indicator's measurements by date, with who recorded them: one query."""
    return indicator.measurements.select_related("recorded_by").order_by("measured_on")


def progress_update_queue() -> QuerySet[ProgressUpdate]:
    """Updates waiting for approval, oldest submission first (the manager's queue): one query."""
    return (
        ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED)
        .select_related("activity", "author")
        .order_by("submitted_at", "id")
    )


def latest_matrix(*, plan: JointActionPlan, edition: int | None = None) -> ActivityMatrix | None:
    matrices = ActivityMatrix.objects.filter(plan=plan)
    if edition is not None:
        matrices = matrices.filter(edition=edition)
    return matrices.order_by("-edition").first()


# --- disaggregation -------------------------------------------------------------------------------


def dimension_refs(*, indicator_id: int) -> list[breakdowns.DimensionRef]:
    """The dimensions the indicator declares, each with its categories, in order (one query)."""
    by_indicator = dimension_refs_of(indicator_ids=[indicator_id])
    return by_indicator.get(indicator_id, [])


def dimension_refs_of(*, indicator_ids: Iterable[int]) -> dict[int, list[breakdowns.DimensionRef]]:
    """The dimensions each of these indicators declares, with their categories (one query)."""
    rows = (
        Category.objects.filter(dimension__indicator_links__indicator_id__in=list(indicator_ids))
        .order_by("dimension__indicator_links__indicator_id", "dimension__name", "order", "id")
        .values_list(
            "dimension__indicator_links__indicator_id",
            "dimension_id",
            "dimension__name",
            "id",
            "name",
        )
    )
    grouped: dict[int, dict[int, tuple[str, list[breakdowns.CategoryRef]]]] = {}
    for indicator_id, dimension_id, dimension_name, category_id, name in rows:
        dims = grouped.setdefault(indicator_id, {})
        dims.setdefault(dimension_id, (dimension_name, []))[1].append(
            breakdowns.CategoryRef(category_id, name)
        )
    return {
        indicator_id: [
            breakdowns.DimensionRef(dimension_id, name, tuple(categories))
            for dimension_id, (name, categories) in dims.items()
        ]
        for indicator_id, dims in grouped.items()
    }


def category_values_of(*, measurement_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """Measurement id → its values by category id (one query)."""
    values: dict[int, dict[int, Decimal]] = {}
    for measurement_id, category_id, value in MeasurementValue.objects.filter(
        measurement_id__in=list(measurement_ids)
    ).values_list("measurement_id", "category_id", "value"):
        values.setdefault(measurement_id, {})[category_id] = value
    return values


def category_targets_of(*, indicator_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """Indicator id → its targets by category id (one query)."""
    targets: dict[int, dict[int, Decimal]] = {}
    for indicator_id, category_id, target in CategoryTarget.objects.filter(
        indicator_id__in=list(indicator_ids)
    ).values_list("indicator_id", "category_id", "target"):
        targets.setdefault(indicator_id, {})[category_id] = target
    return targets


def indicator_breakdown(*, indicator: Indicator) -> dict[str, Any]:
    """The indicator's target and measurements by category (four queries: its dimensions with
    their categories, its category targets, its measurements, their values by category)."""
    dimensions = dimension_refs(indicator_id=indicator.pk)
    targets = category_targets_of(indicator_ids=[indicator.pk]).get(indicator.pk, {})
    measurements = list(
        indicator.measurements.order_by("measured_on").values_list("id", "measured_on", "value")
    )
    values = category_values_of(measurement_ids=[m[0] for m in measurements])
    return {
        "indicator": indicator.pk,
        "target": breakdowns.breakdown(
            total=indicator.target, given=targets, dimensions=dimensions
        ),
        "measurements": [
            {
                "id": measurement_id,
                "measured_on": on,
                "value": value,
                "dimensions": breakdowns.breakdown(
                    total=value, given=values.get(measurement_id, {}), dimensions=dimensions
                ),
            }
            for measurement_id, on, value in measurements
        ],
    }
