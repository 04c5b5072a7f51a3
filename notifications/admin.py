"""Admin of the notifications records, read-only: what people were told (and their choices), the
conversations and the webhooks are written only by the notifications services and the delivery
(an admin form's plain save() would skip their checks, history and events), so operators look
here and change nothing. A subscription's secret is never shown."""

from django.contrib import admin

from notifications.models import (
    Comment,
    Digest,
    Notification,
    Preference,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from partnership.service_admin import ViewOnly


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The log of every notification: to whom, on which channel, why, and whether it went."""

    list_display = ["id", "recipient", "channel", "cadence", "subject", "state", "created_at"]
    list_filter = ["channel", "state", "cadence"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "reason", "recipient__username"]
    raw_id_fields = ["event", "recipient", "digest"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "cadence", "period_start", "items", "sent_at"]
    list_filter = ["cadence"]
    list_select_related = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    """Each person's own choice, made on their settings page."""

    list_display = ["user", "kind", "cadence"]
    list_filter = ["kind", "cadence"]
    list_select_related = ["user"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["id", "activity", "author", "created_at", "edited_at"]
    list_select_related = ["activity", "author"]
    search_fields = ["body", "author__username", "activity__code"]
    raw_id_fields = ["activity", "update", "author", "mentioned"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "url", "owner", "active", "consecutive_failures", "disabled_at"]
    list_filter = ["active"]
    list_select_related = ["owner"]
    search_fields = ["url", "owner__username"]
    # The tracker signs with the secret: it is the receiver's to keep, nobody's to read here.
    exclude = ["secret"]


class AttemptInline(ViewOnly, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ["number", "attempted_at", "status_code", "error", "duration_ms"]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: each event's state for each subscription, with every attempt."""

    list_display = ["id", "subscription", "event", "state", "attempts", "last_status_code"]
    list_filter = ["state"]
    list_select_related = ["subscription", "event"]
    raw_id_fields = ["subscription", "event"]
    inlines = [AttemptInline]
