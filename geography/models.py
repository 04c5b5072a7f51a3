"""Where an activity happens: its recipient countries (ISO 3166-1, names from django-countries)
and recipient regions (UN M49, shipped in data/ and seeded by migration), each with an optional
share in percent, as IATI's recipient-country and recipient-region elements have them."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from activities.models import Activity


class Region(models.Model):
    """A UN M49 region: World, a region (Africa), a sub-region (Sub-Saharan Africa) or an
    intermediate region (Western Africa). Reference data: written only by the seeding migration."""

    class Level(models.IntegerChoices):
        WORLD = 0, "World"
        REGION = 1, "Region"
        SUB_REGION = 2, "Sub-region"
        INTERMEDIATE = 3, "Intermediate region"

    code = models.CharField(max_length=3, unique=True, help_text="M49 code, three digits.")
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{3}$"), name="geography_region_code_m49"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegionCountry(models.Model):
    """A country in a region, at every level: Nigeria is in Western Africa, Sub-Saharan Africa,
    Africa and the World, one row each, so a region's countries are one indexed lookup."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    country = CountryField()

    class Meta:
        ordering = ["region", "country"]
        verbose_name_plural = "region countries"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "country"], name="geography_regioncountry_once"
            ),
        ]
        indexes = [models.Index(fields=["country", "region"], name="geography_member_country")]

    def __str__(self) -> str:
        return f"{self.country.code} in {self.region.code}"


SHARE_FIELD = {
    "max_digits": 5,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "help_text": "Share of the activity in percent (more than 0, at most 100), or empty.",
}
SHARE_RANGE = Q(share__isnull=True) | (Q(share__gt=Decimal("0")) & Q(share__lte=Decimal("100")))


class ActivityCountry(models.Model):
    """A recipient country of an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="recipient_countries"
    )
    country = CountryField()
    share = models.DecimalField(**SHARE_FIELD)
    is_illustrative = models.BooleanField(
        default=False, help_text="Illustrative place: not taken from a public source."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "country"]
        verbose_name_plural = "activity countries"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "country"], name="geography_activitycountry_once"
            ),
            models.CheckConstraint(
                condition=SHARE_RANGE, name="geography_activitycountry_share_range"
            ),
        ]
        indexes = [
            # The map, the country page and the `country` filter start from the country.
            models.Index(fields=["country", "activity"], name="geography_country_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} in {self.country.code}"


class ActivityRegion(models.Model):
    """A recipient region of an activity (a programme across West Africa, say)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="recipient_regions"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="activities")
    share = models.DecimalField(**SHARE_FIELD)
    is_illustrative = models.BooleanField(
        default=False, help_text="Illustrative place: not taken from a public source."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "region"], name="geography_activityregion_once"
            ),
            models.CheckConstraint(
                condition=SHARE_RANGE, name="geography_activityregion_share_range"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "activity"], name="geography_region_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} in {self.region_id}"
