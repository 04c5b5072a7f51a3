"""The framework records: who the partners are and the documents that bind them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from partnership.limits import validate_date_in_bounds


class Organization(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL_ORGANIZATION = "international_organization", "International organization"
        MEMBER_STATE = "member_state", "Member state"
        DONOR = "donor", "Donor"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(acronym=""), name="partnership_organization_acronym_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.acronym


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    organizations = models.ManyToManyField(Organization, related_name="partnerships")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    class Kind(models.TextChoices):
        COOPERATION_AGREEMENT = "cooperation_agreement", "Cooperation agreement"
        MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding", "Memorandum of understanding"
        LEGAL_AGREEMENT = "legal_agreement", "Legal agreement"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=300)
    parties = models.ManyToManyField(Organization, related_name="agreements", blank=True)
    signed_on = models.DateField(validators=[validate_date_in_bounds])
    place = models.CharField(max_length=200, blank=True)
    entry_into_force = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    end_on = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    builds_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="built_upon_by"
    )
    summary = models.TextField(blank=True)
    document_url = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_into_force__isnull=True)
                | Q(entry_into_force__gte=F("signed_on")),
                name="partnership_agreement_in_force_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gt=F("signed_on")),
                name="partnership_agreement_end_after_signature",
            ),
            models.CheckConstraint(
                condition=~Q(builds_on=F("id")), name="partnership_agreement_not_builds_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.signed_on.year})"


class JointActionPlan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=300)
    period_start = models.DateField(validators=[validate_date_in_bounds])
    period_end = models.DateField(validators=[validate_date_in_bounds])
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    objectives = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="partnership_jointactionplan_start_before_end",
            ),
        ]
        indexes = [
            models.Index(
                fields=["state", "period_start", "period_end"],
                name="partnership_plan_state_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActivityMatrix(models.Model):
    plan = models.ForeignKey(JointActionPlan, on_delete=models.PROTECT, related_name="matrices")
    edition = models.PositiveSmallIntegerField(default=1)
    adopted_on = models.DateField(validators=[validate_date_in_bounds], null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "activity matrices"
        ordering = ["plan", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "edition"], name="partnership_activitymatrix_unique_edition"
            ),
            models.CheckConstraint(
                condition=Q(edition__gte=1), name="partnership_activitymatrix_edition_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — matrix edition {self.edition}"


class ThematicArea(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class SDGTarget(models.Model):
    code = models.CharField(max_length=10, unique=True)
    goal = models.PositiveSmallIntegerField()
    title = models.TextField()

    class Meta:
        verbose_name = "SDG target"
        ordering = ["goal", "id"]

    def __str__(self) -> str:
        return f"SDG {self.code}"


class Profile(models.Model):
    """A person's organization and role in the tracker; the basis of every permission check."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        LIAISON_OFFICER = "liaison_officer", "Liaison officer"
        MANAGER = "manager", "Manager"
        ADMIN = "admin", "Administrator"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    # The organization's focal point for the partnership: told when a report of one of its
    # activities stays late after the officer was reminded (notifications' escalation).
    is_focal_point = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="liaison_officer") | Q(organization__isnull=False),
                name="partnership_profile_liaison_has_organization",
            ),
            models.CheckConstraint(
                condition=Q(is_focal_point=False) | Q(organization__isnull=False),
                name="partnership_profile_focal_point_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AccountUnlock(models.Model):
    """The record of a manager lifting a sign-in lockout (django-axes keeps the lockouts
    themselves, and forgets them once cleared): who unlocked which account, when, and the
    addresses it was locked at. Written only by `services.unlock_account`."""

    username = models.CharField(max_length=150)
    ip_addresses = models.JSONField(default=list, blank=True)
    attempts_cleared = models.PositiveIntegerField(default=0)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_unlocks"
    )
    unlocked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-unlocked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(username=""), name="partnership_accountunlock_username_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} unlocked at {self.unlocked_at:%Y-%m-%d %H:%M}"
