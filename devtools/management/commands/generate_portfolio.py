"""Write a synthetic portfolio in bulk (benchmarks, load tests): never needed for the demo."""

from django.core.management.base import BaseCommand, CommandError

from devtools.synthetic import delete_synthetic_portfolios, generate_portfolio


class Command(BaseCommand):
    help = (
        "Generate a synthetic portfolio: N activities with milestones, indicators and "
        "measurements, progress updates, funding and participations, spread over several "
        "partnerships, plans and matrices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, required=True, help="How many activities.")
        parser.add_argument("--partnerships", type=int, default=2)
        parser.add_argument("--plans-per-partnership", type=int, default=2)
        parser.add_argument("--year", type=int, default=2016)
        parser.add_argument("--seed", type=int, default=2016, help="Same seed, same portfolio.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="First delete every synthetic portfolio generated before.",
        )

    def handle(self, *args, **options):
        if options["activities"] < 1:
            raise CommandError("--activities must be at least 1.")
        if options["partnerships"] < 1 or options["plans_per_partnership"] < 1:
            raise CommandError("--partnerships and --plans-per-partnership must be at least 1.")
        if options["replace"]:
            removed = delete_synthetic_portfolios()
            self.stdout.write(f"Deleted {removed} synthetic partnership(s).")
        summary = generate_portfolio(
            activities=options["activities"],
            partnerships=options["partnerships"],
            plans_per_partnership=options["plans_per_partnership"],
            year=options["year"],
            seed=options["seed"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.activities:,} activities in {len(summary.plan_ids)} plans "
                f"({summary.rows:,} rows: {summary.milestones:,} milestones, "
                f"{summary.indicators:,} indicators, {summary.measurements:,} measurements, "
                f"{summary.updates:,} updates, {summary.funding_lines:,} funding lines, "
                f"{summary.participations:,} participations) in {summary.seconds:.1f} s. "
                f"Plan ids: {', '.join(map(str, summary.plan_ids))}."
            )
        )
