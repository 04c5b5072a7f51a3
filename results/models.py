"""The results chain above the activities: a Joint Action Plan's objectives, their expected
outcomes, the outcomes' outputs, and the activities that contribute to outputs.

One `Result` table holds the three levels (a tree by `parent`): the roll-up, the indicators, the
SDG links and the stored statuses then work the same way at every level.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from activities.models import Activity, Indicator, MonitoringStatus
from partnership.limits import LONG_TEXT_MAX, TextLengthValidator, validate_date_in_bounds
from partnership.models import JointActionPlan, SDGTarget


class Level(models.TextChoices):
    OBJECTIVE = "objective", "Objective"
    OUTCOME = "outcome", "Outcome"
    OUTPUT = "output", "Output"


class Result(models.Model):
    plan = models.ForeignKey(JointActionPlan, on_delete=models.PROTECT, related_name="results")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, validators=[TextLengthValidator(LONG_TEXT_MAX)])
    order = models.PositiveSmallIntegerField(default=0)
    sdg_targets = models.ManyToManyField(SDGTarget, related_name="results", blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Illustrative record: not taken from a public source."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="results_result_unique_code"),
            models.CheckConstraint(
                condition=Q(level="objective", parent__isnull=True)
                | (Q(level__in=["outcome", "output"]) & Q(parent__isnull=False)),
                name="results_result_parent_by_level",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="results_result_not_own_parent"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="results_result_code_not_blank"),
        ]
        indexes = [models.Index(fields=["plan", "level"], name="results_result_plan_level")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Contribution(models.Model):
    """An activity's contribution to an output: a share of the activity (percent), or the
    contribution stated in words, or both."""

    output = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="contributions")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="result_contributions"
    )
    share = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the activity that serves this output, in percent.",
    )
    description = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["output", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["output", "activity"], name="results_contribution_once_per_output"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=100)),
                name="results_contribution_share_0_100",
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=False) | ~Q(description=""),
                name="results_contribution_share_or_words",
            ),
        ]
        indexes = [models.Index(fields=["activity"], name="results_contribution_activity")]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.output_id}"


class ResultIndicator(models.Model):
    class Method(models.TextChoices):
        MEASURED = "measured", "Measured on its own"
        SUM = "sum", "Sum of its activities' indicators"
        AVERAGE = "average", "Average of its activities' indicators"
        LATEST = "latest", "Latest value of its activities' indicators"

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Indicator.Kind.choices, default="number")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.MEASURED)
    sources = models.ManyToManyField(Indicator, related_name="result_indicators", blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = models.DateField(validators=[validate_date_in_bounds])
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_date = models.DateField(validators=[validate_date_in_bounds])
    direction = models.CharField(max_length=10, choices=Indicator.Direction.choices)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["result", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="increase", target__gt=F("baseline"))
                | Q(direction="decrease", target__lt=F("baseline")),
                name="results_resultindicator_target_in_direction",
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="results_resultindicator_baseline_before_target",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["measured", "sum", "average", "latest"]),
                name="results_resultindicator_method_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResultMeasurement(models.Model):
    """A value of an indicator measured on its own (method `measured`)."""

    indicator = models.ForeignKey(
        ResultIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
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
                fields=["indicator", "measured_on"], name="results_resultmeasurement_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} on {self.measured_on}"


class ResultAssessment(models.Model):
    """A result's rolled-up status on a date, written only by the monitoring engine at the end
    of a run (keyed like an activity's assessment: the same date twice updates)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(validators=[validate_date_in_bounds])
    status = models.CharField(max_length=20, choices=MonitoringStatus.choices)
    reasons = models.JSONField(default=list, blank=True)
    # How many of the result's children (activities for an output) had each status.
    counts = models.JSONField(default=dict, blank=True)
    # The monitoring run that wrote it (a plain id: this app sits below monitoring).
    run_id = models.PositiveBigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["result", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "as_of"], name="results_resultassessment_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result_id} {self.status} on {self.as_of}"
