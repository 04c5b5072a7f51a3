"""The world map's country outlines as SVG path data, drawn on the server.

Why decode TopoJSON here instead of vendoring d3-geo and topojson-client: the page then needs no
JavaScript (every country is a plain link, usable with the keyboard and testable in Python), and
the whole of what is needed is small: world-atlas's countries-110m.json (Natural Earth 1:110m,
public domain; copied into static/ by `make vendor`) holds each country as rings of shared arcs,
quantized and delta-encoded; this module undoes that and projects the points with the Equal
Earth projection (Šavrič, Patterson & Jenny 2018), an equal-area projection, so no country looks
bigger than it is. Pure but for reading the file once per process.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django_countries import countries

TOPOLOGY = "vendor/world-atlas/countries-110m.json"
WIDTH = 960
# Antarctica (ISO numeric 010) is left out: at this scale it takes a fifth of the map and no
# activity is there.
LEFT_OUT = {"010"}

# Equal Earth's coefficients.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = math.pi / (_M * _A1)  # x at longitude 180°, latitude 0
_THETA_MAX = math.asin(_M)
_Y_MAX = _THETA_MAX * (_A1 + _A2 * _THETA_MAX**2 + _THETA_MAX**6 * (_A3 + _A4 * _THETA_MAX**2))
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE)


@dataclass(frozen=True, slots=True)
class Shape:
    """One country's outline: its ISO 3166-1 alpha-2 code ("" for the few features with no ISO
    code, e.g. Kosovo), the name Natural Earth gives it, and SVG path data."""

    code: str
    name: str
    d: str


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth: degrees to map pixels, (0, 0) the top left."""
    lam, phi = math.radians(longitude), math.radians(latitude)  # beyond ±180°: past the edge
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x + _X_MAX) * SCALE, (_Y_MAX - y) * SCALE


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude): each arc's positions are deltas
    from the one before, in the quantized grid that `transform` maps back to degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple]:
    """A ring from its arc indexes: a negative index ~i is arc i backwards; consecutive arcs
    share their end point, which is kept once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian (a step of more than 180° of longitude: Fiji,
    Wrangel Island) drawn on the side where most of it lies, the rest past the map's edge (the
    SVG's frame clips it), instead of a stroke across the whole map."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(ring)):
        return ring
    east = sum(1 for longitude, _ in ring if longitude > 0) >= len(ring) / 2
    if east:
        return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]
    return [(lon - 360 if lon > 0 else lon, lat) for lon, lat in ring]


def path_data(polygons: list[list[list[int]]], arcs: list[list[tuple[float, float]]]) -> str:
    """SVG path data for polygons (each a list of rings: the outline, then holes), rounded to a
    tenth of a pixel, points that round to the one before left out."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            previous = None
            commands = []
            for longitude, latitude in unwrap(ring_points(ring, arcs)):
                x, y = project(longitude, latitude)
                point = f"{x:.1f},{y:.1f}"
                if point != previous:
                    commands.append(point)
                    previous = point
            if len(commands) >= 3:
                parts.append("M" + "L".join(commands) + "Z")
    return "".join(parts)


def shapes_of(topology: dict) -> list[Shape]:
    """Every country of the topology but those LEFT_OUT, with its alpha-2 code."""
    arcs = decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        code = countries.alpha2(numeric) if numeric else ""
        name = geometry.get("properties", {}).get("name", "")
        shapes.append(Shape(code=code or "", name=name, d=path_data(polygons, arcs)))
    return shapes


def topology_path() -> Path:
    found = finders.find(TOPOLOGY)
    if not found:
        raise FileNotFoundError(f"static/{TOPOLOGY} is missing: run `make vendor`.")
    return Path(found)


@cache
def world_shapes() -> tuple[Shape, ...]:
    """The map's shapes, computed once per process (about 50 ms)."""
    return tuple(shapes_of(json.loads(topology_path().read_text(encoding="utf-8"))))
