"""Small template helpers of the dashboard pages."""

from decimal import Decimal

from django import template
from django.urls import reverse

from activities.models import MonitoringStatus

register = template.Library()

STATUS_LABELS = {**dict(MonitoringStatus.choices), "unassessed": "Not assessed", "": "Not assessed"}


@register.filter
def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", str(status))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def money(value) -> str:
    """Whole currency units with thousands separators: 1234567.80 → "1,234,568"."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.0f}"


@register.simple_tag
def activity_url(activity_id: int) -> str:
    return reverse("activities:detail", args=[activity_id])


@register.filter
def scope_query(scope, on) -> str:
    """The dashboard's query string (plan and date) at another date."""
    return scope.query(as_of=on)
