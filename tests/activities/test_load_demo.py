"""`python manage.py load_demo`: the 2016 demo data set, loaded through the command itself."""

import copy
import re
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import auth
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from activities.demo import data
from activities.demo.loader import DemoDataError
from activities.models import (
    Activity,
    ActivityParticipation,
    PriorityDesignation,
    ProgressUpdate,
)
from partnership.models import Agreement, JointActionPlan, Organization, Profile, ThematicArea

pytestmark = pytest.mark.django_db

DEMO_USERS = ("manager", "liaison-interpol", "liaison-unodc", "admin", "viewer")
PUBLIC_PROJECTS = {"TOC-01", "TOC-02", "TOC-03", "FCJ-02", "CYB-01"}


# tests/conftest.py makes hashing fast per test; the class-scoped load below needs its own.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


@pytest.fixture(scope="class")
def loaded_demo(django_db_setup, django_db_blocker):
    """The demo loaded once for a class of read-only tests (a load takes seconds), inside a
    transaction rolled back after the class; each test runs in a savepoint within it."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.delenv("DEMO_PASSWORD", raising=False)
        load("--no-monitoring")
        yield
        transaction.set_rollback(True)


def authenticate(**credentials):
    """A sign-in as the login page makes it: django-axes checks its lockout on the request."""
    return auth.authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def load(*options: str) -> str:
    out = StringIO()
    call_command("load_demo", *options, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every installed model, history tables and auth included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def login_table(output: str) -> dict[str, str]:
    """username → the password column of the printed login table."""
    table = output.split("Demo logins", 1)[1]
    rows = {}
    for line in table.splitlines():
        cells = line.split()
        if cells and cells[0] in DEMO_USERS:
            rows[cells[0]] = cells[-1]
    return rows


def partner_organizations(activity: Activity) -> set[str]:
    return {
        p.organization.acronym
        for p in activity.participations.all()
        if p.organization.acronym in {"INTERPOL", "UNODC"}
    }


@pytest.mark.usefixtures("loaded_demo")
class TestTheLoadedDemo:
    def test_a_second_run_writes_nothing_and_leaves_every_count_unchanged(self):
        before = row_counts()

        with CaptureQueriesContext(connection) as queries:
            output = load("--no-monitoring")

        assert row_counts() == before
        writes = [
            q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
        ]
        assert writes == []
        assert "nothing changed" in output

    def test_the_data_set_has_the_partners_donors_and_member_states(self):
        plan = JointActionPlan.objects.get()
        assert set(plan.partnership.organizations.values_list("acronym", flat=True)) == {
            "INTERPOL",
            "UNODC",
        }
        kinds = dict(Organization.objects.values_list("acronym", "kind"))
        assert kinds["EU"] == "donor"
        assert {"DEU", "NOR", "USA", "AUT", "FRA"} <= {
            a for a, k in kinds.items() if k == "member_state"
        }
        assert plan.state == "adopted"
        assert plan.period_start <= date(2016, 1, 1) and plan.period_end >= date(2016, 12, 31)
        assert plan.agreement.kind == "legal_agreement"
        assert plan.matrices.get().adopted_on == date(2016, 5, 23)

    def test_the_2016_legal_agreement_builds_on_the_1997_one_and_was_signed_in_vienna(self):
        legal = Agreement.objects.get(kind=Agreement.Kind.LEGAL_AGREEMENT)
        assert legal.signed_on == date(2016, 5, 23)
        assert legal.place == "Vienna"
        assert set(legal.parties.values_list("acronym", flat=True)) == {"INTERPOL", "UNODC"}
        for name in ("Fedotov", "Stock", "25th session", "Commission on Crime Prevention"):
            assert name in legal.summary
        earlier = legal.builds_on
        assert earlier.kind == Agreement.Kind.COOPERATION_AGREEMENT
        assert earlier.signed_on.year == 1997
        assert "INTERPOL" in set(earlier.parties.values_list("acronym", flat=True))
        assert "illustrative" in earlier.summary  # the day is not in the public record

    def test_activities_fill_all_six_thematic_areas_with_every_kind_of_entry(self):
        used = set(Activity.objects.values_list("thematic_area__code", flat=True))
        assert used == set(ThematicArea.objects.values_list("code", flat=True))
        assert len(used) == 6
        assert 30 <= Activity.objects.count() <= 40
        for field, value in [
            ("cooperation_type", "joint"),
            ("cooperation_type", "complementary"),
            ("horizon", "current"),
            ("horizon", "aspirational"),
        ]:
            assert Activity.objects.filter(**{field: value}).exists(), value

    def test_every_activity_has_one_area_a_participant_and_exactly_one_lead(
        self,
        django_assert_num_queries,
    ):
        # One query: the activities annotated with their participation and lead counts.
        with django_assert_num_queries(1):
            rows = list(
                Activity.objects.annotate(
                    participants=Count("participations"),
                    leads=Count("participations", filter=Q(participations__role="lead")),
                ).values_list("code", "thematic_area_id", "participants", "leads")
            )
        assert rows
        for code, area_id, participants, leads in rows:
            assert area_id is not None, code
            assert participants >= 1, code
            assert leads == 1, code

    def test_exactly_eleven_priorities_for_2016_cover_the_nine_named_areas(self):
        priorities = PriorityDesignation.objects.filter(year=2016).select_related(
            "activity__thematic_area"
        )
        assert priorities.count() == 11
        assert sorted(p.rank for p in priorities) == list(range(1, 12))
        by_code = {p.activity.code: p.activity for p in priorities}

        # The nine areas named in the remarks of 23 May 2016.
        assert set(data.NAMED_AREAS_2016) == {
            "terrorism",
            "transnational organized crime",
            "drugs",
            "wildlife and forest crime",
            "cultural heritage",
            "forensics",
            "information sharing",
            "dark net research",
            "institutional cooperation",
        }
        for area, codes in data.NAMED_AREAS_2016.items():
            assert codes, area
            kind, wanted = data.NAMED_AREA_CRITERIA[area]
            for code in codes:
                activity = by_code[code]  # a 2016 priority
                if kind == "area":
                    assert activity.thematic_area.code == wanted, (area, code)
                else:
                    assert activity.topics.filter(code=wanted).exists(), (area, code)
        assert all(p.rationale for p in priorities)

    def test_the_matrix_has_a_gap_a_single_organization_area_and_an_overlap(self):
        current = Activity.objects.filter(horizon="current").prefetch_related(
            "participations__organization", "topics"
        )
        areas = ThematicArea.objects.all()

        gaps = [a.code for a in areas if not current.filter(thematic_area=a).exists()]
        assert gaps == ["cybercrime"]
        assert Activity.objects.filter(thematic_area__code="cybercrime", horizon="aspirational")

        maritime = current.filter(thematic_area__code="maritime-border-security")
        assert set().union(*(partner_organizations(a) for a in maritime)) == {"UNODC"}

        trafficking = list(current.filter(thematic_area__code="trafficking-organized-crime"))
        interpol_only = [a for a in trafficking if partner_organizations(a) == {"INTERPOL"}]
        unodc_only = [a for a in trafficking if partner_organizations(a) == {"UNODC"}]
        shared = {
            topic.code
            for x in interpol_only
            for y in unodc_only
            for topic in x.topics.all()
            if topic in y.topics.all()
        }
        assert shared == {"firearms"}

    def test_public_projects_are_marked_as_facts_and_the_rest_as_illustrative(self):
        flags = dict(Activity.objects.values_list("code", "is_illustrative"))
        assert {code for code, illustrative in flags.items() if not illustrative} == PUBLIC_PROJECTS
        crimjust = Activity.objects.get(code="FCJ-02")
        assert crimjust.start_date == date(2016, 2, 1)
        assert crimjust.milestones.get(title__contains="INTERPOL joins").completed_on == date(
            2016, 8, 30
        )

    def test_users_have_their_roles_organizations_and_activities(self):
        profiles = {
            p.user.username: (p.role, p.organization.acronym if p.organization else None)
            for p in Profile.objects.select_related("user", "organization")
        }
        assert profiles == {
            "manager": ("manager", "UNODC"),
            "liaison-interpol": ("liaison_officer", "INTERPOL"),
            "liaison-unodc": ("liaison_officer", "UNODC"),
            "admin": ("admin", None),
            "viewer": ("viewer", None),
        }
        for username, acronym in [("liaison-interpol", "INTERPOL"), ("liaison-unodc", "UNODC")]:
            theirs = set(
                Activity.objects.filter(liaison_officers__username=username).values_list(
                    "code", flat=True
                )
            )
            participated = set(
                ActivityParticipation.objects.filter(organization__acronym=acronym).values_list(
                    "activity__code", flat=True
                )
            )
            assert theirs == participated

    def test_progress_updates_are_reviewed_by_the_manager_in_2016_and_some_await_review(self):
        approved = ProgressUpdate.objects.filter(state="approved")
        assert approved.exists()
        assert set(approved.values_list("reviewer__username", flat=True)) == {"manager"}
        assert {u.reviewed_at.year for u in approved} == {2016}
        states = set(ProgressUpdate.objects.values_list("state", flat=True))
        assert states == {"draft", "submitted", "approved", "returned"}
        returned = ProgressUpdate.objects.get(state="returned")
        assert returned.review_note and returned.reviewer.username == "manager"


def test_demo_password_sets_every_users_password_on_every_run(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "first-demo-secret")
    output = load("--no-monitoring")

    for username in DEMO_USERS:
        assert authenticate(username=username, password="first-demo-secret") is not None
    assert "first-demo-secret" not in output
    assert set(login_table(output).values()) == {"DEMO_PASSWORD"}

    monkeypatch.setenv("DEMO_PASSWORD", "second-demo-secret")
    load("--no-monitoring")

    for username in DEMO_USERS:
        assert authenticate(username=username, password="second-demo-secret") is not None
        assert authenticate(username=username, password="first-demo-secret") is None


def test_a_generated_password_is_printed_only_when_the_user_is_created():
    first = load("--no-monitoring")
    passwords = login_table(first)
    assert set(passwords) == set(DEMO_USERS)
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) is not None
    assert "shown this once" in first

    second = load("--no-monitoring")

    for username, password in passwords.items():
        assert password not in second
        assert authenticate(username=username, password=password) is not None  # kept
    assert set(login_table(second).values()) == {"(unchanged)"}
    assert "Existing passwords were kept" in second
    assert "DEMO_PASSWORD=" in second


def test_a_rerun_restores_edited_records_and_marks_them_as_new_versions():
    load("--no-monitoring")
    activity = Activity.objects.get(code="TER-01")
    Activity.objects.filter(pk=activity.pk).update(title="Edited by hand")
    # Hand-made participations: UNODC made lead instead of INTERPOL, and a stray participant.
    activity.participations.filter(organization__acronym="INTERPOL").update(role="partner")
    activity.participations.filter(organization__acronym="UNODC").update(role="lead")
    ActivityParticipation.objects.create(
        activity=activity, organization=Organization.objects.get(acronym="WCO"), role="partner"
    )

    output = load("--no-monitoring")

    restored = Activity.objects.get(pk=activity.pk)
    assert restored.title == data.ACTIVITIES[0]["title"]
    assert restored.version == activity.version + 1
    assert dict(restored.participations.values_list("organization__acronym", "role")) == {
        "INTERPOL": "lead",
        "UNODC": "partner",
    }
    assert "Updated: Activity 1, ActivityParticipation 2, ActivityParticipation.removed 1." in (
        output
    )


def test_a_data_set_with_two_leads_is_refused_before_anything_is_written(monkeypatch):
    broken = copy.deepcopy(data.ACTIVITIES)
    broken[0]["participations"][1]["role"] = "lead"
    monkeypatch.setattr(data, "ACTIVITIES", broken)

    with pytest.raises(DemoDataError, match="TER-01: needs exactly one lead"):
        load("--no-monitoring")

    assert not Activity.objects.exists()
    assert not JointActionPlan.objects.exists()


def test_the_stories_of_the_eleven_priorities_make_a_realistic_mix():
    stories = data.STORIES_2016
    assert set(stories) == {a["code"] for a in data.ACTIVITIES if a.get("priority")}
    assert all(len(story) == 12 for story in stories.values())
    assert any(set(story) == {"on_track"} for story in stories.values())
    recovering = [
        s
        for s in stories.values()
        if "at_risk" in s and s[-1] == "on_track" and "off_track" not in s
    ]
    assert recovering
    assert any("off_track" in story for story in stories.values())
    completed_early = [s for s in stories.values() if s[10] == "completed"]  # by 30 November
    assert completed_early


def test_the_replay_of_2016_tells_each_priority_story_month_by_month():
    from monitoring.models import Assessment

    assert "run_monitoring" in get_commands()
    output = load()

    assert "Demo logins" in output.split("Replaying the monitoring", 1)[1]  # logins come last
    activities = Activity.objects.count()
    assessed = Assessment.objects.filter(as_of__in=data.MONTH_ENDS_2016)
    assert assessed.count() == activities * 12
    for code, story in data.STORIES_2016.items():
        statuses = tuple(
            assessed.filter(activity__code=code).order_by("as_of").values_list("status", flat=True)
        )
        assert statuses == story, code
    # Every status that is neither on track nor completed says why.
    unexplained = assessed.filter(activity__priorities__year=2016, reasons=[]).exclude(
        status__in=["on_track", "completed"]
    )
    assert not unexplained.exists(), list(unexplained.values_list("activity__code", "as_of"))
    # The latest assessment is kept on each activity.
    assert set(Activity.objects.values_list("status_as_of", flat=True)) == {date(2016, 12, 31)}
    december = dict(Activity.objects.values_list("code", "status"))
    assert {december[code] for code in data.STORIES_2016} == {"on_track", "off_track", "completed"}


def test_only_the_demo_admin_opens_the_django_admin(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-secret")
    load("--no-monitoring")
    for username, status in (("admin", 200), ("manager", 302), ("viewer", 302)):
        assert authenticate(username=username, password="demo-secret") is not None
        client.force_login(auth.get_user_model().objects.get(username=username))
        assert client.get("/admin/").status_code == status, username
