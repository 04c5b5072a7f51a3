"""Activities of the Activity Matrix and everything that hangs off them."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from simple_history.models import HistoricalRecords

from activities.rules import IndicatorKind
from partnership.limits import (
    LONG_TEXT_MAX,
    NOTE_MAX,
    RISKS_MAX,
    TextLengthValidator,
    validate_date_in_bounds,
)
from partnership.models import ActivityMatrix, Organization, SDGTarget, ThematicArea


class MonitoringStatus(models.TextChoices):
    """The statuses the monitoring engine assigns. Declared here so activities can store the
    latest one without importing monitoring; monitoring uses this same enumeration."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"
    SUSPENDED = "suspended", "Suspended"


class Topic(models.Model):
    """A subject an activity works on (drugs, cultural heritage, …): two organizations running
    separate activities on one topic in one thematic area is an overlap in the matrix."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class CooperationType(models.TextChoices):
        JOINT = "joint", "Joint"
        COMPLEMENTARY = "complementary", "Complementary"

    class Horizon(models.TextChoices):
        CURRENT = "current", "Current"
        ASPIRATIONAL = "aspirational", "Aspirational"

    class Lifecycle(models.TextChoices):
        """IATI activity status codelist (1–6)."""

        PIPELINE = "pipeline", "Pipeline/identification"
        IMPLEMENTATION = "implementation", "Implementation"
        FINALISATION = "finalisation", "Finalisation"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"
        SUSPENDED = "suspended", "Suspended"

    IATI_CODES = {
        Lifecycle.PIPELINE: 1,
        Lifecycle.IMPLEMENTATION: 2,
        Lifecycle.FINALISATION: 3,
        Lifecycle.CLOSED: 4,
        Lifecycle.CANCELLED: 5,
        Lifecycle.SUSPENDED: 6,
    }

    matrix = models.ForeignKey(ActivityMatrix, on_delete=models.PROTECT, related_name="activities")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, validators=[TextLengthValidator(LONG_TEXT_MAX)])
    thematic_area = models.ForeignKey(
        ThematicArea, on_delete=models.PROTECT, related_name="activities"
    )
    cooperation_type = models.CharField(max_length=20, choices=CooperationType.choices)
    horizon = models.CharField(max_length=20, choices=Horizon.choices)
    lifecycle = models.CharField(
        max_length=20, choices=Lifecycle.choices, default=Lifecycle.PIPELINE
    )
    start_date = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    end_date = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    topics = models.ManyToManyField(Topic, related_name="activities", blank=True)
    sdg_targets = models.ManyToManyField(SDGTarget, related_name="activities", blank=True)
    budget_required = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, default="USD")
    liaison_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="liaison_activities", blank=True
    )
    is_illustrative = models.BooleanField(
        default=False, help_text="Illustrative record: not taken from a public source."
    )

    # The latest assessment, written only by the monitoring engine and only forward in time.
    # "" until the first assessment.
    status = models.CharField(
        max_length=20, choices=MonitoringStatus.choices, default="", blank=True, editable=False
    )
    status_as_of = models.DateField(
        validators=[validate_date_in_bounds], null=True, blank=True, editable=False
    )
    status_reasons = models.JSONField(default=list, blank=True, editable=False)
    # Whether status_reasons holds a stale-reporting finding: the dashboard's "stale reports" list
    # filters on it through the (matrix, status) index instead of searching every reason's JSON.
    status_reporting_stale = models.BooleanField(default=False, editable=False)

    # Optimistic concurrency: every edit names the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["status", "status_as_of", "status_reasons", "status_reporting_stale"]
    )

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["matrix", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "code"], name="activities_activity_unique_code_in_matrix"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gt=F("start_date")),
                name="activities_activity_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(budget_required__gte=0),
                name="activities_activity_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="activities_activity_currency_iso",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "code"], name="activities_activity_status"),
            models.Index(fields=["matrix", "thematic_area"], name="activities_activity_area"),
            # The matrix page lists the first few activities of each cell's group in code order:
            # read in that order from here, without sorting the group; and counts a whole plan
            # from the index alone (PostgreSQL: `include`), not from the wide activity rows.
            models.Index(
                fields=["matrix", "thematic_area", "cooperation_type", "horizon", "code"],
                include=["status", "id"],
                name="activities_activity_mx_cell",
            ),
            # The list page's default order (code, then id for ties across matrices), read
            # through this index instead of sorting every activity. The API's default order, by
            # matrix then code, reads the unique (matrix, code) index.
            models.Index(fields=["code", "id"], name="activities_activity_code"),
            # The page's other sortable text column.
            models.Index(fields=["title", "id"], name="activities_activity_title"),
            # The list's count per matrix under a status filter, from the index alone.
            # With the id, the plan's activities in a status are read from the index alone (the
            # dashboard's overdue milestones join them: docs/benchmarks.md).
            models.Index(
                fields=["matrix", "status"], include=["id"], name="activities_mx_status_id"
            ),
            # The plan's latest assessed date, one index entry per matrix
            # (monitoring.selectors.latest_assessed_on).
            models.Index(fields=["matrix", "-status_as_of"], name="activities_mx_assessed"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def iati_status_code(self) -> int:
        return self.IATI_CODES[self.lifecycle]


class ActivityParticipation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        PARTNER = "partner", "Partner"
        SUPPORTING = "supporting", "Supporting"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    contribution = models.TextField(blank=True, validators=[TextLengthValidator(LONG_TEXT_MAX)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "role", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization"],
                name="activities_activityparticipation_unique_organization",
            ),
            # At most one lead, in the database; "at least one" is the participation service's.
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(role="lead"),
                name="activities_activityparticipation_one_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "activity"], name="activities_participation_org")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.role}) in {self.activity.code}"


class PriorityDesignation(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="priorities")
    # Validators as well as the constraint below, so a bad year is an error on the field.
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    rationale = models.TextField(blank=True, validators=[TextLengthValidator(LONG_TEXT_MAX)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year"], name="activities_prioritydesignation_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="activities_prioritydesignation_rank_positive"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="activities_prioritydesignation_year_plausible",
            ),
        ]
        indexes = [models.Index(fields=["year", "rank"], name="activities_priority_year")]

    def __str__(self) -> str:
        return f"{self.year} priority #{self.rank}: {self.activity.code}"


class Milestone(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField(validators=[validate_date_in_bounds])
    completed_on = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    outside_period_confirmed = models.BooleanField(
        default=False,
        help_text="The officer confirmed that this milestone is due outside the activity's period.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="activities_milestone_weight_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "due_date"], name="activities_milestone_due"),
            models.Index(
                fields=["due_date"],
                condition=Q(completed_on__isnull=True),
                name="activities_milestone_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", "Increase"
        DECREASE = "decrease", "Decrease"

    class Kind(models.TextChoices):
        """What the values can be: the values of activities.rules.IndicatorKind, which the rules
        read without the model."""

        COUNT = IndicatorKind.COUNT, "Count (a whole number, 0 or more)"
        PERCENTAGE = IndicatorKind.PERCENTAGE, "Percentage (0 to 100)"
        NUMBER = IndicatorKind.NUMBER, "Number (any value)"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = models.DateField(validators=[validate_date_in_bounds])
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_date = models.DateField(validators=[validate_date_in_bounds])
    direction = models.CharField(max_length=10, choices=Direction.choices)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="increase", target__gt=F("baseline"))
                | Q(direction="decrease", target__lt=F("baseline")),
                name="activities_indicator_target_in_direction",
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="activities_indicator_baseline_before_target",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["count", "percentage", "number"]),
                name="activities_indicator_kind_known",
            ),
            # The kind's range for baseline and target (measurements: the service, which reads
            # the indicator's kind; a constraint cannot look across tables).
            models.CheckConstraint(
                condition=~Q(kind="count")
                | (
                    Q(baseline__gte=0)
                    & Q(target__gte=0)
                    & Q(baseline=Round(F("baseline")))
                    & Q(target=Round(F("target")))
                ),
                name="activities_indicator_count_whole",
            ),
            models.CheckConstraint(
                condition=~Q(kind="percentage")
                | (
                    Q(baseline__gte=0)
                    & Q(baseline__lte=100)
                    & Q(target__gte=0)
                    & Q(target__lte=100)
                ),
                name="activities_indicator_percentage_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(validators=[validate_date_in_bounds])
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="activities_measurement_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} on {self.measured_on}"


class ReportingCalendar(models.Model):
    """A plan's reporting calendar: the periods its activities report on, each with a
    submission window (from `opens_on` through `due_on`; later is late). Written only by
    `activities.services.set_reporting_calendar`."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        CUSTOM = "custom", "Custom"

    plan = models.OneToOneField(
        "partnership.JointActionPlan", on_delete=models.CASCADE, related_name="reporting_calendar"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # Generated periods: the report is due this many days after the period ends, and the window
    # opens this many days before it ends.
    due_after_days = models.PositiveSmallIntegerField(default=15)
    opens_before_days = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} reporting of {self.plan}"


class ReportingPeriod(models.Model):
    calendar = models.ForeignKey(
        ReportingCalendar, on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(max_length=60)
    starts_on = models.DateField(validators=[validate_date_in_bounds])
    ends_on = models.DateField(validators=[validate_date_in_bounds])
    opens_on = models.DateField(validators=[validate_date_in_bounds])
    due_on = models.DateField(validators=[validate_date_in_bounds])

    class Meta:
        ordering = ["calendar", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activities_reportingperiod_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")),
                name="activities_reportingperiod_opens_before_due",
            ),
            models.UniqueConstraint(
                fields=["calendar", "starts_on"], name="activities_reportingperiod_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ProgressUpdate(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    period_end = models.DateField(validators=[validate_date_in_bounds])
    percent_complete = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(validators=[TextLengthValidator(LONG_TEXT_MAX)])
    risks = models.TextField(blank=True, validators=[TextLengthValidator(RISKS_MAX)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, validators=[TextLengthValidator(NOTE_MAX)])
    # The reporting period this update reports on (None where the plan has no calendar), and,
    # for a correction of a period already approved, the approved update it corrects: the
    # approved update stays as it was, and the history keeps both.
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="updates"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="activities_progressupdate_percent_0_100",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved")
                | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="activities_progressupdate_approved_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(review_note=""),
                name="activities_progressupdate_returned_has_note",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="activities_progressupdate_submitted_has_time",
            ),
            # An approved update locks its period: one approved original per activity and
            # period; later changes are corrections of it.
            models.UniqueConstraint(
                fields=["activity", "period"],
                condition=Q(state="approved", corrects__isnull=True, period__isnull=False),
                name="activities_progressupdate_period_locked",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(period__isnull=False),
                name="activities_progressupdate_correction_has_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["activity", "state", "period_end"], name="activities_update_state"
            ),
            models.Index(fields=["state", "submitted_at"], name="activities_update_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} update to {self.period_end} ({self.state})"


class FundingCommitment(models.Model):
    class Status(models.TextChoices):
        APPROACHED = "approached", "Approached"
        PLEDGED = "pledged", "Pledged"
        COMMITTED = "committed", "Committed"
        RECEIVED = "received", "Received"

    # Money is "secured" once committed in writing or received; approaches and pledges are not.
    SECURED = (Status.COMMITTED, Status.RECEIVED)

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="funding")
    donor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=12, choices=Status.choices)
    date = models.DateField(validators=[validate_date_in_bounds])
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="activities_fundingcommitment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="activities_fundingcommitment_currency_iso",
            ),
        ]
        indexes = [models.Index(fields=["activity", "date"], name="activities_funding_date")]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount} {self.currency} ({self.status})"


class FormSubmission(models.Model):
    """A create form's one-time token, spent by the write it carried.

    The page hands out a fresh token with each create form; the service that writes the record
    inserts this row in the same transaction. A replayed token (the browser's Back, then Save
    again, or a double click) meets the unique constraint and is answered with what the first
    submission made, instead of a second record."""

    token = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, help_text="What the form creates, e.g. milestone.")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=400, blank=True, help_text="What was created.")
    url = models.CharField(max_length=400, blank=True, help_text="Where the record is shown.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["token"], name="activities_formsubmission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} form {self.token}"


class Event(models.Model):
    """Follow-up work a change set off, recorded in the change's own transaction (the outbox).

    A service writes the row with the change; Celery delivers it (monitoring re-assesses the
    activities) and marks it delivered in the delivery's own transaction, so the work happens
    once. Should the message be lost (a broker down or restarted, a worker killed), the row is
    still pending and the sweeper (monitoring.follow_up) queues it again.
    """

    class Kind(models.TextChoices):
        FACTS_CHANGED = "facts_changed", "Facts changed"
        # What people and REST clients hear about (notifications app); facts_changed is only
        # the monitoring engine's.
        UPDATE_SUBMITTED = "update_submitted", "Update submitted"
        UPDATE_APPROVED = "update_approved", "Update approved"
        UPDATE_RETURNED = "update_returned", "Update returned"
        MILESTONE_DUE_SOON = "milestone_due_soon", "Milestone due in 7 days"
        MILESTONE_OVERDUE = "milestone_overdue", "Milestone overdue"
        REPORT_DUE = "report_due", "Report due"
        REPORT_LATE = "report_late", "Report late"
        STATUS_AT_RISK = "status_at_risk", "Status turned at risk"
        STATUS_OFF_TRACK = "status_off_track", "Status turned off track"
        OVERRIDE_SET = "override_set", "Status override set"
        OVERRIDE_EXPIRED = "override_expired", "Status override expired"
        COMMENT = "comment", "Comment"
        MENTION = "mention", "Mention"
        # Told to a webhook subscription's owner (notifications.webhooks), about no activity.
        WEBHOOK_DISABLED = "webhook_disabled", "Webhook disabled"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Empty for an event about no activity (a webhook disabled).
    activity_ids = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)
    # Who made the change (None: the engine, beat, an operator command), and what the event is
    # about beyond the activities (an update's id, a milestone's, a period's, mentioned users).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    # Events that beat finds due (a milestone due in 7 days, a report late) carry a key naming
    # what they are about, so that finding it again records nothing twice.
    key = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "delivered", "failed"]),
                name="activities_event_state_known",
            ),
            models.CheckConstraint(
                condition=Q(state="delivered", delivered_at__isnull=False)
                | (~Q(state="delivered") & Q(delivered_at__isnull=True)),
                name="activities_event_delivered_at_iff_delivered",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""),
                name="activities_event_failed_has_error",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="activities_event_key_once"
            ),
        ]
        indexes = [
            # The sweeper's one question: which events are still pending, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(state="pending"),
                name="activities_event_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"


# --- Disaggregation: an indicator's values broken down by category --------------------------------


class Dimension(models.Model):
    """A way to break an indicator's values down (sex, country, agency…), with its categories.
    Shared by every indicator that declares it, so results above the activities can add up the
    same categories across them."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["dimension", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="activities_category_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.name}"


class IndicatorDimension(models.Model):
    """An indicator declares that its values are broken down by this dimension."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="dimension_links"
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="indicator_links"
    )

    class Meta:
        ordering = ["indicator", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dimension"], name="activities_indicatordimension_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} by {self.dimension}"


class CategoryTarget(models.Model):
    """The target of one category of a disaggregated indicator."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="category_targets"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="targets")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category"], name="activities_categorytarget_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.category}: {self.target}"


class MeasurementValue(models.Model):
    """A measurement's value for one category: its breakdown. A dimension whose categories are
    all given adds up to the measurement's total (the service checks); one with some missing
    is "not all categories reported"."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="breakdown")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measurement", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "category"], name="activities_measurementvalue_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measurement} — {self.category}: {self.value}"


# --- Evidence: files behind a reported figure -----------------------------------------------------


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A storage name no one can guess or collide with; the person's file name is kept on the
    record (`name`) and given back on download, never used as a path."""
    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file attached to a progress update or to a measurement (exactly one), stored through
    Django's storage API and served only through a permission-checked view. An approved
    update's files are never removed: a correction supersedes one."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    content_type = models.CharField(max_length=120, help_text="Read from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=False, measurement__isnull=True)
                | Q(update__isnull=True, measurement__isnull=False),
                name="activities_evidence_one_subject",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="activities_evidence_named"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_inline(self) -> bool:
        """Images and PDFs open in the browser; anything else downloads as an attachment."""
        return self.content_type.startswith("image/") or self.content_type == "application/pdf"
