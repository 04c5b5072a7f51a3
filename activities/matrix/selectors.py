"""The Activity Matrix's reads, for the page and the API alike: counts per cell and a few
activities each, in a fixed number of queries whose cost does not depend on listing the plan's
activities.

Counting happens in the database. Each activity's set of partnership organizations is encoded as
a bit mask (bit i: the i-th partner in acronym order, summed over its participations, which are
unique per organization) so one GROUP BY yields, per area, cooperation type, horizon, status and
set of partners, how many activities there are — enough for every cell, count and flag — and a
second GROUP BY over the activity–topic table yields the same per topic for the overlaps. Plain
SQL (CTE, CASE, UNION ALL) that PostgreSQL and SQLite both run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from activities.matrix.rules import (
    AreaInput,
    CountRow,
    ListedActivity,
    MatrixSummary,
    TopicGroup,
    example_pairs,
    overlapping_groups,
    summarize_matrix,
)
from activities.models import Activity, ActivityParticipation, MonitoringStatus, Topic
from activities.permissions import is_manager
from activities.sensitivity_selectors import visible_activities
from partnership.models import ActivityMatrix, JointActionPlan, Organization, ThematicArea

LISTED_PER_GROUP = 5  # activities listed per cooperation type and horizon of a cell
OVERLAP_EXAMPLES = 3  # overlapping pairs named per area
OVERLAP_NAMES = 3  # activities named beside a listed activity it overlaps with
# The bit mask is a 64-bit sum; partnerships have a handful of organizations.
MAX_PARTNERS = 62
# SQLite refuses a compound SELECT of more than 500 parts.
PARTS_PER_STATEMENT = 400
# Statuses in the order the page shows them; "" is "not assessed yet".
STATUS_ORDER = (*MonitoringStatus.values, "")

_ACTIVITY = Activity._meta.db_table
_PARTICIPATION = ActivityParticipation._meta.db_table
_ACTIVITY_TOPICS = Activity.topics.through._meta.db_table
_TOPIC = Topic._meta.db_table
_ORGANIZATION = Organization._meta.db_table


@dataclass(frozen=True)
class MatrixPage:
    summary: MatrixSummary
    topic_names: dict[str, str]  # code -> name of every topic the summary names


@dataclass(frozen=True)
class MatrixCounts:
    """The counting part of the page, as plain rows keyed by ids:

    - `partner_ids`: the partnership organizations in bit order, i.e. what the masks mean;
    - `counts`: [area id, cooperation type, horizon, status, partner mask, activities];
    - `topics`: current activities with partners per [area id, partner mask, topic code, topic
      name, activities, first activity code].
    """

    partner_ids: list[int]
    counts: list[list]
    topics: list[list]


def _mask_sql(partner_ids: Sequence[int]) -> str:
    """SQL summing the bits of an activity's partner participations (`p` the participation)."""
    whens = " ".join(f"WHEN {int(pk)} THEN {1 << i}" for i, pk in enumerate(partner_ids))
    return f"COALESCE(SUM(CASE p.organization_id {whens} ELSE 0 END), 0)"


def _in_list(ids: Sequence[int]) -> str:
    return ", ".join(str(int(pk)) for pk in ids)


def _decode(mask: int, partners: Sequence[str]) -> frozenset[str]:
    return frozenset(acronym for i, acronym in enumerate(partners) if mask >> i & 1)


def _hidden(matrix_id: int, viewer: Any) -> tuple[str, list]:
    """A condition on the activity `a` leaving out the matrix's activities `viewer` may not list
    (activities.sensitivity_selectors.visible_activities), as a subquery of the statement it is
    put into (no query of its own), and its parameters. None: no condition (everything)."""
    if viewer is None or is_manager(viewer):
        return "", []
    hidden = Activity.objects.filter(matrix_id=matrix_id).exclude(visible_activities(viewer))
    sql, params = hidden.values("pk").query.sql_with_params()
    return f" AND a.id NOT IN ({sql})", list(params)


def _summary_rows(
    matrix_id: int, partner_ids: Sequence[int], hidden: tuple[str, list] = ("", [])
) -> tuple[list[tuple], list[tuple]]:
    """One statement: the counts per (area, cooperation type, horizon, status, mask) and the
    current activities per (area, topic, non-empty mask) with the first code and topic name;
    without the activities `hidden` (_hidden) leaves out."""
    hidden_sql, hidden_params = hidden
    sql = f"""
        WITH m AS (
            SELECT a.id, a.code, a.thematic_area_id AS area, a.cooperation_type AS ct,
                   a.horizon AS hz, a.status AS st, {_mask_sql(partner_ids)} AS mask
            FROM {_ACTIVITY} a
            LEFT JOIN {_PARTICIPATION} p
                ON p.activity_id = a.id AND p.organization_id IN ({_in_list(partner_ids)})
            WHERE a.matrix_id = %s{hidden_sql}
            GROUP BY a.id, a.code, a.thematic_area_id, a.cooperation_type, a.horizon, a.status
        )
        SELECT 0, area, ct, hz, st, mask, NULL, NULL, COUNT(*), NULL
        FROM m GROUP BY area, ct, hz, st, mask
        UNION ALL
        SELECT 1, m.area, NULL, NULL, NULL, m.mask, tp.code, tp.name, COUNT(*), MIN(m.code)
        FROM m
        JOIN {_ACTIVITY_TOPICS} t ON t.activity_id = m.id
        JOIN {_TOPIC} tp ON tp.id = t.topic_id
        WHERE m.hz = %s AND m.mask <> 0
        GROUP BY m.area, m.mask, tp.code, tp.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [matrix_id, *hidden_params, Activity.Horizon.CURRENT])
        rows = cursor.fetchall()
    return [r for r in rows if r[0] == 0], [r for r in rows if r[0] == 1]


def matrix_counts(
    matrix: ActivityMatrix, partner_ids: list[int], viewer: Any = None
) -> MatrixCounts:
    """The matrix's counts, counted live (one statement; its cost grows with the matrix), of
    the activities `viewer` may list (all without one)."""
    count_rows, topic_rows = _summary_rows(matrix.pk, partner_ids, _hidden(matrix.pk, viewer))
    return MatrixCounts(
        partner_ids=list(partner_ids),
        counts=[
            [area, ct, hz, st, mask, n] for _, area, ct, hz, st, mask, _, _, n, _ in count_rows
        ],
        topics=[
            [area, mask, topic, name, n, first]
            for _, area, _, _, _, mask, topic, name, n, first in topic_rows
        ],
    )


def _listed_rows(
    matrix_id: int,
    groups: Sequence[tuple[int, int, str, str]],
    hidden: tuple[str, list] = ("", []),
) -> list[tuple]:
    """The first LISTED_PER_GROUP activities (code order) of each (area id, organization id,
    cooperation type, horizon): one LIMITed part per group, each read in code order through the
    activities_activity_matrix_cell index instead of numbering every activity of the plan;
    without the activities `hidden` (_hidden) leaves out."""
    hidden_sql, hidden_params = hidden
    part = f"""
        SELECT * FROM (
            SELECT a.id, a.code, a.title, a.status, a.horizon, p.role, {{key}} AS k
            FROM {_ACTIVITY} a
            JOIN {_PARTICIPATION} p ON p.activity_id = a.id AND p.organization_id = %s
            WHERE a.matrix_id = %s AND a.thematic_area_id = %s
                AND a.cooperation_type = %s AND a.horizon = %s{hidden_sql}
            ORDER BY a.code
            LIMIT {LISTED_PER_GROUP}
        ) g{{key}}"""
    rows: list[tuple] = []
    for start in range(0, len(groups), PARTS_PER_STATEMENT):
        chunk = groups[start : start + PARTS_PER_STATEMENT]
        sql = " UNION ALL ".join(part.format(key=start + i) for i in range(len(chunk)))
        params = [
            value
            for area_id, org_id, ct, hz in chunk
            for value in (org_id, matrix_id, area_id, ct, hz, *hidden_params)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows.extend(cursor.fetchall())
    return rows


def _details(
    matrix_id: int, activity_ids: Sequence[int], codes: Sequence[str], partner_ids: Sequence[int]
) -> tuple[dict[int, set[str]], dict[int, set[str]], dict[str, set[str]]]:
    """Partner organizations of the listed activities and topics of those and of the named
    example activities (by code): one statement."""
    ids = _in_list(activity_ids) or "NULL"
    marks = ", ".join(["%s"] * len(codes)) or "NULL"
    sql = f"""
        SELECT p.activity_id, a.code, 'o', o.acronym
        FROM {_PARTICIPATION} p
        JOIN {_ACTIVITY} a ON a.id = p.activity_id
        JOIN {_ORGANIZATION} o ON o.id = p.organization_id
        WHERE p.activity_id IN ({ids}) AND p.organization_id IN ({_in_list(partner_ids)})
        UNION ALL
        SELECT a.id, a.code, 't', tp.code
        FROM {_ACTIVITY} a
        JOIN {_ACTIVITY_TOPICS} t ON t.activity_id = a.id
        JOIN {_TOPIC} tp ON tp.id = t.topic_id
        WHERE a.matrix_id = %s AND (a.id IN ({ids}) OR a.code IN ({marks}))
    """
    orgs: dict[int, set[str]] = {}
    topics: dict[int, set[str]] = {}
    topics_by_code: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [matrix_id, *codes])
        for activity_id, code, kind, value in cursor.fetchall():
            if kind == "o":
                orgs.setdefault(activity_id, set()).add(value)
            else:
                topics.setdefault(activity_id, set()).add(value)
                topics_by_code.setdefault(code, set()).add(value)
    return orgs, topics, topics_by_code


def matrix_summary(
    *,
    plan: JointActionPlan,
    matrix: ActivityMatrix | None,
    horizon: str = "",
    viewer: Any = None,
) -> MatrixPage:
    """The summary of `matrix` that the page and the API show (areas and partners only without
    one). Queries: thematic areas; the partnership's organizations; the counts (one statement);
    the listed activities (one statement, while a partnership has fewer than 17 organizations);
    where an area has overlaps, the listed activities' partners and topics with the named examples'
    topics (one statement): 5 at most, however many activities.

    With a `viewer`, of the activities they may list only (activities.sensitivity): a restricted
    activity they take no part in is neither counted, listed nor named as an example; the
    condition is a subquery of each statement, so the queries are the same."""
    area_rows = list(ThematicArea.objects.order_by("order").values_list("pk", "code", "name"))
    areas = [AreaInput(code=code, name=name) for _, code, name in area_rows]
    area_code = {pk: code for pk, code, _ in area_rows}
    partner_rows = list(
        Organization.objects.filter(partnerships=plan.partnership_id)
        .order_by("acronym")
        .values_list("pk", "acronym")
    )
    if len(partner_rows) > MAX_PARTNERS:
        raise ValueError(f"The matrix handles up to {MAX_PARTNERS} partnership organizations.")
    partner_ids = [pk for pk, _ in partner_rows]
    partners = [acronym for _, acronym in partner_rows]
    found = MatrixCounts(partner_ids=partner_ids, counts=[], topics=[])
    if matrix is not None and partner_ids:
        found = matrix_counts(matrix, partner_ids, viewer)
    counts = [
        CountRow(
            thematic_area=area_code[area],
            cooperation_type=ct,
            horizon=hz,
            status=st,
            organizations=_decode(mask, partners),
            count=n,
        )
        for area, ct, hz, st, mask, n in found.counts
    ]
    topic_groups = [
        TopicGroup(
            thematic_area=area_code[area],
            topic=topic,
            organizations=_decode(mask, partners),
            count=n,
            first_code=first,
        )
        for area, mask, topic, _, n, first in found.topics
    ]
    topic_names = {topic: name for _, _, topic, name, _, _ in found.topics}

    # The groups the page shows, each listed from the database in code order.
    area_id = {code: pk for pk, code, _ in area_rows}
    partner_id = dict(zip(partners, partner_ids, strict=True))
    shown = sorted(
        {
            (area_id[r.thematic_area], partner_id[org], r.cooperation_type, r.horizon)
            for r in counts
            if not horizon or r.horizon == horizon
            for org in r.organizations
        }
    )
    listed_rows = []
    if matrix is not None and shown:
        listed_rows = _listed_rows(matrix.pk, shown, _hidden(matrix.pk, viewer))

    # Partners and topics only where overlaps are to be marked: current activities of an area
    # with overlapping topic groups, and the named examples.
    overlapping = overlapping_groups(topic_groups)
    pairs = example_pairs(overlapping, OVERLAP_EXAMPLES)
    areas_with_overlaps = {area for area, found in pairs.items() if found}
    marked_ids = [
        row[0]
        for row in listed_rows
        if row[4] == Activity.Horizon.CURRENT and area_code[shown[row[6]][0]] in areas_with_overlaps
    ]
    example_codes = sorted({code for found in pairs.values() for p in found for code in p[:2]})
    orgs: dict[int, set[str]] = {}
    topics: dict[int, set[str]] = {}
    example_topics: dict[str, set[str]] = {}
    if matrix is not None and (marked_ids or example_codes):
        orgs, topics, example_topics = _details(
            matrix.pk, sorted(set(marked_ids)), example_codes, partner_ids
        )

    listed: dict[tuple[str, str, str, str], list[ListedActivity]] = {}
    acronym = dict(zip(partner_ids, partners, strict=True))
    for pk, code, title, status, hz, role, key in sorted(listed_rows, key=lambda r: (r[6], r[1])):
        group_area, org_id, ct, group_horizon = shown[key]
        listed.setdefault((area_code[group_area], acronym[org_id], ct, group_horizon), []).append(
            ListedActivity(
                id=pk,
                code=code,
                title=title,
                role=role,
                status=status,
                horizon=hz,
                organizations=frozenset(orgs.get(pk, ())),
                topics=frozenset(topics.get(pk, ())),
            )
        )
    summary = summarize_matrix(
        areas=areas,
        partner_organizations=partners,
        counts=counts,
        overlapping=overlapping,
        listed=listed,
        examples=pairs,
        example_topics={code: frozenset(t) for code, t in example_topics.items()},
        statuses=STATUS_ORDER,
        horizon=horizon,
        names=OVERLAP_NAMES,
    )
    return MatrixPage(summary=summary, topic_names=topic_names)
