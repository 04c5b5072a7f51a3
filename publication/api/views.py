"""The public API (/api/public/v1/): published snapshots, their activities and the countries where
those take place. No authentication,
read only, throttled per client address; every answer has an ETag and Cache-Control, and 304
when the client already has it. A withdrawn snapshot answers 410.

Like the portal, it returns the snapshot's frozen document and reads nothing live. Queries: one
for the snapshot's metadata (304 and 410 stop there), one for its content; the list of snapshots
reads one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from publication import documents, selectors
from publication.api import serializers as shapes
from publication.http import conditional, etag_for
from publication.selectors import SnapshotMeta

DEFAULT_RATE = "120/minute"


class PublicRateThrottle(AnonRateThrottle):
    """Per client address (REMOTE_ADDR, or as TRUSTED_PROXY_COUNT says), in the default cache;
    its own budget, apart from the signed-in API's anonymous one."""

    scope = "public"

    def get_rate(self) -> str:
        return getattr(settings, "PUBLIC_API_THROTTLE", DEFAULT_RATE)


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = "This snapshot was withdrawn and is no longer published."
    default_code = "gone"


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    renderer_classes = [JSONRenderer]


def _published_on(meta: SnapshotMeta | selectors.PublishedEntry) -> str:
    return timezone.localtime(meta.published_at).date().isoformat()


def _meta(snapshot_id: int) -> SnapshotMeta:
    meta = selectors.snapshot_meta(snapshot_id=snapshot_id)
    if meta is None:
        raise exceptions.NotFound("No such snapshot.")
    if meta.is_withdrawn:
        withdrawn = timezone.localtime(meta.withdrawn_at).date().isoformat()
        raise Gone(f"This snapshot was withdrawn on {withdrawn} and is no longer published.")
    return meta


def _snapshot_answer(request: Request, snapshot_id: int, build, **reading) -> HttpResponse:
    """404, 410, 304, else `build(meta, content)` with the document as `reading` says
    (`selectors.snapshot_content`)."""
    meta = _meta(snapshot_id)
    n = reading.get("activity_n")
    if n is not None and not 1 <= n <= meta.activity_count:
        # Known from the metadata: the document is not read (nor asked for a huge index).
        raise exceptions.NotFound("No such published activity.")
    return conditional(
        request,
        etag_for(request, meta.digest),
        lambda: build(meta, selectors.snapshot_content(snapshot_id=snapshot_id, **reading)),
    )


ERRORS = {
    400: OpenApiResponse(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        description="A query parameter is refused: each refused parameter with its messages.",
    ),
    404: OpenApiResponse(shapes.ErrorSerializer, description="No such snapshot or activity."),
    410: OpenApiResponse(shapes.ErrorSerializer, description="The snapshot was withdrawn."),
    429: OpenApiResponse(shapes.ErrorSerializer, description="Too many requests."),
}

_NOT_400 = {code: answer for code, answer in ERRORS.items() if code != 400}


def _paginated(serializer) -> Any:
    return inline_serializer(
        name=f"Paginated{serializer.__name__.removesuffix('Serializer')}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


class SnapshotList(PublicView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="public_snapshots_list",
        summary="Published snapshots, newest date first",
        parameters=[shapes.PageQuerySerializer],
        responses={
            200: _paginated(shapes.SnapshotEntrySerializer),
            400: ERRORS[400],
            404: OpenApiResponse(shapes.ErrorSerializer, description="No such page."),
            429: ERRORS[429],
        },
    )
    def get(self, request: Request) -> HttpResponse:
        shapes.PageQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        entries = selectors.live_snapshots()
        etag = etag_for(request, *(f"{e.id}:{e.digest}" for e in entries))

        def build() -> Response:
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(entries, request, view=self)
            return paginator.get_paginated_response(
                [
                    {
                        "id": e.id,
                        "url": request.build_absolute_uri(
                            reverse("public-api:snapshot", args=[e.id])
                        ),
                        "activities_url": request.build_absolute_uri(
                            reverse("public-api:activities", args=[e.id])
                        ),
                        "plan_title": e.plan_title,
                        "partnership": e.partnership,
                        "as_of": e.as_of.isoformat(),
                        "published_on": _published_on(e),
                        "activity_count": e.activity_count,
                    }
                    for e in page
                ]
            )

        return conditional(request, etag, build)


class SnapshotDetail(PublicView):
    @extend_schema(
        operation_id="public_snapshots_retrieve",
        summary="One snapshot: the partnership, framework, counts, priorities and SDG 16",
        responses={200: shapes.SnapshotSerializer, **_NOT_400},
    )
    def get(self, request: Request, snapshot_id: int) -> HttpResponse:
        def build(meta: SnapshotMeta, content: dict) -> Response:
            body = dict(content)
            body.update(
                id=meta.id,
                published_on=_published_on(meta),
                activities_url=request.build_absolute_uri(
                    reverse("public-api:activities", args=[meta.id])
                ),
                countries_url=request.build_absolute_uri(
                    reverse("public-api:countries", args=[meta.id])
                ),
            )
            return Response(body)

        return _snapshot_answer(request, snapshot_id, build)


class SnapshotActivities(PublicView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        operation_id="public_snapshot_activities_list",
        summary="The snapshot's published activities (search, filter, pages)",
        parameters=[shapes.ActivityQuerySerializer],
        responses={200: _paginated(shapes.ActivitySerializer), **ERRORS},
    )
    def get(self, request: Request, snapshot_id: int) -> HttpResponse:
        query = shapes.ActivityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data

        def build(meta: SnapshotMeta, content: dict) -> Response:
            found = documents.matching_activities(
                content,
                q=params.get("q", ""),
                area=params.get("thematic_area", ""),
                status=params.get("status", ""),
            )
            paginator = self.pagination_class()
            page = paginator.paginate_queryset(found, request, view=self)
            return paginator.get_paginated_response(page)

        return _snapshot_answer(request, snapshot_id, build, with_activities=True)


class SnapshotActivity(PublicView):
    @extend_schema(
        operation_id="public_snapshot_activities_retrieve",
        summary="One published activity of the snapshot, by its number in it",
        responses={200: shapes.ActivitySerializer, **_NOT_400},
    )
    def get(self, request: Request, snapshot_id: int, n: int) -> HttpResponse:
        def build(meta: SnapshotMeta, content: dict) -> Response:
            activity = content["activity"]
            if n < 1 or activity is None or activity.get("n") != n:
                raise exceptions.NotFound("No such published activity.")
            return Response(activity)

        return _snapshot_answer(request, snapshot_id, build, activity_n=n)


def _country_answer(request: Request, meta: SnapshotMeta, country: dict, *, full: bool) -> dict:
    """A country of `documents.countries` with its links (and its activities, `full`)."""
    body = {
        "iso": country["iso"],
        "name": country["name"],
        "url": request.build_absolute_uri(
            reverse("public-api:country", args=[meta.id, country["iso"]])
        ),
        "activity_count": country["activity_count"],
        "status_counts": country["status_counts"],
    }
    if full:
        body["as_of"] = meta.as_of.isoformat()
        body["activities"] = [
            {
                "n": a["n"],
                "url": request.build_absolute_uri(
                    reverse("public-api:activity", args=[meta.id, a["n"]])
                ),
                **{key: a[key] for key in a if key != "n"},
            }
            for a in country["activities"]
        ]
    return body


class SnapshotCountries(PublicView):
    @extend_schema(
        operation_id="public_snapshot_countries_list",
        summary="The countries of the snapshot's published activities, with counts by status",
        description="Only activities whose places are published count: an activity whose places "
        "are not public is in no country's figures.",
        responses={200: shapes.CountryListSerializer, **_NOT_400},
    )
    def get(self, request: Request, snapshot_id: int) -> HttpResponse:
        def build(meta: SnapshotMeta, content: dict) -> Response:
            found = documents.countries(content)
            return Response(
                {
                    "as_of": meta.as_of.isoformat(),
                    "count": len(found),
                    "results": [_country_answer(request, meta, c, full=False) for c in found],
                }
            )

        return _snapshot_answer(request, snapshot_id, build, with_activities=True)


class SnapshotCountry(PublicView):
    @extend_schema(
        operation_id="public_snapshot_countries_retrieve",
        summary="One country of the snapshot (ISO 3166-1 alpha-2 code): counts and activities",
        responses={200: shapes.CountrySerializer, **_NOT_400},
    )
    def get(self, request: Request, snapshot_id: int, iso: str) -> HttpResponse:
        code = iso.upper()

        def build(meta: SnapshotMeta, content: dict) -> Response:
            country = next((c for c in documents.countries(content) if c["iso"] == code), None)
            if country is None:
                # The same answer for a country with no published activity and for one whose
                # activities are not public: nothing tells them apart.
                raise exceptions.NotFound("No published activity in this country.")
            return Response(_country_answer(request, meta, country, full=True))

        if len(code) != 2 or not code.isascii() or not code.isalpha():
            _meta(snapshot_id)  # an unknown or withdrawn snapshot answers as such first
            raise exceptions.NotFound("No such country code (ISO 3166-1 alpha-2).")
        return _snapshot_answer(request, snapshot_id, build, with_activities=True)
