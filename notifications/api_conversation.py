"""An activity's conversation in the REST API v1: read its comments (oldest first) and post one,
for the staff of its participating organizations and managers, as on the page (403 for anyone
else). A comment may be about one of the activity's progress updates (not a draft) and may
@mention people, who are told as from the page; its author edits it (PUT, naming the version
read: 412 when it changed since), the earlier text kept in its history. Thin:
notifications.conversation writes, notifications.selectors reads; routes at the bottom, mounted
by config.api_urls."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from activities import page_selectors
from activities.models import Activity, ProgressUpdate
from notifications import conversation, selectors
from notifications.models import COMMENT_MAX, Comment
from partnership.api.common import ERROR_RESPONSES, VALIDATION_ERROR
from partnership.api.inputs import validated

User = get_user_model()


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    mentioned = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True, help_text="Who was @mentioned."
    )
    update = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The progress update it is about, if any."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "activity",
            "update",
            "author",
            "body",
            "mentioned",
            "version",
            "created_at",
            "edited_at",
        ]


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=COMMENT_MAX, help_text="Plain text; mention someone with @username."
    )
    update = serializers.PrimaryKeyRelatedField(
        # A draft is not discussed (nor may its existence be probed here).
        queryset=ProgressUpdate.objects.exclude(state=ProgressUpdate.State.DRAFT),
        required=False,
        allow_null=True,
        help_text="One of the activity's progress updates (not a draft) it is about.",
    )


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


def _activity(request: Request, pk: int) -> Activity:
    """The activity, if the requester takes part in its conversation (else 403; 404 when there
    is none, or it is restricted and the requester outside it, as its detail answers)."""
    activity = page_selectors.visible_activity_or_404(pk, request.user)
    if not conversation.may_take_part(request.user, activity):
        raise PermissionDenied(conversation.REFUSED)
    return activity


class CommentListView(generics.ListAPIView):
    """The conversation on an activity, oldest first; post a comment."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = _activity(self.request, self.kwargs["pk"])
        mentioned = Prefetch("mentioned", queryset=User.objects.order_by("username"))
        return selectors.thread(activity_id=activity.pk).prefetch_related(mentioned)

    @extend_schema(
        request=CommentInputSerializer,
        responses={201: CommentSerializer, 400: VALIDATION_ERROR, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = _activity(request, pk)
        data = validated(CommentInputSerializer, request.data)
        comment = conversation.post_comment(
            actor=request.user, activity=activity, body=data["body"], update=data.get("update")
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailView(generics.GenericAPIView):
    """Edit your comment: its new text, at the version you read."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.none()

    @extend_schema(
        request=CommentEditSerializer,
        responses={
            200: CommentSerializer,
            400: VALIDATION_ERROR,
            412: OpenApiResponse(
                OpenApiTypes.OBJECT, description="The comment changed since your version."
            ),
            **ERROR_RESPONSES,
        },
    )
    def put(self, request: Request, pk: int) -> Response:
        comment = get_object_or_404(Comment.objects.select_related("activity"), pk=pk)
        data = validated(CommentEditSerializer, request.data)
        edited = conversation.edit_comment(
            actor=request.user, comment=comment, version=data["version"], body=data["body"]
        )
        return Response(CommentSerializer(edited).data)


urlpatterns = [
    path("activities/<int:pk>/comments/", CommentListView.as_view(), name="activity-comments"),
    path("comments/<int:pk>/", CommentDetailView.as_view(), name="comment-detail"),
]
