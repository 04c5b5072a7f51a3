"""What may be shown to whom, and what was shown: sensitivity tiers per activity and field group,
and the published snapshots of a plan (frozen copies of what the public may see).

Kept in tables of their own, keyed by activity, rather than columns on activities' models: the
activities domain knows nothing of publication, and an activity without a `Disclosure` row has
every tier at the default (`partners`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from activities.models import Activity
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, TextLengthValidator
from partnership.models import JointActionPlan
from publication import rules

TIER_VALUES = list(rules.TIER_ORDER)


class Disclosure(models.Model):
    """The tiers of one activity: the activity as a whole, and each field group that can carry
    sensitive detail; and the texts written for the public. Written only by
    `services.set_disclosure`, audited (django-simple-history, shown in the activity's history)."""

    class Tier(models.TextChoices):
        PUBLIC = rules.Tier.PUBLIC, "Public"
        PARTNERS = rules.Tier.PARTNERS, "Partners (staff of either organization)"
        RESTRICTED = (
            rules.Tier.RESTRICTED,
            "Restricted (participating organizations and managers)",
        )

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="disclosure")
    tier = models.CharField(
        "activity tier", max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER
    )
    description_tier = models.CharField(
        max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER
    )
    milestones_tier = models.CharField(
        max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER
    )
    indicators_tier = models.CharField(
        max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER
    )
    progress_tier = models.CharField(
        "progress narratives tier", max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER
    )
    risks_tier = models.CharField(max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER)
    funding_tier = models.CharField(
        "funding lines and donors tier",
        max_length=12,
        choices=Tier.choices,
        default=rules.DEFAULT_TIER,
    )
    places_tier = models.CharField(max_length=12, choices=Tier.choices, default=rules.DEFAULT_TIER)
    public_summary = models.TextField(
        blank=True,
        validators=[TextLengthValidator(LONG_TEXT_MAX)],
        help_text="What the public reads about this activity, written for them.",
    )
    public_status_reason = models.TextField(
        blank=True,
        validators=[TextLengthValidator(NOTE_MAX)],
        help_text="Why the activity stands where it does, in words fit for the public "
        "(the monitoring reasons name milestones and figures, and are never published).",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__in=TIER_VALUES)
                & Q(description_tier__in=TIER_VALUES)
                & Q(milestones_tier__in=TIER_VALUES)
                & Q(indicators_tier__in=TIER_VALUES)
                & Q(progress_tier__in=TIER_VALUES)
                & Q(risks_tier__in=TIER_VALUES)
                & Q(funding_tier__in=TIER_VALUES)
                & Q(places_tier__in=TIER_VALUES),
                name="publication_disclosure_tiers_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Publication settings of activity {self.activity_id}"

    @property
    def field_tiers(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_tier") for name in rules.FIELD_GROUPS}


class Snapshot(models.Model):
    """A published, frozen copy of what the public may see of a plan as of an assessed date.

    The document is the output of `publication.public_view.public_view` at publishing time, kept
    in two columns — `activities`, its list of activities, and `content`, the rest (a few
    kilobytes) — so that a page without the activities never reads them (PostgreSQL reads a
    large JSON value whole, whichever key is asked for). It is never written again:
    `services.publish_snapshot` creates the row, and the only later write,
    `services.withdraw_snapshot`, touches the withdrawal columns alone (a conditional UPDATE).
    The public pages and API read nothing else. `digest` (SHA-256 of the canonical JSON of the
    whole document) is the basis of the public ETags."""

    plan = models.ForeignKey(JointActionPlan, on_delete=models.PROTECT, related_name="snapshots")
    as_of = models.DateField()
    content = models.JSONField(help_text="The published document but its activities.")
    activities = models.JSONField(default=list, blank=True)
    digest = models.CharField(max_length=64)
    activity_count = models.PositiveIntegerField(help_text="Public activities in the snapshot.")
    # Copied from the content when published, for the lists of snapshots: reading them from
    # inside the JSON would read every snapshot's whole document.
    plan_title = models.CharField(max_length=300)
    partnership_name = models.CharField(max_length=200)
    # The pre-publish checklist as it stood when published (internal: never served publicly),
    # and the manager's note when they published despite it.
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, validators=[TextLengthValidator(NOTE_MAX)])
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="published_snapshots"
    )
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawn_snapshots",
    )
    withdrawal_reason = models.TextField(blank=True, validators=[TextLengthValidator(NOTE_MAX)])

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="publication_snapshot_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(problem_count=0) | ~Q(note=""),
                name="publication_snapshot_problems_have_note",
            ),
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"),
                name="publication_snapshot_digest_hex",
            ),
            # A plan has one live snapshot per date; a corrected one replaces it after the first
            # is withdrawn.
            models.UniqueConstraint(
                fields=["plan", "as_of"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_snapshot_one_live_per_date",
                violation_error_message=(
                    "A snapshot of the plan as of this date is published; withdraw it first."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "-as_of"], name="publication_snapshot_plan"),
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.pk} of plan {self.plan_id} as of {self.as_of}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def document(self) -> dict:
        """The whole published document, as `public_view` made it."""
        return {**self.content, "activities": self.activities}
