"""The pure rules of an activity's places: codes, shares, and shares adding up to 100."""

import itertools
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS

from geography.rules import Place, place_errors, worst_status

KNOWN = {"011", "202", "002"}


def errors(countries=(), regions=()):
    return place_errors(countries=list(countries), regions=list(regions), known_regions=KNOWN)


def test_places_without_shares_are_fine():
    assert errors([Place("NG"), Place("GH")], [Place("011")]) == {}


def test_no_places_at_all_are_fine():
    assert errors() == {}


def test_shares_adding_up_to_100_across_countries_and_regions_are_fine():
    assert errors([Place("NG", Decimal("60"))], [Place("011", Decimal("40"))]) == {}


def test_shares_not_adding_up_to_100_are_refused_with_the_total():
    found = errors([Place("NG", Decimal("60")), Place("GH", Decimal("30"))])
    assert found == {
        NON_FIELD_ERRORS: [
            "The shares add up to 90%; together, the countries' and regions' shares must add "
            "up to 100%."
        ]
    }


def test_shares_given_for_some_places_only_are_refused_naming_the_others():
    found = errors([Place("NG", Decimal("100")), Place("GH")], [Place("011")])
    assert found[NON_FIELD_ERRORS] == [
        "Give a share for every country and region, or for none (no share: GH, 011)."
    ]


def test_every_error_is_reported_at_once():
    found = errors(
        [Place("ZZ"), Place("NG", Decimal("0")), Place("NG", Decimal("150"))],
        [Place("999"), Place("011", Decimal("101"))],
    )
    assert found["countries"] == [
        "'ZZ' is not an ISO 3166-1 alpha-2 country code (e.g. NG).",
        "NG: a share is more than 0 and at most 100 (got 0).",
        "NG is listed more than once.",
        "NG: a share is more than 0 and at most 100 (got 150).",
    ]
    assert found["regions"] == [
        "'999' is not a UN M49 region code (e.g. 011, Western Africa).",
        "011: a share is more than 0 and at most 100 (got 101).",
    ]
    assert NON_FIELD_ERRORS in found


def test_an_alpha_3_code_is_not_an_alpha_2_code():
    assert "countries" in errors([Place("NGA")])


def test_worst_status_prefers_off_track_then_at_risk_and_unassessed_last():
    assert worst_status(["on_track", "off_track", "at_risk"]) == "off_track"
    assert worst_status(["completed", "at_risk"]) == "at_risk"
    assert worst_status(["completed", ""]) == "completed"
    assert worst_status([""]) == ""
    assert worst_status([]) == ""


def test_count_buckets_cover_every_count_without_overlap():
    from geography.rules import bucket_of, count_buckets

    assert count_buckets(0) == []
    assert count_buckets(1) == [(1, 1)]
    assert count_buckets(3) == [(1, 1), (2, 2), (3, 3)]
    for most in (7, 40, 1000, 12345):
        buckets = count_buckets(most)
        assert buckets[0][0] == 1 and buckets[-1][1] == most and len(buckets) <= 5
        assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(buckets))
        assert bucket_of(most, buckets) == len(buckets)
        assert bucket_of(0, buckets) == 0
