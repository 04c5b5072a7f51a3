"""Reads of a published document (a snapshot's frozen `content`), shared by the public pages and
the public API. Pure: they only ever see what `public_view` let into the document, so a search or
a filter cannot find anything else."""

from __future__ import annotations

from typing import Any

from django_countries import countries as iso_countries

# The text a search looks through: what a public page of the activity shows as text.
_SEARCHED = ("code", "title", "summary", "status_reason", "thematic_area_name", "description")


def _text(activity: dict[str, Any]) -> str:
    parts = [str(activity.get(key) or "") for key in _SEARCHED]
    parts += [o["acronym"] for o in activity.get("organizations", [])]
    parts += [m["title"] for m in activity.get("milestones", [])]
    parts += [u["narrative"] for u in activity.get("progress", [])]
    return " ".join(parts).casefold()


def matching_activities(
    content: dict[str, Any], *, q: str = "", area: str = "", status: str = ""
) -> list[dict[str, Any]]:
    """The document's activities whose text holds every word of `q`, in thematic area `area` and
    status `status` (each optional), in document order."""
    words = q.casefold().split()
    found = []
    for activity in content.get("activities", []):
        if area and activity["thematic_area"] != area:
            continue
        if status and activity["status"] != status:
            continue
        if words:
            text = _text(activity)
            if not all(word in text for word in words):
                continue
        found.append(activity)
    return found


def count_rows(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The statuses with at least one activity, in the labels' order, for a page to list."""
    return [
        {"status": status, "label": label, "n": counts.get(status, 0)}
        for status, label in labels.items()
        if counts.get(status, 0)
    ]


def places(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Each place named by a published activity whose places are published, by name, with those
    activities in document order. An activity whose places are not published counts nowhere, so
    no figure reveals where it happens."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for activity in content.get("activities", []):
        for name in activity.get("places", []):
            by_name.setdefault(name, []).append(activity)
    return [
        {"name": name, "activities": by_name[name]} for name in sorted(by_name, key=str.casefold)
    ]


def _countries_of(activity: dict[str, Any]) -> list[tuple[str, str]]:
    """(ISO code, name) of each country an activity's published places name. A document
    published before the codes were written in it (`countries`) names its countries only, by
    the names django-countries gave them, which map back to their codes; region names map to
    none."""
    if "countries" in activity:
        return [(c["iso"], c["name"]) for c in activity["countries"]]
    found = ((iso_countries.by_name(name), name) for name in activity.get("places", []))
    return [(code, name) for code, name in found if code]


def _brief(activity: dict[str, Any]) -> dict[str, Any]:
    return {
        key: activity[key]
        for key in ("n", "code", "title", "thematic_area", "thematic_area_name", "status")
    } | {"status_label": activity["status_label"]}


def countries(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Each country named by a published activity whose places are published, by name, with
    its counts by status and those activities (in brief, in document order). An activity whose
    places are not published counts nowhere."""
    labels = content.get("status_labels", {})
    by_code: dict[str, dict[str, Any]] = {}
    for activity in content.get("activities", []):
        for code, name in _countries_of(activity):
            entry = by_code.setdefault(
                code,
                {
                    "iso": code,
                    "name": name,
                    "status_counts": dict.fromkeys(labels, 0),
                    "activities": [],
                },
            )
            entry["status_counts"][activity["status"]] = (
                entry["status_counts"].get(activity["status"], 0) + 1
            )
            entry["activities"].append(_brief(activity))
    for entry in by_code.values():
        entry["activity_count"] = len(entry["activities"])
    return sorted(by_code.values(), key=lambda e: e["name"].casefold())
