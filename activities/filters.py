"""The activity list's filters, shared by the API and the pages (django-filter).

Filters on related rows use EXISTS subqueries rather than joins, so an activity is never listed
twice and the list needs no DISTINCT.
"""

from decimal import Decimal

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.models import Activity, ActivityParticipation, MonitoringStatus, PriorityDesignation


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ties are broken by id, so pages of a sorted list neither repeat nor skip activities."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


BIGINT_MAX = 2**63 - 1
SMALLINT_MAX = 2**15 - 1


def _whole(value: Decimal, upper: int) -> int | None:
    """The number as an int if a row can hold it (whole, within 0..upper), else None: such a
    number matches no activity, rather than being rounded or reaching the database driver, which
    cannot send it (an error 500)."""
    if value != value.to_integral_value() or not 0 <= value <= upper:
        return None
    return int(value)


class IdFilter(django_filters.NumberFilter):
    def filter(self, qs: QuerySet, value: Decimal | None) -> QuerySet:
        if value is None:
            return qs
        pk = _whole(value, BIGINT_MAX)
        return qs.none() if pk is None else super().filter(qs, pk)


class ActivityFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="matrix__plan", help_text="Joint Action Plan id.")
    matrix = IdFilter(field_name="matrix", help_text="Activity Matrix id.")
    thematic_area = django_filters.CharFilter(
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
    organization = django_filters.CharFilter(
        method="filter_organization",
        help_text="Acronym of a participating organization, e.g. `INTERPOL`.",
    )
    priority_year = django_filters.NumberFilter(
        method="filter_priority_year", help_text="Only activities designated priorities that year."
    )
    search = django_filters.CharFilter(
        method="filter_search", help_text="Text in the code, title or description."
    )
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

    def filter_priority_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # The hint says what the schema documents (an integer year); the form field hands over
        # a Decimal, which may be a fraction or out of range.
        year = _whole(Decimal(value), SMALLINT_MAX)
        if year is None:
            return queryset.none()
        designated = PriorityDesignation.objects.filter(activity=OuterRef("pk"), year=year)
        return queryset.filter(Exists(designated))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(code__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )
