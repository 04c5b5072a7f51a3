from partnership.models import SDGTarget, ThematicArea


def test_six_thematic_areas_are_seeded_in_matrix_order(db):
    assert list(ThematicArea.objects.values_list("code", flat=True)) == [
        "terrorism",
        "trafficking-organized-crime",
        "cybercrime",
        "maritime-border-security",
        "forensic-criminal-justice",
        "institutional-capacity",
    ]


def test_sdg_targets_are_seeded_from_the_reference_csv(db):
    assert SDGTarget.objects.count() == 16
    target = SDGTarget.objects.get(code="16.4")
    assert target.goal == 16
    assert "organized crime" in target.title
    assert set(SDGTarget.objects.filter(goal=15).values_list("code", flat=True)) == {"15.7", "15.c"}
