"""Reads of the managers' dashboards, one module per tab of the plan dashboard (`overview`,
`priorities`, `funding`, `sdg`, `report`), with `scope` for what every tab shares (the plans, the
assessed dates, the thematic areas) and `runs` for the runs panel and pages. Each read takes a
fixed number of queries whatever the size of the plan (stated per function): counting, summing and
picking "the assessment in effect" happen in the database; Python only shapes rows whose number is
bounded by what the page shows (thematic areas, months, SDG targets, donors) or that the page lists
anyway.

The status of an activity "as of" a date is, as in `monitoring.selectors`, the latest assessment on
or before that date, so replaying a date shows exactly what the assessments of that date say. On
or after the plan's latest assessed date it is the status kept on the activity (`current`: see
`monitoring.selectors`), which is how the default dashboard of a large plan stays fast.
"""
