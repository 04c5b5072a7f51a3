"""activities.selectors.page_segments: which rows of which matrices make up a slice of the list
in matrix order (a pure function)."""

import pytest

from activities.selectors import page_segments

COUNTS = [(7, 3), (4, 1), (9, 5)]  # matrix id 7 holds 3 matching activities, then 4 and 9


@pytest.mark.parametrize(
    ("start", "stop", "expected"),
    [
        (0, 2, [(7, 0, 2)]),  # inside the first matrix
        (0, 3, [(7, 0, 3)]),  # exactly the first matrix: the next is not touched
        (2, 5, [(7, 2, 1), (4, 0, 1), (9, 0, 1)]),  # across three matrices
        (3, 4, [(4, 0, 1)]),  # exactly the one-activity matrix
        (4, 9, [(9, 0, 5)]),  # the last matrix, to the end
        (6, 50, [(9, 2, 3)]),  # past the end: only what exists
        (9, 12, []),  # wholly past the end
        (5, 5, []),  # empty slice
    ],
)
def test_segments_cover_exactly_the_slice(start, stop, expected):
    assert page_segments(COUNTS, start, stop) == expected


def test_segments_laid_end_to_end_are_the_whole_list_for_every_page_size():
    rows = [(matrix_id, i) for matrix_id, n in COUNTS for i in range(n)]
    for size in range(1, 11):
        walked = [
            (matrix_id, offset + i)
            for start in range(0, len(rows), size)
            for matrix_id, offset, n in page_segments(COUNTS, start, start + size)
            for i in range(n)
        ]
        assert walked == rows, size


def test_no_matrices_no_segments():
    assert page_segments([], 0, 25) == []
