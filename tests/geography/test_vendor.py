"""The vendored world map: the copy in static/ is the version vendor/package-lock.json names, and
the server-side drawing finds every country it should."""

import json
from pathlib import Path

from geography import world_map

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_copy_is_the_version_the_lock_names():
    lock = json.loads((ROOT / "vendor" / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/world-atlas"]["version"]
    copied = json.loads((ROOT / "static/vendor/world-atlas/package.json").read_text())
    assert copied["name"] == "world-atlas"
    assert copied["version"] == locked
    wanted = json.loads((ROOT / "vendor" / "package.json").read_text())["dependencies"]
    assert wanted["world-atlas"] == locked


def test_every_outline_with_an_iso_number_gets_its_alpha_2_code():
    shapes = world_map.world_shapes()
    codes = {shape.code for shape in shapes}
    assert {"NG", "SN", "FR", "BR", "RU", "US", "FJ", "GW"} <= codes
    assert "AQ" not in codes  # Antarctica is left out
    # Only the three outlines without an ISO 3166-1 number have no code.
    assert sorted(shape.name for shape in shapes if not shape.code) == [
        "Kosovo",
        "N. Cyprus",
        "Somaliland",
    ]
    assert all(shape.d.startswith("M") and shape.d.endswith("Z") for shape in shapes)


def test_the_projection_puts_the_map_inside_its_frame():
    for longitude, latitude in [(-180, 0), (180, 0), (0, 90), (0, -90), (3.4, 6.5)]:
        x, y = world_map.project(longitude, latitude)
        assert -0.01 <= x <= world_map.WIDTH + 0.01
        assert -0.01 <= y <= world_map.HEIGHT + 0.5
    x, y = world_map.project(0, 0)
    assert abs(x - world_map.WIDTH / 2) < 0.01 and abs(y - world_map.HEIGHT / 2) < 0.5


def test_decoding_undoes_the_delta_encoding_and_reverses_negative_arcs():
    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
    }
    arcs = world_map.decode_arcs(topology)
    assert arcs[0] == [(10, 20), (11, 20), (11, 21)]
    assert world_map.ring_points([0, 1], arcs) == [(10, 20), (11, 20), (11, 21), (10, 21), (10, 20)]
    assert world_map.ring_points([~0], arcs) == [(11, 21), (11, 20), (10, 20)]
