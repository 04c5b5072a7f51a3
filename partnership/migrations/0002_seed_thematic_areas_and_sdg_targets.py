"""Seed the six thematic areas of the 2016 Activity Matrix and the SDG targets the partnership
contributes to (partnership/data/sdg_targets.csv, copied from the shared reference data)."""

import csv
from pathlib import Path

from django.db import migrations

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

SDG_CSV = Path(__file__).resolve().parent.parent / "data" / "sdg_targets.csv"


def seed(apps, schema_editor):
    ThematicArea = apps.get_model("partnership", "ThematicArea")
    SDGTarget = apps.get_model("partnership", "SDGTarget")
    for order, (code, name, description) in enumerate(THEMATIC_AREAS, start=1):
        ThematicArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    with SDG_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            SDGTarget.objects.update_or_create(
                code=row["code"], defaults={"goal": int(row["goal"]), "title": row["title"]}
            )


def unseed(apps, schema_editor):
    apps.get_model("partnership", "ThematicArea").objects.filter(
        code__in=[code for code, _, _ in THEMATIC_AREAS]
    ).delete()
    apps.get_model("partnership", "SDGTarget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
