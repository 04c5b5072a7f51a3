"""Disaggregation rules (activities.breakdowns), pure: totals against their categories."""

from decimal import Decimal

from activities.breakdowns import CategoryRef, DimensionRef, breakdown, breakdown_errors

SEX = DimensionRef(1, "Sex", (CategoryRef(10, "Female"), CategoryRef(11, "Male")))
AGENCY = DimensionRef(2, "Agency", (CategoryRef(20, "INTERPOL"), CategoryRef(21, "UNODC")))
D = Decimal


def errors(total, given, kind="count", dimensions=(SEX, AGENCY)):
    return breakdown_errors(
        total=D(total), given={k: D(v) for k, v in given.items()}, dimensions=dimensions, kind=kind
    )


def test_a_dimension_given_in_full_adds_up_to_the_total():
    assert errors("50", {10: "20", 11: "30"}) == []
    assert errors("50", {10: "20", 11: "25"}) == [
        "The categories of Sex add up to 45, not the total 50."
    ]


def test_every_dimension_is_checked_at_once():
    assert errors("50", {10: "20", 11: "25", 20: "10", 21: "10"}) == [
        "The categories of Sex add up to 45, not the total 50.",
        "The categories of Agency add up to 20, not the total 50.",
    ]


def test_a_dimension_with_categories_missing_is_not_all_reported_and_no_more_than_the_total():
    assert errors("50", {10: "20"}) == []
    assert errors("50", {10: "60"}) == [
        "The categories of Sex given add up to 60, more than the total 50."
    ]
    [sex, agency] = breakdown(total=D("50"), given={10: D("20")}, dimensions=[SEX, AGENCY])
    assert (sex.reported, sex.complete, sex.state) == (1, False, "not all categories reported")
    assert agency.state == "none reported"
    full = breakdown(total=D("50"), given={10: D("20"), 11: D("30")}, dimensions=[SEX])[0]
    assert (full.complete, full.sum, full.state) == (True, D("50"), "complete")


def test_percentages_are_rates_and_not_added_up():
    assert errors("40", {10: "30", 11: "60"}, kind="percentage") == []


def test_categories_of_other_dimensions_are_refused():
    assert errors("5", {99: "5"}) == ["Categories 99 are not of this indicator's dimensions."]


def test_the_target_is_named_when_checking_targets():
    problems = breakdown_errors(
        total=D("100"),
        given={10: D("40"), 11: D("40")},
        dimensions=[SEX],
        kind="count",
        what="target",
    )
    assert problems == ["The categories of Sex add up to 80, not the target 100."]
