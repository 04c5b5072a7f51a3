"""The Activity Matrix: thematic areas × the partnership's organizations, with the gap,
single-organization and overlap flags of each area. One feature, one algorithm, serving the
matrix page and the API's `/plans/<pk>/matrix/`:

- `rules`: pure functions over plain data (counts per cell, overlaps counted group by group);
- `selectors`: the reads that feed them, a fixed number of queries whatever the plan's size.
"""
