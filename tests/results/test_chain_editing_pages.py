"""The pages that edit the results chain (results.views_editing): managers add, edit and delete
results and an output's contributions; every error at once; a stale version is told so; anyone
else sees no edit controls and gets 403."""

import re
from decimal import Decimal

import pytest

from partnership.models import Profile
from results import services
from results.models import Contribution, Level, Result
from tests.factories import ActivityFactory, MatrixFactory, make_user
from tests.results.builders import build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return build_chain(activities_per_output=1)


@pytest.fixture
def manager_client(client):
    client.force_login(make_user(Profile.Role.MANAGER))
    return client


def results_url(chain) -> str:
    return f"/plans/{chain.plan.pk}/results/"


def test_managers_see_the_edit_controls_and_others_do_not(client, manager_client, chain):
    html = manager_client.get(results_url(chain)).content.decode()
    assert 'id="add-objective"' in html
    assert f'href="/results/{chain.outputs[0].pk}/contributions/"' in html
    assert f"?level=output&amp;parent={chain.outcomes[0].pk}" in html
    assert html.count('class="result-actions') == 6
    client.logout()
    client.force_login(make_user(Profile.Role.LIAISON_OFFICER))
    html = client.get(results_url(chain)).content.decode()
    assert "result-actions" not in html and "add-objective" not in html


@pytest.mark.parametrize("role", [Profile.Role.VIEWER, Profile.Role.LIAISON_OFFICER])
def test_everyone_but_managers_gets_403_and_nothing_is_written(client, chain, role):
    client.force_login(make_user(role))
    output = chain.outputs[0]
    contribution = Contribution.objects.filter(output=output).first()
    attempts = [
        (f"/plans/{chain.plan.pk}/results/new/", {"level": "objective", "code": "9", "title": "X"}),
        (f"/results/{output.pk}/edit/", {"version": "1", "code": "9", "title": "X", "order": "0"}),
        (f"/results/{output.pk}/delete/", {"version": "1"}),
        (f"/results/{output.pk}/contributions/", {"code": "A", "share": "5"}),
        (f"/contributions/{contribution.pk}/edit/", {f"c{contribution.pk}-version": "1"}),
        (f"/contributions/{contribution.pk}/delete/", {"version": "1"}),
    ]
    for path, data in attempts:
        assert client.post(path, data).status_code == 403, path
    assert client.get(f"/results/{output.pk}/edit/").status_code == 403
    assert Result.objects.count() == 6
    assert Contribution.objects.count() == 3
    assert Result.objects.get(pk=output.pk).version == 1


def test_a_manager_adds_an_output_under_an_outcome(manager_client, chain):
    outcome = chain.outcomes[1]
    page = manager_client.get(
        f"/plans/{chain.plan.pk}/results/new/", {"level": "output", "parent": outcome.pk}
    )
    assert page.status_code == 200
    assert f'<option value="{outcome.pk}" selected>' in page.content.decode()
    response = manager_client.post(
        f"/plans/{chain.plan.pk}/results/new/",
        {
            "level": "output",
            "parent": outcome.pk,
            "code": "1.2.2",
            "title": "Analysts trained",
            "order": "2",
        },
    )
    made = Result.objects.get(code="1.2.2")
    assert response.status_code == 302
    assert response["Location"] == f"{results_url(chain)}#result-{made.pk}"
    assert (made.level, made.parent_id, made.order) == (Level.OUTPUT, outcome.pk, 2)
    html = manager_client.get(response["Location"]).content.decode()
    assert "Output 1.2.2 added." in html
    assert 'data-code="1.2.2"' in html


def test_every_error_is_shown_at_once_and_nothing_is_written(manager_client, chain):
    response = manager_client.post(
        f"/plans/{chain.plan.pk}/results/new/",
        {"level": "outcome", "parent": "", "code": "", "title": "", "order": "-1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="error"') == 4  # the objective, the code, the title, the order
    assert "This field is required." in html
    assert "greater than or equal to 0" in html
    # The service's own check (a code the plan already uses) beside the field.
    response = manager_client.post(
        f"/plans/{chain.plan.pk}/results/new/",
        {"level": "objective", "code": "1.1", "title": "Again", "order": "0"},
    )
    assert response.status_code == 400
    assert "The plan already has a result 1.1." in response.content.decode()
    assert Result.objects.count() == 6


def test_an_edit_from_a_stale_page_is_refused_with_the_conflict_message(manager_client, chain):
    output = chain.outputs[0]
    form = {
        "version": "1",
        "level": "output",
        "parent": chain.outcomes[0].pk,
        "code": "1.1.1",
        "title": "First edit",
        "order": "0",
    }
    assert manager_client.post(f"/results/{output.pk}/edit/", form).status_code == 302
    response = manager_client.post(f"/results/{output.pk}/edit/", {**form, "title": "Stale"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this result since you opened the page." in html
    assert 'value="First edit"' in html and 'name="version" value="2"' in html
    assert Result.objects.get(pk=output.pk).title == "First edit"


def test_a_result_with_something_under_it_is_not_deleted(manager_client, chain):
    outcome = chain.outcomes[1]
    page = manager_client.get(f"/results/{outcome.pk}/delete/").content.decode()
    assert "Outcome 1.2 still has 1 output: remove them first." in page
    assert f'action="/results/{outcome.pk}/delete/"' not in page  # no button to press
    response = manager_client.post(f"/results/{outcome.pk}/delete/", {"version": "1"}, follow=True)
    assert "still has 1 output" in response.content.decode()
    assert Result.objects.filter(pk=outcome.pk).exists()
    # Once empty it goes.
    output = chain.outputs[2]
    Contribution.objects.filter(output=output).delete()
    response = manager_client.post(f"/results/{output.pk}/delete/", {"version": "1"})
    assert response.status_code == 302
    assert not Result.objects.filter(pk=output.pk).exists()


def test_a_manager_adds_edits_and_removes_a_contribution(manager_client, chain):
    output = chain.outputs[1]
    newcomer = ActivityFactory(matrix=chain.matrix, code="NEW-1")
    page = f"/results/{output.pk}/contributions/"
    response = manager_client.post(page, {"code": "NEW-1", "share": "30", "description": ""})
    assert response.status_code == 302
    contribution = Contribution.objects.get(activity=newcomer)
    assert contribution.share == Decimal("30")
    html = manager_client.get(page).content.decode()
    assert 'data-activity="NEW-1"' in html
    edit = manager_client.post(
        f"/contributions/{contribution.pk}/edit/",
        {
            f"c{contribution.pk}-version": "1",
            f"c{contribution.pk}-share": "",
            f"c{contribution.pk}-description": "Shares its case data.",
        },
        follow=True,
    )
    assert "Contribution of NEW-1 saved." in edit.content.decode()
    contribution.refresh_from_db()
    assert (contribution.share, contribution.description) == (None, "Shares its case data.")
    stale = manager_client.post(
        f"/contributions/{contribution.pk}/delete/", {"version": "1"}, follow=True
    )
    assert "Someone else changed this contribution" in stale.content.decode()
    gone = manager_client.post(f"/contributions/{contribution.pk}/delete/", {"version": "2"})
    assert gone.status_code == 302
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


def test_contribution_errors_come_all_at_once(manager_client, chain):
    output = chain.outputs[1]
    ActivityFactory(matrix=MatrixFactory(), code="ELSEWHERE")
    response = manager_client.post(
        f"/results/{output.pk}/contributions/", {"code": "ELSEWHERE", "share": "101"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This plan&#x27;s Activity Matrix has no activity ELSEWHERE." in html
    assert "less than or equal to 100" in html
    # An activity already giving 50 % elsewhere cannot give 60 % more.
    busy = chain.activities["1.1.1"][0]
    response = manager_client.post(
        f"/results/{output.pk}/contributions/", {"code": busy.code, "share": "60"}
    )
    assert response.status_code == 400
    assert re.search(r"would add up to\s+110 %", response.content.decode())
    assert Contribution.objects.count() == 3


def test_the_page_query_count_is_the_same_for_managers(
    manager_client, chain, django_assert_num_queries
):
    """A manager's results page costs what a viewer's does (see test_results_page; 14 here, as
    the chain was never rolled up: no assessments read): the edit links need only the profile
    the header reads (and the chain the profile it reads: what the reader may see)."""
    with django_assert_num_queries(14):
        manager_client.get(results_url(chain))
    for output in chain.outputs:
        for _ in range(4):
            services.add_contribution(
                actor=None, output=output, activity=ActivityFactory(matrix=chain.matrix), share=5
            )
    with django_assert_num_queries(14):
        html = manager_client.get(results_url(chain)).content.decode()
    assert html.count('class="result-actions') == 6


def test_the_contributions_page_costs_the_same_however_many_there_are(
    manager_client, chain, django_assert_num_queries
):
    """Six queries: session and user, the profile (the manager check), the output with its plan
    and parent, its contributions with their activities, the page header's profile; each row's
    forms cost none."""
    output = chain.outputs[0]
    page = f"/results/{output.pk}/contributions/"
    with django_assert_num_queries(6):
        manager_client.get(page)
    for _ in range(5):
        services.add_contribution(
            actor=None, output=output, activity=ActivityFactory(matrix=chain.matrix), share=5
        )
    with django_assert_num_queries(6):
        html = manager_client.get(page).content.decode()
    assert html.count("<tr data-activity=") == 6
