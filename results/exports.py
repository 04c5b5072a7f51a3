"""A plan's results chain as CSV: one row per result and per indicator, and one per category of
a disaggregated indicator, with the statuses rolled up on the date shown on the page.

Text a spreadsheet would run as a formula is prefixed with an apostrophe, as in the activity
exports (monitoring.exports, which this app sits below and so cannot import).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from results.selectors import Chain, ResultNode

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER = [
    "As of",
    "Level",
    "Code",
    "Title",
    "Illustrative",
    "Status",
    "Reasons",
    "SDG targets (rolled up)",
    "Contributing activities",
    "Indicator",
    "Category",
    "Value",
    "Measured on",
    "Target",
    "Unit",
    "How",
    "Reported",
]


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def _rows_of(node: ResultNode, as_of: str) -> Iterable[list[object]]:
    head = [
        as_of,
        node.level_label,
        node.code,
        node.title,
        "yes" if node.is_illustrative else "no",
        node.status_label,
        " | ".join(r.get("message", "") for r in node.reasons),
        ", ".join(node.sdg_rolled_up),
        node.activity_count if node.level == "output" else "",
    ]
    yield [*head, "", "", "", "", "", "", "", ""]
    for indicator in node.indicators:
        value = indicator.value
        yield [
            *head,
            indicator.name,
            "",
            "" if value is None else value.value,
            "" if value is None else value.measured_on.isoformat(),
            indicator.target,
            indicator.unit,
            indicator.method_label,
            "" if value is None else f"{value.reported} of {value.expected}",
        ]
        for category in indicator.categories:
            yield [
                *head,
                indicator.name,
                category.label,
                category.value,
                "" if value is None else value.measured_on.isoformat(),
                "" if category.target is None else category.target,
                indicator.unit,
                indicator.method_label,
                f"{category.reported} of {category.expected}"
                + ("" if category.complete else " (not all categories reported)"),
            ]
    for child in node.children:
        yield from _rows_of(child, as_of)


def to_csv(chain: Chain) -> str:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    as_of = chain.as_of.isoformat() if chain.as_of else ""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for root in chain.roots:
        for row in _rows_of(root, as_of):
            writer.writerow([_text(cell) for cell in row])
    return buffer.getvalue()
