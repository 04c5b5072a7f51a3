"""Backups of one plan: `export_plan` / `import_plan` round-trip a plan with everything under it
as JSON, into an empty database, losing nothing; an import is all or nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from activities.exceptions import NotAllowed
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from activities.plan_export import export_plan
from activities.plan_import import PlanAlreadyExists, import_plan
from monitoring.models import MonitoringRun
from partnership.models import (
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    ApprovedUpdateFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MeasurementFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PlanFactory,
    PriorityFactory,
    TopicFactory,
    make_user,
    sdg_target,
    thematic_area,
)

pytestmark = pytest.mark.django_db


def empty_the_database() -> None:
    """Every table emptied, the seeded reference data included: the import must bring all it
    needs. (Inside the test's transaction, so rolled back afterwards.)"""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
        # transaction: run those checks now, then defer again for the rest of the test.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", "--no-input", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        call_command("flush", "--no-input", verbosity=0)
    assert not ThematicArea.objects.exists() and not SDGTarget.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.fixture
def plan():
    """A plan with one of everything: an agreement chain, two matrices, activities with
    participations, priorities, milestones, indicators and measurements, progress updates
    (draft and approved), funding, topics, SDG targets and liaison officers."""
    interpol = OrganizationFactory(acronym="INTERPOL", website="https://www.interpol.int")
    unodc = OrganizationFactory(acronym="UNODC")
    donor = OrganizationFactory(acronym="NOR", kind=Organization.Kind.DONOR)
    partnership = PartnershipFactory(name="INTERPOL–UNODC")
    partnership.organizations.set([interpol, unodc])
    earlier = AgreementFactory(title="UN–INTERPOL Cooperation Agreement", signed_on="1997-07-08")
    earlier.parties.set([interpol])
    agreement = AgreementFactory(
        title="Legal Agreement", signed_on="2016-02-01", builds_on=earlier, place="Vienna"
    )
    agreement.parties.set([interpol, unodc])
    plan = PlanFactory(partnership=partnership, agreement=agreement, title="Joint Action Plan 2016")
    liaison = make_user(
        Profile.Role.LIAISON_OFFICER,
        organization=interpol,
        username="amina",
        first_name="Amina",
        last_name="Diallo",
    )
    manager = make_user(Profile.Role.MANAGER, organization=unodc, username="maria")
    for edition in (1, 2):
        matrix = MatrixFactory(plan=plan, edition=edition, notes=f"Edition {edition}")
        for n in range(2):
            activity = ActivityFactory(
                matrix=matrix,
                code=f"E{edition}-{n}",
                thematic_area=thematic_area("cybercrime" if n else "terrorism"),
                status="at_risk",
                status_as_of=dt.date(2016, 6, 30),
                status_reasons=[{"code": "milestone_overdue", "severity": "at_risk"}],
                description="Darknet research — «quoted» and ünïcode",
            )
            activity.topics.set([TopicFactory(code="drugs"), TopicFactory(code="dark-net")])
            activity.sdg_targets.set([sdg_target("16.a"), sdg_target("16.4")])
            activity.liaison_officers.set([liaison])
            ParticipationFactory(activity=activity, organization=interpol, role="lead")
            ParticipationFactory(
                activity=activity, organization=unodc, role="partner", contribution="Trainers"
            )
            PriorityFactory(activity=activity, year=2016, rank=edition * 10 + n)
            MilestoneFactory(activity=activity, title="Workshop", completed_on="2016-06-01")
            MilestoneFactory(activity=activity, title="Report", due_date="2016-11-30", weight=3)
            indicator = IndicatorFactory(activity=activity, target=Decimal("120.50"))
            MeasurementFactory(indicator=indicator, measured_on="2016-03-31", recorded_by=liaison)
            MeasurementFactory(indicator=indicator, measured_on="2016-06-30", value=Decimal("61"))
            ApprovedUpdateFactory(activity=activity, author=liaison, reviewer=manager)
            ApprovedUpdateFactory(
                activity=activity,
                author=liaison,
                state=ProgressUpdate.State.RETURNED,
                review_note="Add the figures.",
                reviewer=manager,
                period_end=dt.date(2016, 9, 30),
            )
            FundingFactory(activity=activity, donor=donor, amount=Decimal("25000.75"))
    # Another plan, which the export leaves out.
    ActivityFactory(code="OTHER")
    return plan


def test_a_plan_round_trips_into_an_empty_database_without_losing_anything(plan):
    exported = export_plan(plan_id=plan.pk)
    assert [a["code"] for m in exported["matrices"] for a in m["activities"]] == [
        "E1-0",
        "E1-1",
        "E2-0",
        "E2-1",
    ]
    document = json.loads(json.dumps(exported))  # what the file holds

    empty_the_database()
    imported = import_plan(document=document)

    assert export_plan(plan_id=imported.pk) == exported
    assert Activity.objects.count() == 4
    assert Measurement.objects.filter(recorded_by__username="amina").count() == 4
    assert [a.title for a in Agreement.objects.order_by("signed_on")] == [
        "UN–INTERPOL Cooperation Agreement",
        "Legal Agreement",
    ]


def test_people_are_created_with_their_role_and_no_usable_password(plan):
    document = export_plan(plan_id=plan.pk)
    empty_the_database()
    import_plan(document=document)

    amina = get_user_model().objects.select_related("profile__organization").get(username="amina")
    assert (amina.first_name, amina.last_name) == ("Amina", "Diallo")
    assert amina.profile.role == Profile.Role.LIAISON_OFFICER
    assert amina.profile.organization.acronym == "INTERPOL"
    assert not amina.has_usable_password()


def test_existing_reference_records_and_people_are_reused_not_duplicated(plan):
    document = export_plan(plan_id=plan.pk)
    # Only the plan's own records go: the organizations, people, partnership and agreements stay.
    Activity.objects.filter(matrix__plan=plan).delete()
    plan.matrices.all().delete()
    plan.delete()
    before = {
        model: model.objects.count()
        for model in (Organization, Partnership, Agreement, get_user_model(), ThematicArea)
    }

    imported = import_plan(document=document)

    assert export_plan(plan_id=imported.pk) == document
    assert {model: model.objects.count() for model in before} == before


def test_a_plan_already_in_the_database_is_refused_and_nothing_is_written(plan):
    document = export_plan(plan_id=plan.pk)
    activities = Activity.objects.count()
    with pytest.raises(PlanAlreadyExists, match="already exists"):
        import_plan(document=document)
    assert Activity.objects.count() == activities
    assert JointActionPlan.objects.filter(title=plan.title).count() == 1


def test_an_invalid_record_anywhere_means_nothing_is_imported(plan):
    document = export_plan(plan_id=plan.pk)
    # The very last milestone is invalid: everything before it must be rolled back.
    document["matrices"][-1]["activities"][-1]["milestones"][-1]["weight"] = 0
    empty_the_database()

    with pytest.raises(ValidationError):
        import_plan(document=document)

    assert not JointActionPlan.objects.exists()
    assert not Activity.objects.exists()
    assert not Organization.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_document_that_is_not_a_plan_export_is_refused():
    with pytest.raises(ValidationError, match="Not a plan export"):
        import_plan(document={"format": "something-else"})


def test_the_import_is_recorded_in_the_audit_history_under_the_operator(plan):
    document = export_plan(plan_id=plan.pk)
    empty_the_database()
    operator = make_user(Profile.Role.ADMIN, username="operator")

    imported = import_plan(document=document, actor=operator)

    activity = Activity.objects.filter(matrix__plan=imported).first()
    assert activity.history.get().history_user == operator
    assert ActivityParticipation.history.filter(activity_id=activity.pk).first().history_user


def test_the_history_of_every_imported_record_names_the_operator(plan):
    """Services and bulk writes alike record the creation under the operator."""
    document = export_plan(plan_id=plan.pk)
    empty_the_database()
    operator = make_user(Profile.Role.MANAGER, username="operator")

    imported = import_plan(document=document, actor=operator)

    for model in (Milestone, Measurement, ProgressUpdate, FundingCommitment):
        rows = model.history.filter(history_type="+")
        assert rows.count() == model.objects.count() > 0, model
        assert set(rows.values_list("history_user__username", flat=True)) == {"operator"}, model
    assert {a.version for a in Activity.objects.filter(matrix__plan=imported)} == {1}


def test_the_import_announces_the_plan_once_after_commit_and_monitoring_assesses_it(
    plan, django_capture_on_commit_callbacks
):
    """The services' own announcements are held; the one refresh at the end reaches monitoring:
    a single change run of the new plan, not one per record written."""
    document = export_plan(plan_id=plan.pk)
    empty_the_database()
    with (
        time_machine.travel(dt.date(2016, 8, 15)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        imported = import_plan(document=document)

    run = MonitoringRun.objects.get()
    assert (run.plan_id, run.trigger, run.note) == (imported.pk, "change", "plan imported")
    assert (run.as_of, run.state, run.activities_assessed) == (dt.date(2016, 8, 15), "finished", 4)


def test_an_activity_the_services_refuse_is_refused_on_import(plan):
    """create_activity insists on exactly one lead organization; a direct write would not."""
    document = export_plan(plan_id=plan.pk)
    for p in document["matrices"][0]["activities"][0]["participations"]:
        p["role"] = "partner"
    empty_the_database()

    with pytest.raises(ValidationError, match="exactly one lead organization"):
        import_plan(document=document)
    assert not Activity.objects.exists()


def test_every_invalid_activity_is_reported_at_once(plan):
    """Each activity is reported with its first invalid record (a service stops there)."""
    document = export_plan(plan_id=plan.pk)
    first, second, _, last = (a for m in document["matrices"] for a in m["activities"])
    first["participations"] = []
    second["funding"][0]["amount"] = "-5"
    last["milestones"][-1]["weight"] = 0
    empty_the_database()

    with pytest.raises(ValidationError) as raised:
        import_plan(document=document)

    messages = raised.value.messages
    assert len(messages) == 3, messages
    assert messages[0].startswith("Activity E1-0: participations: List at least the lead")
    assert messages[1].startswith("Activity E1-1, funding from NOR:")
    assert messages[2].startswith("Activity E2-1, milestone “Report”: weight:")
    assert not Activity.objects.exists() and not JointActionPlan.objects.exists()


def _spoil(document: dict) -> list[str]:
    """Several bad fields across the document (the kinds an edited export holds); the messages
    the import must give, one per problem, in document order."""
    first, second, third, last = (a for m in document["matrices"] for a in m["activities"])
    first["status"] = "bogus"  # got through before, and then every CSV and XLSX export failed
    first["milestones"][0]["due_date"] = "30/11/2016"
    first["progress_updates"][0]["state"] = "published"
    second["status_as_of"] = "9999-12-31"
    second["funding"][0]["status"] = "promised"
    second["funding"][0]["date"] = "2016-02-30"
    third["indicators"][0]["name"] = "Officers trained"
    third["indicators"][0]["measurements"][0]["value"] = "lots"
    third["progress_updates"][0]["percent_complete"] = "ninety"
    last["priorities"][0]["year"] = 1066
    last["funding"][0]["donor"] = "NOBODY"
    return [
        "Activity E1-0: status: “bogus” is not a monitoring status.",
        "Activity E1-0, milestone “Workshop”: due_date: “30/11/2016” is not a date as YYYY-MM-DD.",
        "Activity E1-0, progress update to 2016-06-30: state: Value 'published' is not a valid "
        "choice.",
        "Activity E1-1: status_as_of: Choose a date from 1900-01-01 to 2100-12-31.",
        "Activity E1-1, funding from NOR: date: “2016-02-30” is not a date as YYYY-MM-DD.",
        "Activity E2-0, indicator “Officers trained”: value: “lots” is not a number.",
        "Activity E2-0, progress update to 2016-06-30: percent_complete: “ninety” is not a "
        "whole number.",
        "Activity E2-1, priority 1066: year: Ensure this value is greater than or equal to 1990.",
        "Activity E2-1, funding from NOBODY: donor: The document defines no organization “NOBODY”.",
    ]


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(plan):
    document = export_plan(plan_id=plan.pk)
    expected = _spoil(document)
    empty_the_database()

    with pytest.raises(ValidationError) as raised:
        import_plan(document=document)

    messages = raised.value.messages
    assert len(messages) == len(expected) + 1, messages  # the funding line: date and status
    promised = [m for m in messages if "promised" in m]
    assert promised == [
        "Activity E1-1, funding from NOR: status: Value 'promised' is not a valid choice."
    ]
    rest = [m for m in messages if "promised" not in m]
    for message, start in zip(rest, expected, strict=True):
        assert message.startswith(start), (message, start)
    assert not JointActionPlan.objects.exists()
    assert not Activity.objects.exists()
    assert not Organization.objects.exists()
    assert not get_user_model().objects.exists()


def test_the_command_lists_every_problem_on_its_own_line_and_writes_nothing(plan, tmp_path):
    document = export_plan(plan_id=plan.pk)
    expected = _spoil(document)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    empty_the_database()

    with pytest.raises(CommandError) as raised:
        call_command("import_plan", str(path))

    lines = str(raised.value).splitlines()
    assert lines[0] == f"Nothing was imported: {len(expected) + 1} problems."
    assert all(line.startswith("  - Activity E") for line in lines[1:])
    assert "  - Activity E1-0: status: “bogus” is not a monitoring status." in lines
    assert not JointActionPlan.objects.exists() and not Activity.objects.exists()


def test_invalid_framework_records_are_all_reported_before_any_activity(plan):
    document = export_plan(plan_id=plan.pk)
    document["organizations"][0]["kind"] = "pirate"
    document["agreements"][0]["signed_on"] = "1997-07-32"
    document["plan"]["title"] = "Another plan"
    empty_the_database()

    with pytest.raises(ValidationError) as raised:
        import_plan(document=document)

    messages = raised.value.messages
    assert messages[0].startswith("Organization ") and "kind:" in messages[0]
    assert any(
        m.startswith("Agreement “UN–INTERPOL Cooperation Agreement”: signed_on:") for m in messages
    ), messages
    assert not any(m.startswith("Activity") for m in messages), "not repeated per activity"
    assert not Organization.objects.exists() and not JointActionPlan.objects.exists()


def test_only_managers_and_administrators_may_import(plan, tmp_path):
    document = export_plan(plan_id=plan.pk)
    document["plan"]["title"] = "A copy"
    liaison = get_user_model().objects.get(username="amina")
    with pytest.raises(NotAllowed):
        import_plan(document=document, actor=liaison)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="Only managers and administrators"):
        call_command("import_plan", str(path), "--as", "amina")
    assert not JointActionPlan.objects.filter(title="A copy").exists()


def test_the_export_reads_a_fixed_number_of_queries(plan, django_assert_num_queries):
    """The plan (1), the partnership's organizations (1), the plan's agreement with parties (2),
    the one it builds on with parties (2), the matrices (1), their activities (1) with topics, SDG
    targets, liaison officers, participations, priorities, milestones, indicators, measurements,
    updates and funding (10), the people named with profiles (1), the organizations named (1),
    the thematic areas, topics and SDG targets (3): 23, however many activities."""
    with django_assert_num_queries(23):
        export_plan(plan_id=plan.pk)
    ActivityFactory(matrix=plan.matrices.first(), code="E1-9")
    with django_assert_num_queries(23):
        export_plan(plan_id=plan.pk)


# --- the commands, on the 2016 demo plan ----------------------------------------------------


def test_the_demo_plan_round_trips_through_the_commands(tmp_path, capsys):
    call_command("load_demo", "--no-monitoring")
    plan = JointActionPlan.objects.get()
    first, second = tmp_path / "plan.json", tmp_path / "again.json"
    call_command("export_plan", str(plan.pk), "--output", str(first))
    counts = {model: model.objects.count() for model in (Activity, ProgressUpdate, Measurement)}

    empty_the_database()
    call_command("import_plan", str(first))
    assert "with 32 activities" in capsys.readouterr().out
    imported = JointActionPlan.objects.get()
    call_command("export_plan", str(imported.pk), "--output", str(second))

    assert json.loads(second.read_text()) == json.loads(first.read_text())
    assert {model: model.objects.count() for model in counts} == counts

    with pytest.raises(CommandError, match="already exists"):
        call_command("import_plan", str(first))


def test_exporting_an_unknown_plan_is_a_clear_error():
    with pytest.raises(CommandError, match="No plan with id 999999"):
        call_command("export_plan", "999999")


def test_an_indicator_kind_and_a_confirmed_milestone_round_trip_and_their_rules_hold(plan):
    activity = Activity.objects.filter(matrix__plan=plan).order_by("id").first()
    counted = IndicatorFactory(activity=activity, kind="count", name="Seizures")
    MeasurementFactory(indicator=counted, measured_on="2016-05-31", value=Decimal("7"))
    MilestoneFactory(
        activity=activity, title="Follow-up", due_date="2017-02-01", outside_period_confirmed=True
    )
    document = export_plan(plan_id=plan.pk)
    empty_the_database()
    import_plan(document=document)
    assert Indicator.objects.get(name="Seizures").kind == "count"
    assert Milestone.objects.get(title="Follow-up").outside_period_confirmed

    # A value that is no count: refused, nothing written.
    spoiled = json.loads(json.dumps(document))
    records = next(a for m in spoiled["matrices"] for a in m["activities"] if a["indicators"])
    seizures = next(i for i in records["indicators"] if i["name"] == "Seizures")
    seizures["measurements"][0]["value"] = "7.5"
    empty_the_database()
    with pytest.raises(ValidationError) as caught:
        import_plan(document=spoiled)
    assert "A count is a whole number, 0 or more." in str(caught.value)
    assert not JointActionPlan.objects.exists()
