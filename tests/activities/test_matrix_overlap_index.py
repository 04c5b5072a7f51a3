"""Overlaps counted group by group (`overlapping_groups`: activities of a topic grouped by their
set of partnership organizations, pairs counted as products of group sizes) agree with the
definition, pair by pair, on a random area: the same pairs per topic, the same activities in
them, and every named example is one of those pairs."""

import random
from itertools import combinations

from activities.matrix.rules import TopicGroup, example_pairs, overlapping_groups, topic_overlaps

PARTNERS = ("INTERPOL", "UNODC", "WCO")
TOPICS = ("t1", "t2", "t3", "t4", "t5")


def _random_activities(rng):
    """(code, organizations, topics) of current activities, each with at least one partner."""
    return [
        (
            f"A-{rng.randint(0, 999):03d}-{n}",
            frozenset(rng.sample(PARTNERS, rng.randint(1, 2))),
            frozenset(rng.sample(TOPICS, rng.randint(0, 2))),
        )
        for n in range(120)
    ]


def _all_pairs(activities):
    """The definition: per topic, the pairs of activities on it where each has a partnership
    organization the other lacks."""
    found: dict[str, set[tuple[str, str]]] = {}
    for first, second in combinations(sorted(activities), 2):
        (a, a_orgs, a_topics), (b, b_orgs, b_topics) = first, second
        if a_orgs - b_orgs and b_orgs - a_orgs:
            for topic in a_topics & b_topics:
                found.setdefault(topic, set()).add((a, b))
    return found


def test_pairs_counted_per_group_equal_the_pairs_found_one_by_one():
    activities = _random_activities(random.Random(8))
    codes: dict[tuple[str, frozenset[str]], list[str]] = {}
    for code, orgs, topics in activities:
        for topic in topics:
            codes.setdefault((topic, orgs), []).append(code)
    groups = [
        TopicGroup("T1", topic, orgs, len(found), min(found))
        for (topic, orgs), found in codes.items()
    ]
    expected = _all_pairs(activities)
    assert expected  # the sample does contain overlaps

    overlapping = overlapping_groups(groups)
    by_topic = {t.topic: t for t in topic_overlaps(overlapping)["T1"]}
    assert {topic: t.pairs for topic, t in by_topic.items()} == {
        topic: len(pairs) for topic, pairs in expected.items()
    }
    for topic, pairs in expected.items():
        assert by_topic[topic].activities == len({code for pair in pairs for code in pair})
    # Most pairs first, then by topic.
    found = list(by_topic.values())
    assert found == sorted(found, key=lambda t: (-t.pairs, t.topic))

    every_pair = set().union(*expected.values())
    examples = example_pairs(overlapping, 3)["T1"]
    assert len(examples) == 3
    assert all((first, second) in every_pair for first, second, _, _ in examples)
    assert [e[:2] for e in examples] == sorted(e[:2] for e in examples)
