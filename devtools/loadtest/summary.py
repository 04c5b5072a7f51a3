"""Print p50/p95/p99 per request type and the error count from locust's `--csv` statistics."""

import csv
import sys
from pathlib import Path

prefix = sys.argv[1]
rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
header = (
    f"{'request':<28} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
    f"{'req/s':>6}"
)
print(header)
print("-" * len(header))
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
    print(
        f"{name:<28} {row['Request Count']:>7} {row['Failure Count']:>6} {row['50%']:>7} "
        f"{row['95%']:>7} {row['99%']:>7} {float(row['Requests/s']):>6.1f}"
    )
total = next(r for r in rows if r["Name"] == "Aggregated")
failures = Path(f"{prefix}_failures.csv")
print(f"\nErrors: {total['Failure Count']} of {total['Request Count']} requests.")
if failures.exists():
    for row in list(csv.DictReader(failures.read_text().splitlines()))[:20]:
        print(f"  {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}")
sys.exit(1 if int(total["Failure Count"]) else 0)
