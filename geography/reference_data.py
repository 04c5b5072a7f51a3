"""The UN M49 regions and their countries (data/, see its README), seeded by migration 0002.

`seed_regions` is idempotent and takes the model classes, so the migration passes its historical
models (and tests that flush the database, the real ones)."""

from __future__ import annotations

import csv
from pathlib import Path

from django_countries.data import COUNTRIES

DATA = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA / "m49_regions.csv"
COUNTRIES_CSV = DATA / "m49_countries.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def region_rows() -> list[dict[str, str]]:
    """The M49 regions as the data file has them: code, name, parent (no query)."""
    return _rows(REGIONS_CSV)


def seed_regions(region_model, membership_model) -> None:
    parents: dict[str, str] = {}
    by_code = {}
    for row in _rows(REGIONS_CSV):  # parents come before their children in the file
        parent = by_code.get(row["parent"])
        level = 0 if parent is None else parent.level + 1
        region, _ = region_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent": parent, "level": level}
        )
        by_code[region.code] = region
        parents[region.code] = row["parent"]
    wanted = set()
    for row in _rows(COUNTRIES_CSV):
        code = row["region"]
        while code:
            wanted.add((code, row["country"]))
            code = parents[code]
    existing = set(membership_model.objects.values_list("region__code", "country"))
    membership_model.objects.bulk_create(
        membership_model(region=by_code[region], country=country)
        for region, country in sorted(wanted - existing)
    )


# The codes the API's schema lists (no query, no translation needed): the M49 regions of the
# data file, and the ISO 3166-1 alpha-2 codes django-countries ships.
REGION_CODES: list[str] = [row["code"] for row in region_rows()]
COUNTRY_CODES: list[str] = sorted(COUNTRIES)
