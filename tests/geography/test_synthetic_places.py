"""The synthetic portfolio (benchmarks) gives its activities places, and removing it removes
them; the busy countries are common enough for the country page's benchmark."""

from collections import Counter

import pytest
from django.db.models import Count

from activities.models import Activity
from devtools.synthetic import BUSY_COUNTRIES, delete_synthetic_portfolios, generate_portfolio
from geography.models import ActivityCountry, ActivityRegion

pytestmark = pytest.mark.django_db


def test_every_synthetic_activity_gets_one_to_three_countries():
    generate_portfolio(activities=200, partnerships=1, plans_per_partnership=1, slab=70)
    per_activity = Activity.objects.annotate(n=Count("recipient_countries"))
    assert {a.n for a in per_activity} <= {1, 2, 3}
    assert min(a.n for a in per_activity) == 1
    assert ActivityRegion.objects.exists()
    busiest = Counter(ActivityCountry.objects.values_list("country", flat=True)).most_common(3)
    assert all(code in BUSY_COUNTRIES for code, _ in busiest)

    delete_synthetic_portfolios()
    assert not ActivityCountry.objects.exists()
    assert not ActivityRegion.objects.exists()
