"""What people are told: their notifications (inbox and e-mail), their choices, the digests sent.

Every row is written by `notifications.delivery` (from an `activities.models.Event`) or by
`notifications.services`; none by save(), signals or views.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from activities.models import Event
from partnership.limits import NOTE_MAX, TextLengthValidator

# A comment is a note in a conversation: as long as a reviewer's note.
COMMENT_MAX = NOTE_MAX


class Cadence(models.TextChoices):
    """How a person hears about one kind of event: at once, in a daily or weekly digest, or not
    at all (nothing in the inbox either)."""

    IMMEDIATE = "immediate", "Immediately"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "Off"


class Preference(models.Model):
    """A person's choice for one kind of event; without a row, the kind's default
    (notifications.rules.DEFAULT_CADENCE)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Event.Kind.choices)
    cadence = models.CharField(max_length=10, choices=Cadence.choices)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_preference_once_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="facts_changed"),
                name="notifications_preference_kind_for_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.cadence}"


class Digest(models.Model):
    """One digest e-mail: a person's daily or weekly notifications of one day or week. Unique
    per person, cadence and period, so a second run of beat's task sends it once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    period_start = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cadence", "period_start"], name="notifications_digest_once"
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=["daily", "weekly"]),
                name="notifications_digest_cadence_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadence} digest of {self.period_start} for {self.recipient}"


class Notification(models.Model):
    """One event told to one person on one channel: the log of every notification, to whom and
    why. Unique per (event, recipient, channel): delivering an event twice tells nobody twice."""

    class Channel(models.TextChoices):
        INBOX = "inbox", "Inbox"
        EMAIL = "email", "E-mail"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"  # an e-mail still to send, at once or in a digest
        SENT = "sent", "Sent"  # in the inbox from the start

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=400, blank=True)
    reason = models.CharField(max_length=200, help_text="Why this person is told.")
    state = models.CharField(max_length=10, choices=State.choices)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"], name="notifications_notification_once"
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False)
                | Q(state="pending", sent_at__isnull=True),
                name="notifications_notification_sent_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=~Q(cadence="off"), name="notifications_notification_not_off"
            ),
            models.CheckConstraint(
                condition=Q(channel="email") | Q(read_at__isnull=True) | Q(state="sent"),
                name="notifications_notification_read_once_there",
            ),
        ]
        indexes = [
            # The header's unread count and the inbox: one person's inbox rows, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="inbox"),
                name="notifications_inbox",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(channel="inbox", read_at__isnull=True),
                name="notifications_unread",
            ),
            # What the e-mail tasks look for: pending e-mails by cadence, oldest first.
            models.Index(
                fields=["cadence", "created_at"],
                condition=Q(channel="email", state="pending"),
                name="notifications_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient}: {self.subject}"


class Comment(models.Model):
    """One message in an activity's conversation, optionally about one of its progress updates
    (one under review, say). Plain text: shown escaped, links made clickable. Every edit is kept
    (history), and the thread says a comment was edited. Written only by
    notifications.conversation."""

    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="comments"
    )
    update = models.ForeignKey(
        "activities.ProgressUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(validators=[TextLengthValidator(COMMENT_MAX)])
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["mentioned"])

    class Meta:
        ordering = ["activity", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="notifications_comment_not_blank"),
        ]
        indexes = [
            models.Index(fields=["activity", "created_at"], name="notifications_comment_thread"),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on {self.activity_id}"


class WebhookSubscription(models.Model):
    """A REST client's standing request to be sent the events of some types (JSON POSTs signed
    with the secret). Registered by managers; disabled by the delivery after repeated failures,
    and the owner is told. Written only by notifications.webhooks."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(
        max_length=500
    )  # http or https (URLValidator's default schemes, ftp aside: the service)
    event_types = models.JSONField(default=list)
    # Kept as given: the tracker signs with it, so it cannot be stored as a digest.
    secret = models.CharField(max_length=200)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    # Deliveries that failed for good in a row; reset by one that lands.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret", "consecutive_failures"])

    class Meta:
        ordering = ["owner", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active=True, disabled_at__isnull=True)
                | Q(active=False, disabled_at__isnull=False),
                name="notifications_webhooksubscription_disabled_at_iff_inactive",
            ),
            models.CheckConstraint(
                condition=~Q(secret=""), name="notifications_webhooksubscription_has_secret"
            ),
        ]

    def __str__(self) -> str:
        return f"Webhook {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription: sent until it lands, with backoff, up to a limit."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="notifications_webhookdelivery_once"
            ),
            models.CheckConstraint(
                condition=Q(state="delivered", delivered_at__isnull=False)
                | (~Q(state="delivered") & Q(delivered_at__isnull=True)),
                name="notifications_webhookdelivery_delivered_at_iff_delivered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="notifications_webhook_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} to {self.subscription_id} ({self.state})"


class WebhookAttempt(models.Model):
    """The delivery log: every POST, with the answer's status code (None: no answer) or error."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="notifications_webhookattempt_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}: {self.status_code}"
