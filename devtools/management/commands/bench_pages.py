"""Benchmark of the pages and the API on PostgreSQL behind gunicorn. Prints one table.

    DATABASE_URL=postgres://…/bench_pages REDIS_URL=redis://…/12 \
        make bench BENCH_SIZES=1000,10000,100000

The database grows from one size to the next: for each size the synthetic portfolio is topped up
to that many activities (one new plan holding the difference, generated in bulk by
devtools.synthetic, 1 in 100 of its activities designated a 2016 priority, all assessed as of
--as-of by a monitoring run carried out in this process), then a real
`gunicorn config.wsgi:application --workers N` on loopback is timed:
- latency (p50, p95) of each page and API endpoint, signed in (session cookie for the pages,
  token for the API), --requests sequential requests each (detail pages rotate over activities);
- throughput of the priorities and activity-list API under wrk (or a Python load loop), as a
  ratio of a bare Django JSON endpoint served by the same gunicorn in the same run (mounted only
  by devtools.settings): --load-rounds rounds, each measuring the three URLs one after the
  other for --load-seconds each; it prints the median rate and the median of the rounds' ratios,
  with their range.
At the largest size it prints EXPLAIN (ANALYZE, BUFFERS) of the statements behind the measured
URLs that read the activity, assessment or milestone tables, flagging sequential scans. The
monitoring engine's figures are reprinted from docs/benchmarks.md (`bench_monitoring`).
Use a scratch database; synthetic portfolios are kept (--reset deletes them first).
"""

from __future__ import annotations

import os
import platform
import secrets
import signal
import sys
import time
from datetime import date
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from activities import services as activity_services
from activities.models import Activity
from devtools.pages_benchmark import (
    LARGE_TABLES,
    Gunicorn,
    LoadRounds,
    explain,
    gunicorn_command,
    login,
    measure_latency,
    percentile,
    throughput,
)
from devtools.synthetic import (
    PREFIX,
    delete_synthetic_portfolios,
    generate_portfolio,
    generate_results_chain,
)
from monitoring import services as monitoring_services
from monitoring.models import MonitoringRun
from partnership.models import JointActionPlan, Organization, Profile
from partnership.services import rotate_api_token
from publication import services as publication_services
from publication.models import Disclosure, Snapshot
from publication.rules import FIELD_GROUPS

USERNAME = "bench-manager"
PRIORITY_EVERY = 100  # one activity in a hundred is a 2016 priority
COLD_REQUESTS = 10  # requests timed after a write to the plan
PUBLIC_EVERY = 10  # one activity in ten is public in the benchmark's published snapshot


def _ints(value: str) -> list[int]:
    try:
        return sorted(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise CommandError(f"Expected comma-separated numbers, not {value!r}.") from None


class Command(BaseCommand):
    help = "Benchmark pages and API behind gunicorn on PostgreSQL (latency, throughput, plans)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000", help="Activities in the database.")
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per URL.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--load-seconds", type=int, default=4, help="wrk duration per URL and round."
        )
        parser.add_argument(
            "--load-rounds", type=int, default=3, help="Interleaved rounds of the load test."
        )
        parser.add_argument("--connections", type=int, default=8, help="wrk connections.")
        parser.add_argument("--as-of", default="2016-09-30")
        parser.add_argument("--no-plans", action="store_true", help="Skip the query plans.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the synthetic portfolios first."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        # Stopped with SIGTERM: unwind, so that the gunicorn it started is stopped too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
        as_of = date.fromisoformat(options["as_of"])
        sizes = _ints(options["sizes"])
        self.stdout.write(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}, "
            f"Python {platform.python_version()}, PostgreSQL {connection.pg_version // 10000}."
            f"{connection.pg_version % 10000}; load average {_load()} at the start."
        )
        self.stdout.write(
            f"Web command: {' '.join(gunicorn_command(options['port'], options['workers']))}"
        )
        if options["reset"]:
            self.stdout.write(f"Deleted {delete_synthetic_portfolios()} synthetic partnership(s).")
        password = secrets.token_urlsafe(16)
        token = _bench_user(password)
        columns: dict[int, dict[str, str]] = {}
        for size in sizes:
            plan_id = self._top_up(size, as_of)
            started = time.perf_counter()
            columns[size] = self._measure(plan_id, as_of, password, token, options)
            for label, cell in columns[size].items():  # as it comes: a long run may be cut
                self.stdout.write(f"  {label:<48}{cell}")
            self.stdout.write(
                f"  measured in {time.perf_counter() - started:.0f} s (load average {_load()})"
            )
            if size == sizes[-1] and not options["no_plans"]:
                self._plans(plan_id, as_of, token)
        self._table(sizes, columns)

    # --- Data ----------------------------------------------------------------------------------

    def _top_up(self, size: int, as_of: date) -> int:
        """Grow the synthetic portfolio to `size` activities; returns the largest plan's id. The
        new plan is assessed by a monitoring run carried out in this process, as the command
        `run_monitoring` does, so that its date is one the dashboard offers."""
        have = Activity.objects.count()
        if have < size:
            summary = generate_portfolio(
                activities=size - have,
                partnerships=1,
                plans_per_partnership=1,
                priority_every=PRIORITY_EVERY,
            )
            plan_id = summary.plan_ids[0]
            # The results chain over it, rolled up by the run below (the results page, the
            # chain API and the run's roll-up are measured on it).
            generate_results_chain(plan_id=plan_id)
            started = time.perf_counter()
            run = monitoring_services.request_run(
                plan_id=plan_id, as_of=as_of, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
            )
            run = monitoring_services.execute_run(run_id=run.pk)
            if run.state != MonitoringRun.State.FINISHED:
                raise CommandError(f"The run of plan {plan_id} ended {run.state}: {run.error}")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would: index-only scans need it
            self.stdout.write(
                f"\n{size:,} activities: generated {summary.rows:,} rows in "
                f"{summary.seconds:.1f} s (plan {plan_id}), assessed in "
                f"{time.perf_counter() - started:.1f} s."
            )
        else:
            self.stdout.write(f"\n{size:,} activities: the database holds {have:,}.")
            if have > size:
                self.stdout.write("  (more than asked: --reset to start from an empty portfolio)")
        return _largest_plan()

    # --- Measures ------------------------------------------------------------------------------

    def _measure(self, plan_id: int, as_of: date, password: str, token: str, options) -> dict:
        n = options["requests"]
        scope = f"plan={plan_id}&as_of={as_of:%Y-%m-%d}"
        ids = _spread_ids(plan_id, n)
        pages = {
            "page: dashboard /": [f"/dashboard/?{scope}"] * n,
            "page: dashboard reporting tab": [f"/dashboard/reporting/?{scope}"] * n,
            "page: dashboard by country tab": [f"/dashboard/countries/?{scope}"] * n,
            "page: manager home": ["/"] * n,
            "page: matrix": [f"/matrix/?plan={plan_id}"] * n,
            "page: activity list": ["/activities/"] * n,
            "page: activity detail": [f"/activities/{pk}/" for pk in ids],
            # Geography: the world map and the page of the busiest country (synthetic.py draws
            # Nigeria among the most often).
            "page: map": [f"/map/?{scope}"] * n,
            "page: country NG": [f"/map/countries/NG/?{scope}"] * n,
            "page: results chain": [f"/plans/{plan_id}/results/"] * n,
        }
        api = {
            "api: activity list": ["/api/v1/activities/"] * n,
            "api: activity detail": [f"/api/v1/activities/{pk}/" for pk in ids],
            "api: priorities 2016": ["/api/v1/priorities/2016/"] * n,
            "api: monitoring summary": [f"/api/v1/monitoring/summary/?{scope}"] * n,
            "api: matrix": [f"/api/v1/plans/{plan_id}/matrix/"] * n,
            "api: countries": [f"/api/v1/countries/?{scope}"] * n,
            "api: country NG": [f"/api/v1/countries/NG/?{scope}"] * n,
            "api: results chain": [f"/api/v1/plans/{plan_id}/results/"] * n,
        }
        # The plan-scoped URLs again for the smallest plan: their cost follows the plan's size,
        # not the database's (a platform holds many plans of ordinary size).
        small_id, small_size = _smallest_plan()
        if small_id != plan_id:
            small = f"plan={small_id}&as_of={as_of:%Y-%m-%d}"
            tag = f"({small_size:,}-activity plan)"
            pages[f"page: dashboard {tag}"] = [f"/dashboard/?{small}"] * n
            pages[f"page: matrix {tag}"] = [f"/matrix/?plan={small_id}"] * n
            api[f"api: summary {tag}"] = [f"/api/v1/monitoring/summary/?{small}"] * n
            api[f"api: matrix {tag}"] = [f"/api/v1/plans/{small_id}/matrix/"] * n
        auth = {"Authorization": f"Token {token}"}
        figures: dict[str, str] = {}
        snapshot_id = _public_snapshot(plan_id, as_of)
        public_base = f"/public/snapshots/{snapshot_id}"
        public_api = f"/api/public/v1/snapshots/{snapshot_id}"
        public = {
            "public: portal overview": [f"{public_base}/"] * n,
            "public: portal activities": [f"{public_base}/activities/"] * n,
            "public: portal activity": [f"{public_base}/activities/1/"] * n,
            "public: api snapshot": [f"{public_api}/"] * n,
            "public: api activities": [f"{public_api}/activities/"] * n,
        }
        with Gunicorn(port=options["port"], workers=options["workers"], env=_web_env()) as web:
            browser = login(web, USERNAME, password)
            for label, paths in pages.items():
                figures[label] = _latency(lambda p: browser.get(web.url(p), timeout=60), paths)
            client = browser.__class__()  # a fresh session: the token alone signs in
            client.headers.update(auth)
            for label, paths in api.items():
                figures[label] = _latency(lambda p: client.get(web.url(p), timeout=60), paths)
            # The public portal and API, signed out; then the same URLs answered 304 to a client
            # that sends back the ETag it has.
            anonymous = requests.Session()
            for label, paths in public.items():
                figures[label] = _latency(lambda p: anonymous.get(web.url(p), timeout=60), paths)
            etags = {
                label: anonymous.get(web.url(paths[0]), timeout=60).headers["ETag"]
                for label, paths in public.items()
            }
            for label, paths in public.items():
                figures[f"{label}, 304"] = _latency(
                    lambda p, tag=etags[label]: _as_200(
                        anonymous.get(web.url(p), headers={"If-None-Match": tag}, timeout=60)
                    ),
                    paths,
                )
            # The same URLs on the first request after a write to the plan (through the
            # service an edit calls): nothing is cached, so they should cost what they cost
            # on repeats.
            change = _plan_change(plan_id)
            after_change = {
                (browser, "page: dashboard /, first after a change"): f"/dashboard/?{scope}",
                (browser, "page: matrix, first after a change"): f"/matrix/?plan={plan_id}",
                (client, "api: activity list, first after a change"): "/api/v1/activities/",
                (client, "api: monitoring summary, first after a change"): (
                    f"/api/v1/monitoring/summary/?{scope}"
                ),
            }
            for (session, label), path in after_change.items():
                figures[label] = _latency(
                    lambda p, s=session: s.get(web.url(p), timeout=60),
                    [path] * COLD_REQUESTS,
                    before=change,
                )
            load = {
                "bare": ("/bench/bare/", {}),
                "priorities": ("/api/v1/priorities/2016/", auth),
                "list": ("/api/v1/activities/", auth),
                "public api": (f"{public_api}/", {}),
                "public page": (f"{public_base}/", {}),
                "public 304": (
                    f"{public_base}/",
                    {"If-None-Match": etags["public: portal overview"]},
                ),
            }
            rounds, tool = [], ""
            for _ in range(options["load_rounds"]):
                rates = {}
                for name, (path, headers) in load.items():
                    measured = throughput(
                        web.url(path),
                        headers=headers,
                        seconds=options["load_seconds"],
                        connections=options["connections"],
                    )
                    rates[name], tool = measured.requests_per_second, measured.tool
                rounds.append(rates)
        load_rounds = LoadRounds(rounds)
        figures["req/s: bare JSON endpoint"] = (
            f"{load_rounds.median('bare'):,.0f} ({tool}, {len(rounds)} rounds)"
        )
        for name, label in (
            ("priorities", "api: priorities 2016"),
            ("list", "api: activity list"),
            ("public api", "public: api snapshot"),
            ("public page", "public: portal overview"),
            ("public 304", "public: portal overview, 304"),
        ):
            ratios = load_rounds.ratios(name, "bare")
            figures[f"req/s: {label}"] = (
                f"{load_rounds.median(name):,.0f} = {load_rounds.median_ratio(name, 'bare'):.0%}"
                f" of bare ({ratios[0]:.0%}–{ratios[-1]:.0%})"
            )
        return figures

    def _plans(self, plan_id: int, as_of: date, token: str) -> None:
        """EXPLAIN the statements behind the measured URLs (run in this process through the
        test client, captured, then explained), those that read a large table, as they run once
        what the pages store is up to date."""
        user = get_user_model().objects.get(username=USERNAME)
        # This process throttles at the product's rate, per minute: forget the timed requests.
        cache.delete(f"throttle_user_{user.pk}")
        scope = f"plan={plan_id}&as_of={as_of:%Y-%m-%d}"
        pk = _spread_ids(plan_id, 1)[0]
        browser, api = Client(), Client(HTTP_AUTHORIZATION=f"Token {token}")
        browser.force_login(user)
        urls = [
            (browser, f"/dashboard/?{scope}"),
            (browser, f"/matrix/?plan={plan_id}"),
            (browser, "/activities/"),
            (browser, f"/activities/{pk}/"),
            (api, "/api/v1/activities/"),
            (api, f"/api/v1/activities/{pk}/"),
            (api, "/api/v1/priorities/2016/"),
            (api, f"/api/v1/monitoring/summary/?{scope}"),
            (browser, f"/map/?{scope}"),
            (browser, f"/map/countries/NG/?{scope}"),
        ]
        self.stdout.write(f"\nQuery plans at {Activity.objects.count():,} activities")
        seen, flagged = set(), []
        for client, url in urls:
            # Once untimed first, so that the statements explained are those of a warm cache.
            client.get(url, HTTP_HOST="127.0.0.1")
            with CaptureQueriesContext(connection) as captured:
                answer = client.get(url, HTTP_HOST="127.0.0.1")
            if answer.status_code != 200:
                raise CommandError(f"GET {url} answered {answer.status_code}.")
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.startswith("SELECT") or sql in seen:
                    continue
                if not any(f'"{table}"' in sql for table in LARGE_TABLES):
                    continue
                seen.add(sql)
                plan = explain(sql)
                mark = f"  SEQ SCAN on {', '.join(plan.seq_scans)}" if plan.seq_scans else ""
                self.stdout.write(f"\n--- {url}: {plan.milliseconds:.1f} ms{mark}\n{sql}")
                self.stdout.write(plan.text)
                if plan.seq_scans:
                    flagged.append((url, plan.seq_scans, plan.milliseconds))
        self.stdout.write(
            f"\n{len(seen)} statements explained; sequential scans over large tables:"
        )
        for url, tables, ms in flagged:
            self.stdout.write(f"  {url}: {', '.join(tables)} ({ms:.1f} ms)")
        if not flagged:
            self.stdout.write("  none")

    # --- Output --------------------------------------------------------------------------------

    def _table(self, sizes: list[int], columns: dict[int, dict[str, str]]) -> None:
        labels = list(dict.fromkeys(label for figures in columns.values() for label in figures))
        heads = [f"{size:,} activities" for size in sizes]
        width = max(len(label) for label in labels) + 2
        cells = [[columns[size].get(label, "-") for size in sizes] for label in labels]
        col = max(len(c) for row in cells for c in [*row, *heads]) + 2
        self.stdout.write("\nLatency in ms (p50 / p95); throughput in requests per second.")
        self.stdout.write(f"{'':<{width}}" + "".join(f"{h:>{col}}" for h in heads))
        for label, row in zip(labels, cells, strict=True):
            self.stdout.write(f"{label:<{width}}" + "".join(f"{c:>{col}}" for c in row))
        for line in _monitoring_figures():
            self.stdout.write(line)


def _latency(get, paths: list[str], before=None) -> str:
    """ "p50 / p95" in ms (with the sample size when the time budget cut it short), or why the
    URL could not be measured — one failing URL must not lose the whole table."""
    try:
        timings = measure_latency(get, paths, before=before)
    except (RuntimeError, requests.RequestException) as exc:
        return f"FAILED: {str(exc).splitlines()[0][:40]}"
    cell = f"{percentile(timings, 50):.0f} / {percentile(timings, 95):.0f}"
    return cell if len(timings) == len(paths) else f"{cell} (n={len(timings)})"


def _plan_change(plan_id: int):
    """A real write to the plan, one per call, through the service a page's edit calls: one of
    its activities flips between the current and the aspirational horizon (a field the matrix
    counts)."""
    user = get_user_model().objects.get(username=USERNAME)
    pk = Activity.objects.filter(matrix__plan_id=plan_id).order_by("id").values_list("pk")[0][0]
    flipped = {
        Activity.Horizon.CURRENT: Activity.Horizon.ASPIRATIONAL,
        Activity.Horizon.ASPIRATIONAL: Activity.Horizon.CURRENT,
    }

    def change() -> None:
        activity = Activity.objects.get(pk=pk)
        activity_services.update_activity(
            actor=user,
            activity=activity,
            version=activity.version,
            changes={"horizon": flipped[activity.horizon]},
        )

    return change


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _web_env() -> dict[str, str]:
    """Production settings (DEBUG off) on loopback HTTP, with the bench URLconf, static files
    unhashed (no collectstatic) and the API throttle's rate per second instead of per minute:
    the load tool is one user, and DRF's throttle keeps one timestamp per request of its window,
    so a window of a second holds what one second of load sends (a few hundred timestamps, as
    many as a client at the production rate of 1,200 a minute can leave), where a window of a
    minute would grow to every request of the run. The throttle still runs on every request."""
    return {
        "DJANGO_SETTINGS_MODULE": "devtools.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "API_THROTTLE_USER": "1000000000/second",
        "API_THROTTLE_ANON": "1000000000/second",
        "PUBLIC_API_THROTTLE": "1000000000/second",
    }


def _as_200(answer: requests.Response) -> requests.Response:
    """A 304 is the expected answer of a conditional request: timed as a success."""
    if answer.status_code == 304:
        answer.status_code = 200
    return answer


def _public_snapshot(plan_id: int, as_of: date) -> int:
    """A live snapshot of the plan as of `as_of`, published (once) by the benchmark's manager
    through the service, with one activity in PUBLIC_EVERY public in every field group."""
    found = Snapshot.objects.filter(plan_id=plan_id, as_of=as_of, withdrawn_at__isnull=True)
    if found.exists():
        return found.values_list("pk", flat=True)[0]
    ids = list(
        Activity.objects.filter(matrix__plan_id=plan_id).order_by("id").values_list("id", flat=True)
    )
    # Settings rows in bulk, as the synthetic portfolio itself is written: the service would
    # cost minutes at the large size and test nothing here (tests/publication does).
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                activity_id=pk,
                tier="public",
                public_summary=f"Public summary of activity {pk}.",
                public_status_reason="On course.",
                **{f"{group}_tier": "public" for group in FIELD_GROUPS},
            )
            for pk in ids[::PUBLIC_EVERY]
        ],
        ignore_conflicts=True,
    )
    user = get_user_model().objects.get(username=USERNAME)
    snapshot = publication_services.publish_snapshot(
        actor=user, plan_id=plan_id, as_of=as_of, note="Benchmark snapshot."
    )
    return snapshot.pk


def _bench_user(password: str) -> str:
    """A manager (sees every page) with a fresh password; returns a freshly issued API token."""
    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(
        user=user,
        defaults={"role": Profile.Role.MANAGER, "organization": Organization.objects.first()},
    )
    return rotate_api_token(user=user)[1]


def _synthetic_plans_by_size() -> list[tuple[int, int]]:
    """(plan id, activities) of the synthetic plans, largest first."""
    return list(
        JointActionPlan.objects.filter(title__startswith=PREFIX)
        .annotate(n=Count("matrices__activities"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
    )


def _largest_plan() -> int:
    plans = _synthetic_plans_by_size()
    if not plans:
        raise CommandError("No synthetic plan.")
    return plans[0][0]


def _smallest_plan() -> tuple[int, int]:
    return _synthetic_plans_by_size()[-1]


def _spread_ids(plan_id: int, n: int) -> list[int]:
    ids = list(
        Activity.objects.filter(matrix__plan_id=plan_id).order_by("id").values_list("id", flat=True)
    )
    step = max(1, len(ids) // n)
    return (ids[::step] * n)[:n]


def _monitoring_figures() -> list[str]:
    """The monitoring engine's results table from docs/benchmarks.md (bench_monitoring)."""
    docs = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
    try:
        text = docs.read_text()
    except OSError:
        return ["Monitoring engine: see `python manage.py bench_monitoring`."]
    section = text.split("## Monitoring", 1)[-1].split("### Results", 1)[-1]
    rows = [line for line in section.splitlines() if line.startswith("|")][:5]
    if not rows:
        return ["Monitoring engine: see `python manage.py bench_monitoring`."]
    return [
        "\nMonitoring engine, one run from request to finished (docs/benchmarks.md, "
        "`manage.py bench_monitoring`, not re-run here):",
        *rows,
    ]
