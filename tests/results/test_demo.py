"""The 2016 demo carries the results chain: the plan's two public objectives, illustrative
outcomes and outputs beneath, rolled up by the replay of 2016."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from results.models import Contribution, Level, Result, ResultAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded and replayed once for the module, in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_chain_is_drawn_from_the_plans_objectives(demo):
    objectives = Result.objects.filter(level=Level.OBJECTIVE).order_by("code")
    assert [o.code for o in objectives] == ["1", "2"]
    assert objectives[0].title.startswith("Reinforce a coherent multilateral framework")
    assert not any(o.is_illustrative for o in objectives)
    below = Result.objects.exclude(level=Level.OBJECTIVE)
    assert below.exists() and all(r.is_illustrative for r in below)
    assert Contribution.objects.filter(activity__code="FCJ-02").count() == 2


def test_the_replay_rolls_the_chain_up_every_month(demo):
    assert ResultAssessment.objects.filter(result__code="1").count() == 12
    december = ResultAssessment.objects.get(result__code="1.1.2", as_of=dt.date(2016, 12, 31))
    assert "indicator_off_trajectory" in [r["code"] for r in december.reasons]


def test_loading_again_changes_nothing(demo, capsys):
    call_command("load_results_demo")
    assert "nothing changed" in capsys.readouterr().out


def test_the_demo_breaks_the_training_indicators_down_by_sex(demo):
    december = ResultAssessment.objects.get(result__code="1.1.2", as_of=dt.date(2016, 12, 31))
    messages = [r["message"] for r in december.reasons]
    assert any("— Sex: Female' was 143 people" in m for m in messages)
    assert any("Sex: Male: not all categories reported (1 of 2 sources)" in m for m in messages)
