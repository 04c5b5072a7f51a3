"""The activity list's filters, shared by the API and the pages (django-filter).

Filters on related rows use EXISTS subqueries rather than joins, so an activity is never listed
twice and the list needs no DISTINCT.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from activities.models import Activity, ActivityParticipation, MonitoringStatus, PriorityDesignation
from activities.sensitivity_selectors import group_visible
from partnership.limits import EARLIEST_DATE, ID_MAX, LATEST_DATE, IdField

# Priority years: the dates every record keeps to (partnership.limits).
YEAR_MIN, YEAR_MAX = EARLIEST_DATE.year, LATEST_DATE.year


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ties are broken by id, so pages of a sorted list neither repeat nor skip activities."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


@extend_schema_field({"type": "string", "pattern": "^[^\\x00]*$"})
class TextFilter(django_filters.CharFilter):
    """Text: Django's form field refuses a NUL character (400), and the schema says so."""


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """A record's id: ASCII digits, 1 … 2^63-1, else the filter is invalid (400 in the API, the
    error beside the field on the page). django-filter's NumberFilter reads a Decimal, so
    `plan=-2.2e-07` would have quietly matched nothing."""

    field_class = IdField


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(django_filters.NumberFilter):
    field_class = IdField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class ActivityFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="matrix__plan", help_text="Joint Action Plan id.")
    matrix = IdFilter(field_name="matrix", help_text="Activity Matrix id.")
    thematic_area = TextFilter(
        field_name="thematic_area__code", help_text="Thematic area code, e.g. `terrorism`."
    )
    cooperation_type = django_filters.ChoiceFilter(choices=Activity.CooperationType.choices)
    horizon = django_filters.ChoiceFilter(choices=Activity.Horizon.choices)
    lifecycle = django_filters.ChoiceFilter(choices=Activity.Lifecycle.choices)
    status = django_filters.MultipleChoiceFilter(
        choices=MonitoringStatus.choices,
        # A filter on the activity's own column cannot repeat a row; django-filter's default
        # DISTINCT made PostgreSQL sort every matching activity, all columns, to keep 25.
        distinct=False,
        help_text="Latest monitoring status; repeat the parameter for several.",
    )
    organization = TextFilter(
        method="filter_organization",
        help_text="Acronym of a participating organization, e.g. `INTERPOL`.",
    )
    priority_year = YearFilter(
        method="filter_priority_year", help_text="Only activities designated priorities that year."
    )
    topic = TextFilter(
        method="filter_topic",
        help_text="Code of a topic the activity is about, e.g. `wildlife-forest-crime`; with "
        "`organization`, the activities behind an overlap of the matrix.",
    )
    search = TextFilter(method="filter_search", help_text="Text in the code, title or description.")
    ordering = StableOrderingFilter(
        fields=(
            ("code", "code"),
            ("title", "title"),
            ("start_date", "start_date"),
            ("end_date", "end_date"),
            ("status", "status"),
            ("status_as_of", "status_as_of"),
            ("updated_at", "updated_at"),
            ("thematic_area__order", "thematic_area"),
        ),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_organization(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        participates = ActivityParticipation.objects.filter(
            activity=OuterRef("pk"), organization__acronym__iexact=value
        )
        return queryset.filter(Exists(participates))

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        about = Activity.topics.through.objects.filter(activity=OuterRef("pk"), topic__code=value)
        return queryset.filter(Exists(about))

    def filter_priority_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        designated = PriorityDesignation.objects.filter(activity=OuterRef("pk"), year=value)
        return queryset.filter(Exists(designated))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        described = Q(description__icontains=text)
        if self.request is not None:
            # A match in a description the person may not read would tell what it holds: the
            # lists built for a person (`request` with their `user`) match only those they may.
            described &= group_visible(self.request.user, "description")
        return queryset.filter(Q(code__icontains=text) | Q(title__icontains=text) | described)


def add_filters(filters: dict[str, django_filters.Filter]) -> None:
    """Offer more filters on the activity list, to the API (and its schema) and the selectors
    alike: an app above this one adds its own (geography's `country` and `region`) from its
    AppConfig.ready(), so this app need not import it. A filter's `method` is a callable here.
    The same filter again is no change (Django runs ready() again when tests change
    INSTALLED_APPS)."""
    for name, filter_ in filters.items():
        if ActivityFilter.base_filters.get(name, filter_) is not filter_:
            raise ValueError(f"The activity list already has a filter named {name!r}.")
        ActivityFilter.base_filters[name] = filter_
