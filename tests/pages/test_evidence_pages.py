"""Evidence on the pages: attach, refuse with a clear message (nothing stored), download only
for those who may read the record, the reviewer sees it, a deleted draft takes its files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from activities import services
from activities.models import Evidence, ProgressUpdate
from partnership.models import Profile
from tests.activities.test_evidence import EXE, PDF, PNG
from tests.factories import (
    ActivityFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
    partner_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024
    return tmp_path


@pytest.fixture
def draft():
    activity = ActivityFactory(code="TER-02")
    author = liaison_for(activity, username="liaison")
    return ProgressUpdateFactory(activity=activity, author=author)


def page_url(update):
    return f"/activities/{update.activity_id}/updates/{update.pk}/evidence/"


def files(media):
    folder = media / "evidence"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_liaison_officer_attaches_a_file_and_downloads_it(client, draft, media):
    client.force_login(draft.author)
    response = client.post(page_url(draft), {"file": SimpleUploadedFile("minutes.pdf", PDF)})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    page = client.get(page_url(draft)).content.decode()
    assert "minutes.pdf" in page and "application/pdf" in page
    download = client.get(f"/evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("inline")


def test_office_documents_download_as_attachments(client, media):
    measurement = MeasurementFactory()
    liaison = liaison_for(measurement.indicator.activity, username="liaison")
    evidence = services.attach_evidence(
        actor=liaison,
        measurement=measurement,
        upload=SimpleUploadedFile("attendance.csv", b"name,agency\nA,INTERPOL\n"),
    )
    client.force_login(partner_viewer(measurement.indicator.activity))
    download = client.get(f"/evidence/{evidence.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="attendance.csv"'


def test_an_oversize_file_gets_a_clear_message_and_nothing_is_stored(client, draft, media):
    client.force_login(draft.author)
    response = client.post(page_url(draft), {"file": SimpleUploadedFile("scan.pdf", PDF * 20)})
    assert response.status_code == 400
    assert (
        "“scan.pdf” is 1.3 KB; evidence files may be at most 1.0 KB. Nothing was stored."
        in response.content.decode()
    )
    assert not Evidence.objects.exists() and files(media) == []


def test_an_executable_named_pdf_is_refused_on_the_page(client, draft, media):
    client.force_login(draft.author)
    response = client.post(page_url(draft), {"file": SimpleUploadedFile("report.pdf", EXE)})
    assert response.status_code == 400
    assert "whatever its name says" in response.content.decode()
    assert files(media) == []


def test_an_outsider_gets_404_for_a_drafts_file_and_anonymous_users_sign_in(client, draft):
    evidence = services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("a.png", PNG)
    )
    outsider = liaison_for(ActivityFactory(), username="outsider")
    client.force_login(outsider)
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404
    assert client.get(page_url(draft)).status_code == 404
    assert (
        client.post(page_url(draft), {"file": SimpleUploadedFile("b.png", PNG)}).status_code == 404
    )
    client.force_login(make_user(Profile.Role.VIEWER))
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 302


def test_a_viewer_reads_but_cannot_attach(client, draft):
    services.submit_progress_update(actor=draft.author, update=draft)
    viewer = partner_viewer(draft.activity)
    client.force_login(viewer)
    assert client.get(page_url(draft)).status_code == 200
    response = client.post(page_url(draft), {"file": SimpleUploadedFile("b.png", PNG)})
    assert response.status_code == 403


def test_deleting_a_draft_from_its_page_removes_its_files(
    client, draft, media, django_capture_on_commit_callbacks
):
    services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("a.png", PNG)
    )
    assert len(files(media)) == 1
    client.force_login(draft.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/activities/{draft.activity_id}/updates/{draft.pk}/delete/",
            {"version": draft.version},
        )
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(pk=draft.pk).exists()
    assert files(media) == []


def test_the_reviewer_sees_the_evidence_in_the_approval_queue(client, draft):
    evidence = services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    draft.state, draft.submitted_at = ProgressUpdate.State.SUBMITTED, timezone.now()
    draft.save()
    client.force_login(make_user(Profile.Role.MANAGER))
    html = client.get("/approvals/").content.decode()
    assert f'href="/evidence/{evidence.pk}/download/"' in html and "minutes.pdf" in html


def test_the_evidence_page_costs_the_same_queries_however_many_files(
    client, draft, django_assert_num_queries
):
    """session, user; the activity with its participations; the update (drafts visible to the
    reader); its files with uploader and superseded ones; the profile (permission check) and
    (header): 8, for 1 and 6 files."""
    client.force_login(draft.author)
    services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("0.png", PNG)
    )
    with django_assert_num_queries(8):
        client.get(page_url(draft))
    for n in range(1, 6):
        services.attach_evidence(
            actor=draft.author, update=draft, upload=SimpleUploadedFile(f"{n}.png", PNG)
        )
    with django_assert_num_queries(8):
        response = client.get(page_url(draft))
    assert response.content.decode().count("data-evidence=") == 6


def test_a_drafts_file_is_removed_and_an_approved_ones_only_corrected(
    client, draft, media, django_capture_on_commit_callbacks
):
    evidence = services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("a.png", PNG)
    )
    client.force_login(draft.author)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/evidence/{evidence.pk}/remove/")
    assert not Evidence.objects.exists() and files(media) == []

    kept = services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    ProgressUpdate.objects.filter(pk=draft.pk).update(
        state=ProgressUpdate.State.APPROVED,
        submitted_at=timezone.now(),
        reviewer=make_user(Profile.Role.MANAGER),
        reviewed_at=timezone.now(),
    )
    response = client.post(f"/evidence/{kept.pk}/remove/", follow=True)
    assert "cannot be removed, only superseded by a correction" in response.content.decode()
    assert Evidence.objects.filter(pk=kept.pk).exists()
    response = client.post(
        page_url(draft),
        {"file": SimpleUploadedFile("minutes-corrected.pdf", PDF), "supersedes": kept.pk},
    )
    assert response.status_code == 302
    correction = Evidence.objects.get(supersedes=kept)
    page = client.get(page_url(draft)).content.decode()
    assert "(superseded by a correction)" in page and correction.name in page
