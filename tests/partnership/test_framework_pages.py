"""The agreement and plan pages: the Legal Agreement and what it builds on, the plans' objectives,
periods and matrix editions."""

import datetime as dt

import pytest
from django.urls import reverse

from partnership.models import Agreement, JointActionPlan, Profile
from tests.factories import (
    AgreementFactory,
    MatrixFactory,
    OrganizationFactory,
    PartnershipFactory,
    PlanFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    arrangement = AgreementFactory(
        kind=Agreement.Kind.OTHER,
        title="Arrangement for co-operation between the United Nations and INTERPOL",
        signed_on=dt.date(1971, 5, 28),
        place="New York",
    )
    cooperation = AgreementFactory(
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        title="Agreement on cooperation between the United Nations and INTERPOL",
        signed_on=dt.date(1997, 7, 8),
        builds_on=arrangement,
        summary="The United Nations and INTERPOL agree to cooperate.",
    )
    legal = AgreementFactory(
        title="Legal Agreement between INTERPOL and UNODC",
        signed_on=dt.date(2016, 5, 23),
        place="Vienna",
        builds_on=cooperation,
    )
    legal.parties.add(interpol, unodc)
    partnership = PartnershipFactory(name="INTERPOL–UNODC partnership")
    partnership.organizations.add(interpol, unodc)
    plan = PlanFactory(
        partnership=partnership,
        agreement=legal,
        title="Joint Action Plan 2016",
        objectives="Coherent support to member countries.\n\nMobilise donors coherently.",
    )
    MatrixFactory(plan=plan, edition=1, adopted_on=dt.date(2016, 5, 23))
    MatrixFactory(plan=plan, edition=2, adopted_on=None, notes="Mid-year revision")
    return {"arrangement": arrangement, "cooperation": cooperation, "legal": legal, "plan": plan}


@pytest.fixture
def viewer_client(client):
    client.force_login(make_user(role=Profile.Role.VIEWER, username="viewer"))
    return client


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_legal_agreement_page_shows_what_it_builds_on_down_the_chain(viewer_client, framework):
    legal, cooperation = framework["legal"], framework["cooperation"]
    html = get(viewer_client, reverse("agreement-detail", args=[legal.pk]))
    assert "<h1>Legal Agreement between INTERPOL and UNODC</h1>" in html
    assert "2016-05-23, Vienna" in html
    assert "INTERPOL, UNODC" in html
    chain = html.split("<h2>What it builds on</h2>", 1)[1].split("</ol>", 1)[0]
    assert chain.index(cooperation.title) < chain.index(framework["arrangement"].title)
    assert f'href="{reverse("agreement-detail", args=[cooperation.pk])}"' in chain
    assert "The United Nations and INTERPOL agree to cooperate." in chain
    assert f'href="{reverse("plan-detail", args=[framework["plan"].pk])}"' in html


def test_an_earlier_agreement_lists_those_that_build_on_it(viewer_client, framework):
    html = get(viewer_client, reverse("agreement-detail", args=[framework["cooperation"].pk]))
    later = html.split("<h2>Agreements that build on it</h2>", 1)[1]
    assert framework["legal"].title in later
    first = get(viewer_client, reverse("agreement-detail", args=[framework["arrangement"].pk]))
    assert "It does not build on an earlier agreement recorded here." in first


def test_the_agreement_list_shows_each_agreement_newest_first(viewer_client, framework):
    html = get(viewer_client, reverse("agreement-list"))
    positions = [
        html.index(f">{framework[key].title}</a>")
        for key in ("legal", "cooperation", "arrangement")
    ]
    assert positions == sorted(positions)
    assert "Builds on" in html
    assert "Joint Action Plan 2016" in html


def test_the_plan_page_shows_objectives_period_agreement_and_matrix_editions(
    viewer_client, framework
):
    plan = framework["plan"]
    html = get(viewer_client, reverse("plan-detail", args=[plan.pk]))
    assert "<h1>Joint Action Plan 2016</h1>" in html
    assert "2016-01-01 to 2016-12-31" in html
    assert "<p>Coherent support to member countries.</p>" in html
    assert "<p>Mobilise donors coherently.</p>" in html
    assert "INTERPOL–UNODC partnership: INTERPOL, UNODC" in html
    assert framework["legal"].title in html
    assert "which builds on" in html  # the chain down to 1971
    assert f"?plan={plan.pk}&amp;edition=2" in html
    assert "Edition 2</a>, not adopted yet — Mid-year revision" in html
    assert "Edition 1</a>, adopted 2016-05-23" in html
    assert f'href="/dashboard/?plan={plan.pk}"' in html  # its dashboard


def test_the_plan_list_links_plans_agreements_and_matrices(viewer_client, framework):
    PlanFactory(title="Joint Action Plan 2018", state=JointActionPlan.State.DRAFT)
    html = get(viewer_client, reverse("plan-list"))
    assert "Joint Action Plan 2016" in html and "Joint Action Plan 2018" in html
    assert f'href="{reverse("agreement-detail", args=[framework["legal"].pk])}"' in html
    assert f"/matrix/?plan={framework['plan'].pk}&amp;edition=1" in html


def test_unknown_agreements_and_plans_are_not_found(viewer_client, framework):
    assert viewer_client.get(reverse("agreement-detail", args=[999])).status_code == 404
    assert viewer_client.get(reverse("plan-detail", args=[999])).status_code == 404


def test_the_pages_need_a_login(client, framework):
    response = client.get(reverse("plan-list"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user; agreements with their base joined, their parties; plans (partnership
        # and agreement joined), their organizations, their matrices; header profile: 8.
        ("agreement-list", 8),
        # session, user; plans, their organizations, their matrices; header profile: 6.
        ("plan-list", 6),
    ],
)
def test_list_pages_take_the_same_queries_as_the_framework_grows(
    viewer_client, framework, name, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        get(viewer_client, reverse(name))
    for year in range(2017, 2022):
        agreement = AgreementFactory(signed_on=dt.date(year, 1, 1), builds_on=framework["legal"])
        agreement.parties.add(OrganizationFactory())
        plan = PlanFactory(
            agreement=agreement,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
        )
        MatrixFactory(plan=plan)
    with django_assert_num_queries(queries):
        get(viewer_client, reverse(name))


def test_detail_pages_take_a_fixed_number_of_queries(
    viewer_client, framework, django_assert_num_queries
):
    # session, user; the plan (partnership, agreement joined), its organizations, its matrices;
    # every agreement with its base, their parties; header profile: 8.
    with django_assert_num_queries(8):
        get(viewer_client, reverse("plan-detail", args=[framework["plan"].pk]))
    # session, user; agreements, parties; plans, their organizations, their matrices; profile: 8.
    with django_assert_num_queries(8):
        get(viewer_client, reverse("agreement-detail", args=[framework["legal"].pk]))
