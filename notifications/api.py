"""Webhook subscriptions in the REST API v1 (managers): register, list, read, change, delete,
and each one's delivery log. Thin views over notifications.webhooks; routes at the bottom,
mounted by config.api_urls. The secret is shown when the subscription is created (and never
again): the receiver keeps it to verify the signatures."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from notifications import url_safety, webhooks
from notifications.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from partnership.access import is_manager
from partnership.api.common import ERROR_RESPONSES, VALIDATION_ERROR
from partnership.api.inputs import validated

KIND_CHOICES = [(kind, kind) for kind in webhooks.WEBHOOK_KINDS]


class SubscriptionSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=KIND_CHOICES))

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "event_types",
            "description",
            "active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "version",
            "created_at",
        ]


class CreatedSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text="Shown once: keep it to verify the signatures.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


def public_host(url: str) -> None:
    """A URL the tracker never sends to (its host resolves to a private address): 400, with
    every other error. The service checks again (DNS may answer differently by then)."""
    if refused := url_safety.refusal(url):
        raise serializers.ValidationError(refused)


URL_HELP = (
    "http or https; its host must resolve to public addresses only (not private, loopback, "
    "link-local, multicast or reserved ones), unless WEBHOOK_ALLOW_PRIVATE_HOSTS is on."
)


class SubscriptionInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, validators=[public_host], help_text=URL_HELP)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES), min_length=1, max_length=20
    )
    secret = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="At least 16 characters; absent or blank: one is made.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SubscriptionChangeSerializer(serializers.Serializer):
    url = serializers.URLField(
        max_length=500, required=False, validators=[public_host], help_text=URL_HELP
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES),
        min_length=1,
        max_length=20,
        required=False,
    )
    secret = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    active = serializers.BooleanField(required=False, help_text="true enables it again.")
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read; absent: any."
    )


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "attempted_at", "status_code", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.kind")
    attempt_log = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_type",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]


def _managers_only(request: Request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers register webhooks.")


class SubscriptionListView(generics.ListAPIView):
    """Your webhook subscriptions (managers); register one."""

    serializer_class = SubscriptionSerializer
    queryset = WebhookSubscription.objects.none()

    def get_queryset(self):
        _managers_only(self.request)
        return WebhookSubscription.objects.filter(owner=self.request.user).order_by("id")

    @extend_schema(
        request=SubscriptionInputSerializer,
        responses={201: CreatedSubscriptionSerializer, 400: VALIDATION_ERROR, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        _managers_only(request)
        data = validated(SubscriptionInputSerializer, request.data)
        subscription = webhooks.create_subscription(actor=request.user, **data)
        return Response(
            CreatedSubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED
        )


class SubscriptionDetailView(generics.RetrieveAPIView):
    """One of your subscriptions: read, change (PATCH), delete."""

    serializer_class = SubscriptionSerializer
    queryset = WebhookSubscription.objects.none()

    def get_object(self):
        _managers_only(self.request)
        return get_object_or_404(WebhookSubscription, pk=self.kwargs["pk"], owner=self.request.user)

    @extend_schema(
        request=SubscriptionChangeSerializer,
        responses={200: SubscriptionSerializer, 400: VALIDATION_ERROR, **ERROR_RESPONSES},
    )
    def patch(self, request: Request, pk: int) -> Response:
        subscription = self.get_object()
        data = validated(SubscriptionChangeSerializer, request.data)
        version = data.pop("version", None)
        subscription = webhooks.update_subscription(
            actor=request.user, subscription=subscription, version=version, changes=data
        )
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(responses={204: None, **ERROR_RESPONSES})
    def delete(self, request: Request, pk: int) -> Response:
        webhooks.delete_subscription(actor=request.user, subscription=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(generics.ListAPIView):
    """The delivery log of one of your subscriptions, newest first: each event's state, and
    every attempt with its response code."""

    serializer_class = DeliverySerializer
    queryset = WebhookDelivery.objects.none()

    def get_queryset(self):
        _managers_only(self.request)
        subscription = get_object_or_404(
            WebhookSubscription, pk=self.kwargs["pk"], owner=self.request.user
        )
        return (
            WebhookDelivery.objects.filter(subscription=subscription)
            .select_related("event")
            .prefetch_related("attempt_log")
            .order_by("-created_at", "-id")
        )


urlpatterns = [
    path("webhooks/", SubscriptionListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", SubscriptionDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/deliveries/", DeliveryListView.as_view(), name="webhook-deliveries"),
]
