"""Monitoring records: runs and their chunks, assessments (the status history), overrides.

A run is the source of truth for its own progress (Celery's result store is not used): it is
split into chunk rows, each chunk records what it assessed, and the run's totals are summed from
its chunk rows when the last one is done.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from activities.models import Activity, MonitoringStatus
from partnership.limits import NOTE_MAX, TextLengthValidator, validate_date_in_bounds
from partnership.models import JointActionPlan

# One integer column per status (see StatusCounts): status value → column name.
COUNT_FIELDS: dict[str, str] = {
    status.value: f"{status.value}_count" for status in MonitoringStatus
}


class StatusCounts(models.Model):
    """How many activities got each status.

    One integer column per status rather than a JSON dict: the statuses are a fixed enumeration
    (changing it needs a migration anyway), so columns let the database sum chunk rows into their
    run in one aggregate query, carry CHECK constraints (the counts add up to the activities
    assessed), and let dashboards chart runs without parsing JSON.
    """

    activities_assessed = models.PositiveIntegerField(default=0)
    not_started_count = models.PositiveIntegerField(default=0)
    on_track_count = models.PositiveIntegerField(default=0)
    at_risk_count = models.PositiveIntegerField(default=0)
    off_track_count = models.PositiveIntegerField(default=0)
    completed_count = models.PositiveIntegerField(default=0)
    suspended_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    activities_assessed=F("not_started_count")
                    + F("on_track_count")
                    + F("at_risk_count")
                    + F("off_track_count")
                    + F("completed_count")
                    + F("suspended_count")
                ),
                name="%(app_label)s_%(class)s_counts_add_up",
            ),
        ]

    @property
    def counts(self) -> dict[str, int]:
        return {status: getattr(self, column) for status, column in COUNT_FIELDS.items()}

    def set_counts(self, counts: dict[str, int]) -> None:
        for status, column in COUNT_FIELDS.items():
            setattr(self, column, counts.get(status, 0))
        self.activities_assessed = sum(counts.get(status, 0) for status in COUNT_FIELDS)


class MonitoringRun(StatusCounts):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "Manual"
        API = "api", "API"
        CHANGE = "change", "Change"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    OPEN_STATES = (State.QUEUED, State.RUNNING)
    ENDED_STATES = (State.FINISHED, State.FAILED)

    # Null: every plan monitored on `as_of` (or, for a change-triggered run, the chunks' ids).
    plan = models.ForeignKey(
        JointActionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_runs",
    )
    as_of = models.DateField(validators=[validate_date_in_bounds])
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_runs",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why the run was started.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)
    # Past this moment a queued or running run is stale: the stale-run check marks it failed.
    deadline = models.DateTimeField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            *StatusCounts.Meta.constraints,
            models.CheckConstraint(
                condition=Q(chunks_done__lte=F("chunks_total")),
                name="monitoring_monitoringrun_chunks_done_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["finished", "failed"]) | Q(finished_at__isnull=False),
                name="monitoring_monitoringrun_ended_has_finish_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="finished") | Q(chunks_done=F("chunks_total")),
                name="monitoring_monitoringrun_finished_has_all_chunks",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""),
                name="monitoring_monitoringrun_failed_has_error",
            ),
        ]
        indexes = [
            # The stale-run check: open runs past their deadline.
            models.Index(fields=["state", "deadline"], name="monitoring_run_state_deadline"),
            models.Index(fields=["plan", "as_of"], name="monitoring_run_plan_as_of"),
            models.Index(fields=["-created_at"], name="monitoring_run_created"),
        ]

    def __str__(self) -> str:
        scope = self.plan.title if self.plan_id else "all plans"
        return f"Run {self.pk} of {scope} as of {self.as_of} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def seconds(self) -> float | None:
        return None if self.duration is None else self.duration / timedelta(seconds=1)


class MonitoringChunk(StatusCounts):
    """One slice of a run, handled by one task. Its row makes a redelivered task a no-op once done
    and lets a retried run redo only what is missing."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(MonitoringRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    # The ids fixed when the run was split, so a redelivery assesses exactly the same activities.
    activity_ids = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            *StatusCounts.Meta.constraints,
            models.UniqueConstraint(
                fields=["run", "index"], name="monitoring_monitoringchunk_unique_index"
            ),
        ]
        indexes = [models.Index(fields=["run", "state"], name="monitoring_chunk_run_state")]

    def __str__(self) -> str:
        return f"Chunk {self.index} of run {self.run_id} ({self.state})"

    @property
    def id_range(self) -> str:
        ids = self.activity_ids or []
        return f"{min(ids)}–{max(ids)}" if ids else "none"


class Assessment(models.Model):
    """The status of one activity as of one date, with the reasons that produced it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(validators=[validate_date_in_bounds])
    status = models.CharField(max_length=20, choices=MonitoringStatus.choices)
    reasons = models.JSONField(default=list, blank=True)
    # Whether `reasons` holds a stale-reporting finding, set from them when stored (engine).
    reporting_stale = models.BooleanField(default=False, editable=False)
    expected_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    reported_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    # Secured ÷ required (1 = fully funded); null when nothing is required.
    funding_coverage = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    overridden = models.BooleanField(default=False)
    run = models.ForeignKey(
        MonitoringRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "-as_of"]
        constraints = [
            # Also the index behind "the latest assessment on or before a date": an
            # (activity_id, as_of) b-tree read backwards from the date, so no second index.
            models.UniqueConstraint(
                fields=["activity", "as_of"], name="monitoring_assessment_unique_activity_as_of"
            ),
            models.CheckConstraint(
                condition=Q(expected_progress__isnull=True) | Q(expected_progress__lte=100),
                name="monitoring_assessment_expected_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(reported_progress__isnull=True) | Q(reported_progress__lte=100),
                name="monitoring_assessment_reported_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(funding_coverage__isnull=True) | Q(funding_coverage__gte=0),
                name="monitoring_assessment_funding_coverage_not_negative",
            ),
        ]
        # No further index: the selectors reach assessments through the activity (the unique
        # index above), and every extra index slows the bulk upsert of each chunk.

    def __str__(self) -> str:
        return f"{self.activity_id} as of {self.as_of}: {self.status}"


class StatusOverride(models.Model):
    """A manager's status for an activity, with a reason, from `set_on` until `expires_on` (the
    first day it no longer applies; open-ended when blank). The rules show it as an override."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="status_overrides"
    )
    status = models.CharField(max_length=20, choices=MonitoringStatus.choices)
    reason = models.TextField(validators=[TextLengthValidator(NOTE_MAX)])
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_overrides"
    )
    set_on = models.DateField(validators=[validate_date_in_bounds])
    expires_on = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "-set_on", "-id"]
        constraints = [
            # Equal dates: withdrawn the day it was set, so it never applied.
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("set_on")),
                name="monitoring_statusoverride_expires_after_set",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="monitoring_statusoverride_reason_not_blank"
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "set_on"], name="monitoring_override_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.status} from {self.set_on}"
