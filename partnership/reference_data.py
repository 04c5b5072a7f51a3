"""Reference data every installation has: the six thematic areas of the Activity Matrix and the
SDG targets the partnership contributes to (data/sdg_targets.csv, from the shared reference data).

Seeded by migration 0002; `seed_reference_data` is idempotent and takes the model classes so the
migration can pass its historical models (and tests that flush the database, the real ones).
"""

import csv
from pathlib import Path

THEMATIC_AREAS = [
    ("terrorism", "Terrorism", "Countering terrorism and foreign terrorist fighters."),
    (
        "trafficking-organized-crime",
        "Illicit trafficking and organized crime",
        "Drugs, firearms, human trafficking and migrant smuggling, wildlife and forest crime, "
        "cultural property, corruption and illicit financial flows.",
    ),
    ("cybercrime", "Cybercrime", "Cybercrime, the dark net and digital evidence."),
    (
        "maritime-border-security",
        "Maritime and border security",
        "Airports, seaports, land borders and maritime crime.",
    ),
    (
        "forensic-criminal-justice",
        "Forensic and criminal justice capacity",
        "Forensics, investigation and prosecution, criminal justice support.",
    ),
    (
        "institutional-capacity",
        "Institutional capacity",
        "Institutional cooperation, information sharing, training and e-learning.",
    ),
]

SDG_CSV = Path(__file__).resolve().parent / "data" / "sdg_targets.csv"


def seed_reference_data(thematic_area_model, sdg_target_model) -> None:
    for order, (code, name, description) in enumerate(THEMATIC_AREAS, start=1):
        thematic_area_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    with SDG_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sdg_target_model.objects.update_or_create(
                code=row["code"], defaults={"goal": int(row["goal"]), "title": row["title"]}
            )
