"""The matrix page's counts, read from stored snapshots (read-through), as the dashboard's status
figures are (monitoring/snapshots.py, whose reasoning holds here too).

`activities.matrix_selectors.matrix_counts` stays the reference: a snapshot is what it returned
for one matrix edition, stored with the plan's data version read *before* counting. The triggers
of migrations 0003 and 0004 bump that version on every write the counts depend on, so a snapshot
is valid exactly while its version is current (race-free under READ COMMITTED: a write committed
after the version was read bumps it past the stored one). The partnership's organizations are not
in the version (adding one to a partnership changes no activity): a snapshot counted for other
partners, or in another order of acronyms, is not served either. Only the counting is stored:
the few listed activities are read live, so their titles and statuses show at once.
"""

from __future__ import annotations

from django.db.models import IntegerField, JSONField, OuterRef, Subquery

from activities import matrix_selectors
from activities.matrix_selectors import MatrixCounts, MatrixPage
from monitoring.models import MatrixSnapshot
from monitoring.snapshots import version_of
from partnership.models import ActivityMatrix, JointActionPlan

FIELDS = ("version", "partner_ids", "counts", "topics")


def stored_matrix_counts(matrix: ActivityMatrix, partner_ids: list[int]) -> MatrixCounts:
    """The counts of `matrix` for `partner_ids` (in bit order). One query when the snapshot is
    valid; otherwise the live count (one statement) and the upsert (one)."""
    snapshot = MatrixSnapshot.objects.filter(matrix_id=OuterRef("pk"), plan_id=OuterRef("plan_id"))
    found = list(
        ActivityMatrix.objects.filter(pk=matrix.pk)
        .order_by()  # one row: not the model's ordering, which joins the plan
        .annotate(
            current=version_of(OuterRef("plan_id")),
            **{
                f"s_{name}": Subquery(
                    snapshot.values(name)[:1],
                    output_field=IntegerField() if name == "version" else JSONField(),
                )
                for name in FIELDS
            },
        )
        .values("plan_id", "current", *(f"s_{name}" for name in FIELDS))
    )
    row = found[0] if found else None
    if row is None:  # the matrix was deleted meanwhile: nothing to store it under
        return matrix_selectors.matrix_counts(matrix, partner_ids)
    if row["s_version"] == row["current"] and row["s_partner_ids"] == partner_ids:
        return MatrixCounts(
            partner_ids=row["s_partner_ids"], counts=row["s_counts"], topics=row["s_topics"]
        )
    counts = matrix_selectors.matrix_counts(matrix, partner_ids)
    # Upsert: a concurrent fill of the same version wrote the same counts; an older one is
    # replaced. Stored with the version read before counting, so a write in between shows.
    MatrixSnapshot.objects.bulk_create(
        [
            MatrixSnapshot(
                matrix_id=matrix.pk,
                plan_id=row["plan_id"],
                version=row["current"],
                partner_ids=counts.partner_ids,
                counts=counts.counts,
                topics=counts.topics,
            )
        ],
        update_conflicts=True,
        unique_fields=["matrix"],
        update_fields=["plan", "version", "partner_ids", "counts", "topics", "computed_at"],
    )
    return counts


def matrix_page(
    *, plan: JointActionPlan, matrix: ActivityMatrix | None, horizon: str = ""
) -> MatrixPage:
    """The matrix page's summary, its counts read from the snapshot (see
    `activities.matrix_selectors.matrix_summary` for the other queries)."""
    return matrix_selectors.matrix_summary(
        plan=plan, matrix=matrix, horizon=horizon, counts_of=stored_matrix_counts
    )


def warm_matrix(*, plan_id: int) -> None:
    """Fill the snapshot of the plan's latest matrix edition, what the page shows by default
    (a valid one is only read)."""
    plan = JointActionPlan.objects.filter(pk=plan_id).first()
    matrix = ActivityMatrix.objects.filter(plan_id=plan_id).order_by("-edition").first()
    if plan is not None and matrix is not None:
        matrix_page(plan=plan, matrix=matrix)
