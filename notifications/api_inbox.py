"""One's inbox in the REST API v1: list one's notifications (newest first, `?unread=true` for
the unread ones), mark one or all of them read. Every signed-in person has an inbox and reads
only their own. Thin views over notifications.selectors and notifications.services; routes at
the bottom, mounted by config.api_urls."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from notifications import selectors, services
from notifications.models import Notification
from partnership.api.common import READ_ERRORS, VALIDATION_ERROR
from partnership.api.inputs import query, validated
from partnership.limits import ID_MAX


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="event.kind", help_text="The type of event.")
    activity_ids = serializers.ListField(
        source="event.activity_ids", child=serializers.IntegerField(), help_text="What it is about."
    )
    url = serializers.CharField(help_text="The tracker page to look at (a path).")
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "kind",
            "activity_ids",
            "subject",
            "body",
            "url",
            "reason",
            "created_at",
            "read_at",
            "unread",
        ]

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


class InboxQuery(serializers.Serializer):
    # A choice, not a BooleanField: DRF reads an absent boolean of a query string as false.
    unread = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        help_text="true: only the unread ones; false: only those read.",
    )


class MarkReadInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        max_length=500,
        help_text="Which of your notifications; absent: all of them.",
    )


MarkedSerializer = inline_serializer(
    name="MarkedRead",
    fields={
        "marked": serializers.IntegerField(help_text="How many were unread and are read now."),
        "unread": serializers.IntegerField(help_text="How many are left unread."),
    },
)


@extend_schema(parameters=[InboxQuery])
class InboxView(generics.ListAPIView):
    """Your notifications, newest first: what happened, why you are told, where to look."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        params = query(InboxQuery, self.request)
        rows = selectors.inbox(user=self.request.user).select_related("event")
        if "unread" in params:
            rows = rows.filter(read_at__isnull=params["unread"] == "true")
        return rows


class MarkOneReadView(generics.GenericAPIView):
    """Mark one of your notifications read (already read: stays as it was)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    @extend_schema(
        operation_id="notifications_read_one",
        request=None,
        responses={200: NotificationSerializer, **READ_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        mine = selectors.inbox(user=request.user).select_related("event")
        get_object_or_404(mine, pk=pk)  # someone else's is no such notification
        services.mark_read(actor=request.user, notification_ids=[pk])
        return Response(NotificationSerializer(mine.get(pk=pk)).data)


class MarkAllReadView(generics.GenericAPIView):
    """Mark your notifications read: those named by `ids`, or all of them (someone else's ids
    are left alone)."""

    serializer_class = MarkedSerializer

    @extend_schema(
        operation_id="notifications_read_all",
        request=MarkReadInput,
        responses={200: MarkedSerializer, 400: VALIDATION_ERROR, 401: READ_ERRORS[401]},
    )
    def post(self, request: Request) -> Response:
        ids = validated(MarkReadInput, request.data).get("ids")
        marked = services.mark_read(actor=request.user, notification_ids=ids)
        unread = selectors.inbox(user=request.user).filter(read_at__isnull=True).count()
        return Response({"marked": marked, "unread": unread})


urlpatterns = [
    path("notifications/", InboxView.as_view(), name="notification-list"),
    path("notifications/read/", MarkAllReadView.as_view(), name="notification-read-all"),
    path("notifications/<int:pk>/read/", MarkOneReadView.as_view(), name="notification-read"),
]
