"""The public portal under /public/: no login, read only, published snapshots only.

Every page renders a snapshot's frozen document (`Snapshot.content`, made by `public_view`) and
reads nothing live. Queries: one for the snapshot's metadata (enough for a 304 or a 410), one
for its content; the index reads the list of live snapshots in one query.

Rendered without the request's context processors, so a public page never touches the session
(no Vary: Cookie, no cookie set: shared caches may keep it), and no template could print the
signed-in user's details.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from partnership.limits import parse_id
from publication import documents, selectors
from publication.http import conditional, etag_for
from publication.selectors import SnapshotMeta

PAGE_SIZE = 25


def _page(template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(render_to_string(template, context), status=status)


def _meta_or_404(snapshot_id: int) -> SnapshotMeta:
    meta = selectors.snapshot_meta(snapshot_id=snapshot_id)
    if meta is None:
        raise Http404("No such snapshot.")
    return meta


def _gone(meta: SnapshotMeta) -> HttpResponse:
    response = _page(
        "publication/public/gone.html",
        {"published_on": timezone.localtime(meta.published_at), "withdrawn_on": meta.withdrawn_at},
        status=410,
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def _snapshot_page(request: HttpRequest, snapshot_id: int, render, **reading) -> HttpResponse:
    """The shared steps of every snapshot page: 404, 410, 304, else `render(meta, content)` with
    the document as `reading` says (`selectors.snapshot_content`: its activities, or one)."""
    meta = _meta_or_404(snapshot_id)
    if meta.is_withdrawn:
        return _gone(meta)
    n = reading.get("activity_n")
    if n is not None and not 1 <= n <= meta.activity_count:
        # Known from the metadata: the document is not read (nor asked for a huge index).
        raise Http404("No such published activity.")
    return conditional(
        request,
        etag_for(request, meta.digest),
        lambda: render(
            meta,
            selectors.snapshot_content(snapshot_id=snapshot_id, **reading),
        ),
    )


def _base(meta: SnapshotMeta, content: dict, section: str) -> dict[str, Any]:
    return {
        "snapshot_id": meta.id,
        "doc": content,
        "published_on": timezone.localtime(meta.published_at),
        "section": section,
        "status_rows": documents.count_rows(content["status_counts"], content["status_labels"]),
    }


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    entries = selectors.live_snapshots()
    etag = etag_for(request, *(f"{e.id}:{e.digest}" for e in entries))

    def render() -> HttpResponse:
        latest = entries[0] if entries else None
        return _page(
            "publication/public/index.html",
            {
                "entries": entries,
                "published_on": timezone.localtime(latest.published_at) if latest else None,
            },
        )

    return conditional(request, etag, render)


@login_not_required
@require_safe
def snapshot_overview(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        context = _base(meta, content, "overview")
        context["areas"] = [
            {**area, "rows": documents.count_rows(area["counts"], content["status_labels"])}
            for area in content["thematic_areas"]
        ]
        return _page("publication/public/overview.html", context)

    return _snapshot_page(request, snapshot_id, render)


@login_not_required
@require_safe
def snapshot_activities(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    area = request.GET.get("area", "")
    status = request.GET.get("status", "")

    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        areas = {a["code"] for a in content["thematic_areas"]}
        found = documents.matching_activities(
            content,
            q=q,
            area=area if area in areas else "",
            status=status if status in content["status_labels"] else "",
        )
        page_number = parse_id(request.GET.get("page", "1")) or 1
        page = Paginator(found, PAGE_SIZE).get_page(page_number)
        context = _base(meta, content, "activities")
        context.update(
            page=page,
            found=len(found),
            q=q,
            area=area if area in areas else "",
            status=status if status in content["status_labels"] else "",
            filtered=bool(q or area or status),
        )
        return _page("publication/public/activities.html", context)

    return _snapshot_page(request, snapshot_id, render, with_activities=True)


@login_not_required
@require_safe
def snapshot_activity(request: HttpRequest, snapshot_id: int, n: int) -> HttpResponse:
    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        activity = content["activity"]
        if n < 1 or activity is None or activity.get("n") != n:
            raise Http404("No such published activity.")
        context = _base(meta, content, "activities")
        context["activity"] = activity
        return _page("publication/public/activity.html", context)

    return _snapshot_page(request, snapshot_id, render, activity_n=n)


@login_not_required
@require_safe
def snapshot_priorities(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        return _page("publication/public/priorities.html", _base(meta, content, "priorities"))

    return _snapshot_page(request, snapshot_id, render)


@login_not_required
@require_safe
def snapshot_sdg(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        return _page("publication/public/sdg.html", _base(meta, content, "sdg"))

    return _snapshot_page(request, snapshot_id, render)


@login_not_required
@require_safe
def snapshot_places(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """The countries and regions of the published activities whose places are published."""

    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        context = _base(meta, content, "places")
        context["places"] = documents.places(content)
        context["placed"] = sum(1 for a in content["activities"] if a.get("places"))
        return _page("publication/public/places.html", context)

    return _snapshot_page(request, snapshot_id, render, with_activities=True)


CSV_COLUMNS = (
    "n",
    "code",
    "title",
    "thematic_area_name",
    "cooperation_type_label",
    "horizon_label",
    "lifecycle_label",
    "start_date",
    "end_date",
    "status_label",
    "summary",
    "status_reason",
)


@login_not_required
@require_safe
def snapshot_activities_csv(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """The published activities as CSV, with the "as published on" date in its first line."""

    def render(meta: SnapshotMeta, content: dict) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out)
        published = timezone.localtime(meta.published_at).date().isoformat()
        writer.writerow([f"As published on {published}, status as of {content['as_of']}"])
        writer.writerow(CSV_COLUMNS)
        for activity in content["activities"]:
            writer.writerow([activity.get(column, "") for column in CSV_COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="activities-as-of-{content["as_of"]}.csv"'
        )
        return response

    return _snapshot_page(request, snapshot_id, render, with_activities=True)
