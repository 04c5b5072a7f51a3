"""The upload from the command line, the API (the dry run as JSON) and the pages; the download's
query count does not grow with the plan."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from activities.models import Activity
from exchange.models import Upload
from partnership.models import Profile
from tests.exchange.conftest import download, edited, row_of, set_cell
from tests.factories import ActivityFactory, MilestoneFactory, ParticipationFactory, make_user

pytestmark = pytest.mark.django_db


def retitled(plan, title="Forensic labs"):
    def edit(workbook):
        set_cell(
            workbook, "activities", row_of(workbook["activities"], "code", "A-0100"), "title", title
        )

    return edited(download(plan), edit)


def api_client(user) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- command --------------------------------------------------------------------------------------


def test_the_command_dry_runs_then_applies(plan, tmp_path, manager):
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(retitled(plan))
    out = io.StringIO()
    call_command("import_matrix", plan.pk, str(path), "--missing", "keep", stdout=out)
    assert "title: “Forensic training” → “Forensic labs”" in out.getvalue()
    assert "Dry run: 1 change(s), nothing written." in out.getvalue()
    assert not Activity.objects.filter(title="Forensic labs").exists()
    call_command(
        "import_matrix",
        plan.pk,
        str(path),
        "--missing",
        "keep",
        "--apply",
        "--as",
        "manager",
        stdout=out,
    )
    assert Activity.objects.get(code="A-0100").title == "Forensic labs"


def test_the_command_refuses_to_apply_a_file_with_errors_and_lists_them(plan, tmp_path):
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(edited(download(plan), lambda w: set_cell(w, "milestones", 2, "weight", "x")))
    with pytest.raises(CommandError, match="milestones, row 2, column weight"):
        call_command("import_matrix", plan.pk, str(path), "--missing", "keep", "--apply")


def test_the_command_needs_the_choice_for_missing_rows(plan, tmp_path):
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(download(plan))
    with pytest.raises(CommandError, match="--missing"):
        call_command("import_matrix", plan.pk, str(path))


def test_export_matrix_writes_the_template(plan, tmp_path):
    path = tmp_path / "out.xlsx"
    call_command("export_matrix", plan.pk, "-o", str(path), stdout=io.StringIO())
    assert path.read_bytes()[:2] == b"PK"


# --- API ------------------------------------------------------------------------------------------


def post_upload(client, plan, content, **fields):
    file = io.BytesIO(content)
    file.name = "matrix.xlsx"
    return client.post(
        f"/api/v1/plans/{plan.pk}/matrix-upload/", {"file": file, **fields}, format="multipart"
    )


def test_the_api_returns_the_dry_run_as_json_and_writes_nothing(plan, manager):
    response = post_upload(api_client(manager), plan, retitled(plan), missing="keep")
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] is False and body["changes"] == 1
    [changed] = [r for r in body["rows"] if r["outcome"] == "changed"]
    assert changed["changes"] == [
        {"column": "title", "old": "Forensic training", "new": "Forensic labs"}
    ]
    assert body["counts"]["milestones"]["unchanged"] == 3
    assert not Activity.objects.filter(title="Forensic labs").exists()


def test_the_api_applies_on_confirmation(plan, manager):
    response = post_upload(api_client(manager), plan, retitled(plan), missing="keep", apply="true")
    assert response.status_code == 200 and response.json()["applied"] is True
    assert Activity.objects.get(code="A-0100").title == "Forensic labs"


def test_the_api_answers_422_with_every_error_and_409_for_a_conflict(plan, manager):
    client = api_client(manager)
    bad = edited(download(plan), lambda w: set_cell(w, "milestones", 2, "weight", "x"))
    response = post_upload(client, plan, bad, missing="keep", apply="true")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "sheet": "milestones",
            "row": 2,
            "column": "weight",
            "message": "“x” is not a whole number.",
        }
    ]
    content = retitled(plan)
    Activity.objects.filter(code="A-0100").update(version=5)  # edited by someone meanwhile
    response = post_upload(client, plan, content, missing="keep", apply="true")
    assert response.status_code == 409
    assert [c["sheet"] for c in response.json()["conflicts"]] == ["activities"]


def test_the_api_refuses_non_managers_and_bad_input(plan):
    viewer = make_user(role=Profile.Role.VIEWER)
    assert post_upload(api_client(viewer), plan, download(plan), missing="keep").status_code == 403
    manager = make_user(role=Profile.Role.MANAGER)
    response = post_upload(api_client(manager), plan, download(plan), missing="maybe")
    assert response.status_code == 400 and "missing" in response.json()


def test_the_api_gives_the_workbook_in_a_fixed_number_of_queries(
    plan, manager, django_assert_num_queries
):
    client = api_client(manager)
    url = f"/api/v1/plans/{plan.pk}/matrix.xlsx"
    # the token with its user (knox), the plan (the 404 check), the reader's profile (what they
    # may see), then plan_rows (11, as for the page).
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    for n in range(5):
        activity = ActivityFactory(matrix=plan.matrices.get(), code=f"G-{n}")
        ParticipationFactory(activity=activity)
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


# --- pages ----------------------------------------------------------------------------------------


def test_download_reads_a_fixed_number_of_queries(client, plan, django_assert_num_queries):
    client.force_login(make_user(role=Profile.Role.VIEWER))
    url = reverse("exchange:matrix-download", args=[plan.pk])
    # session, user, then plan_rows: the plan, its matrices, the reader's profile (what they may
    # see: the tiers are read with the activities), activities (with areas and matrices),
    # topics, SDG targets, participations (with organizations), milestones, indicators, funding
    # (with donors), the thematic areas and organizations of the drop-downs.
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    for n in range(5):  # the plan grows: the count stays
        activity = ActivityFactory(matrix=plan.matrices.get(), code=f"G-{n}")
        ParticipationFactory(activity=activity)
        MilestoneFactory(activity=activity)
    with django_assert_num_queries(14):
        client.get(url)


def test_the_page_flow_upload_dry_run_confirm(client, plan, manager):
    client.force_login(manager)
    response = client.post(
        reverse("exchange:matrix-upload", args=[plan.pk]),
        {"file": _file(retitled(plan)), "missing": "keep"},
    )
    assert response.status_code == 302
    upload = Upload.objects.get()
    page = client.get(response["Location"])
    assert b"Forensic labs" in page.content and b"Confirm: apply 1 change" in page.content
    assert not Activity.objects.filter(title="Forensic labs").exists()
    done = client.post(
        reverse("exchange:upload-confirm", args=[plan.pk, upload.pk]), {"missing": "keep"}
    )
    assert done.status_code == 302
    assert Activity.objects.get(code="A-0100").title == "Forensic labs"
    assert not Upload.objects.exists()


def test_a_new_upload_replaces_the_managers_pending_one(client, plan, manager):
    client.force_login(manager)
    url = reverse("exchange:matrix-upload", args=[plan.pk])
    client.post(url, {"file": _file(download(plan)), "missing": "keep"})
    first = Upload.objects.get()
    client.post(url, {"file": _file(retitled(plan)), "missing": "keep"})
    [pending] = Upload.objects.all()
    assert pending.pk != first.pk
    response = client.get(
        reverse("exchange:upload-review", args=[plan.pk, first.pk]) + "?missing=keep"
    )
    assert response.status_code == 404


def test_the_upload_page_asks_for_the_choice_about_missing_rows(client, plan, manager):
    client.force_login(manager)
    response = client.post(
        reverse("exchange:matrix-upload", args=[plan.pk]), {"file": _file(download(plan))}
    )
    assert response.status_code == 400 and not Upload.objects.exists()
    assert b"This field is required" in response.content


def test_the_review_of_an_unchanged_file_reads_a_fixed_number_of_queries(
    client, plan, manager, django_assert_num_queries
):
    """A dry run reads the plan once and writes only the rows that change: an unchanged file of
    a bigger plan costs no more queries."""
    client.force_login(manager)
    upload = Upload.objects.create(
        plan=plan, uploaded_by=manager, file_name="m.xlsx", content=download(plan)
    )
    url = reverse("exchange:upload-review", args=[plan.pk, upload.pk]) + "?missing=keep"
    # session, user, profile (the manager check), the plan, the upload (5); the service's
    # savepoint, its rollback and release (3); the plan's rows (11, as for the download); the
    # thematic areas, organizations, topics and SDG targets the codes are looked up in (4); the
    # profile again, for the page's navigation (1).
    expected = 24
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    for n in range(5):
        activity = ActivityFactory(matrix=plan.matrices.get(), code=f"G-{n}")
        ParticipationFactory(activity=activity)
        MilestoneFactory(activity=activity)
    upload.content = download(plan)
    upload.save()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_only_managers_reach_the_upload_pages(client, plan):
    client.force_login(make_user(role=Profile.Role.LIAISON_OFFICER))
    assert client.get(reverse("exchange:matrix-upload", args=[plan.pk])).status_code == 403


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "matrix.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
