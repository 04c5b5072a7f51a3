"""find_overlaps compares only the pairs of activities that share a topic (a topic index) instead
of every pair of the area: same overlaps, in the same order, as the all-pairs definition."""

import random
from itertools import combinations

from activities.matrix.rules import ActivityInput, Overlap, find_overlaps

PARTNERS = ("INTERPOL", "UNODC", "WCO")


def _all_pairs(activities, partners):
    """The definition, pair by pair (the previous implementation)."""
    current = sorted((a for a in activities if a.horizon == "current"), key=lambda a: a.code)
    found = []
    for first, second in combinations(current, 2):
        shared = first.topics & second.topics
        only_first = (set(first.organizations) & set(partners)) - set(second.organizations)
        only_second = (set(second.organizations) & set(partners)) - set(first.organizations)
        if shared and only_first and only_second:
            found.append(
                Overlap(
                    (first.code, second.code),
                    tuple(sorted(shared)),
                    tuple(sorted(only_first)),
                    tuple(sorted(only_second)),
                )
            )
    return tuple(found)


def test_topic_index_finds_the_same_overlaps_in_the_same_order_as_all_pairs():
    rng = random.Random(8)
    activities = [
        ActivityInput(
            id=n,
            code=f"A-{rng.randint(0, 999):03d}-{n}",
            title="",
            thematic_area="T1",
            cooperation_type="joint",
            horizon=rng.choice(["current", "current", "aspirational"]),
            status="",
            organizations=dict.fromkeys(rng.sample(PARTNERS, rng.randint(1, 2)), "lead"),
            topics=frozenset(rng.sample(["t1", "t2", "t3", "t4", "t5"], rng.randint(0, 2))),
        )
        for n in range(120)
    ]
    expected = _all_pairs(activities, PARTNERS)
    assert expected  # the sample does contain overlaps
    assert find_overlaps(activities, PARTNERS) == expected
