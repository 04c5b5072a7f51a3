"""Evidence files: the type read from the content, the size limit, nothing stored when refused,
approved updates' files kept, a deleted draft's files gone (activities.evidence, services)."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from activities.evidence import check_file
from activities.exceptions import InvalidTransition, NotAllowed
from activities.models import Evidence, ProgressUpdate
from tests.factories import (
    ApprovedUpdateFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
    liaison_for,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
CSV = b"code,officers\nTER-02,85\nFCJ-02,130\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def check(name, content, max_bytes=1000):
    return check_file(name=name, size=len(content), head=content[:8192], max_bytes=max_bytes)


def test_the_type_is_read_from_the_content():
    assert (check("report.pdf", PDF).content_type, check("report.pdf", PDF).problems) == (
        "application/pdf",
        (),
    )
    assert check("photo.png", PNG).content_type == "image/png"
    assert check("figures.csv", CSV).content_type == "text/csv"
    assert check("minutes.docx", docx(), max_bytes=10**6).problems == ()


def test_a_pdf_that_is_an_executable_is_refused():
    result = check("report.pdf", EXE)
    assert result.content_type == "application/x-msdownload"
    assert result.problems == (
        "“report.pdf” is a EXE file (application/x-msdownload) whatever its name says; evidence "
        "must be a PDF, an image, an office document or CSV.",
    )


def test_a_name_that_lies_about_an_allowed_type_is_refused_too():
    assert "its content is PNG" in check("report.pdf", PNG).problems[0]
    assert check("data.csv", b"\x00\x01binary").problems
    assert check("notes.txt", b"plain text").problems


def test_over_the_limit_says_how_big_and_how_big_may_be():
    big = check_file(name="scan.pdf", size=15 * 1024 * 1024, head=PDF, max_bytes=10 * 1024 * 1024)
    assert big.problems == (
        "“scan.pdf” is 15.0 MB; evidence files may be at most 10.0 MB. Nothing was stored.",
    )
    assert check("scan.pdf", PDF, max_bytes=50).problems[0].startswith("“scan.pdf” is 65 bytes")


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    return tmp_path


def stored_files(media):
    return (
        sorted(p.name for p in (media / "evidence").glob("*"))
        if (media / "evidence").exists()
        else []
    )


@pytest.fixture
def draft():
    update = ProgressUpdateFactory()
    update.author = liaison_for(update.activity, username="liaison")
    update.save()
    return update


def test_a_file_is_stored_through_the_storage_api_with_what_the_content_says(draft, media):
    evidence = services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("Training report.pdf", PDF)
    )
    assert (evidence.name, evidence.content_type, evidence.size) == (
        "Training report.pdf",
        "application/pdf",
        len(PDF),
    )
    assert default_storage.open(evidence.file.name).read() == PDF
    assert evidence.file.name.startswith("evidence/") and "Training" not in evidence.file.name
    assert len(evidence.sha256) == 64


def test_an_executable_named_pdf_and_an_oversize_file_store_nothing(draft, media, settings):
    with pytest.raises(ValidationError) as caught:
        services.attach_evidence(
            actor=draft.author, update=draft, upload=SimpleUploadedFile("report.pdf", EXE)
        )
    assert "whatever its name says" in caught.value.message_dict["file"][0]
    settings.EVIDENCE_MAX_BYTES = 40
    with pytest.raises(ValidationError) as caught:
        services.attach_evidence(
            actor=draft.author, update=draft, upload=SimpleUploadedFile("big.pdf", PDF)
        )
    assert "Nothing was stored." in caught.value.message_dict["file"][0]
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_deleting_a_draft_removes_its_files(draft, media, django_capture_on_commit_callbacks):
    services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    services.attach_evidence(
        actor=draft.author, update=draft, upload=SimpleUploadedFile("b.png", PNG)
    )
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_progress_update(actor=draft.author, update=draft, version=draft.version)
    assert not ProgressUpdate.objects.filter(pk=draft.pk).exists()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_submitted_update_cannot_be_deleted(draft):
    services.submit_progress_update(actor=draft.author, update=draft)
    with pytest.raises(InvalidTransition):
        services.delete_progress_update(actor=draft.author, update=draft)


def test_an_approved_updates_files_stay_and_a_correction_supersedes_one(media):
    update = ApprovedUpdateFactory(period_end=dt.date(2016, 6, 30))
    liaison = liaison_for(update.activity, username="liaison")
    update.state = ProgressUpdate.State.DRAFT
    first = services.attach_evidence(
        actor=liaison, update=update, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    update.state = ProgressUpdate.State.APPROVED
    with pytest.raises(InvalidTransition):
        services.remove_evidence(actor=liaison, evidence=first)
    with pytest.raises(ValidationError):
        services.attach_evidence(
            actor=liaison, update=update, upload=SimpleUploadedFile("c.pdf", PDF)
        )
    correction = services.attach_evidence(
        actor=liaison,
        update=update,
        upload=SimpleUploadedFile("a-corrected.pdf", PDF),
        supersedes=first,
    )
    assert correction.supersedes == first
    assert Evidence.objects.count() == 2


def test_a_measurement_takes_evidence_from_its_activitys_people(media):
    measurement = MeasurementFactory()
    liaison = liaison_for(measurement.indicator.activity, username="liaison")
    evidence = services.attach_evidence(
        actor=liaison, measurement=measurement, upload=SimpleUploadedFile("attendance.csv", CSV)
    )
    assert evidence.content_type == "text/csv"
    outsider = liaison_for(MeasurementFactory().indicator.activity, username="outsider")
    with pytest.raises(NotAllowed):
        services.attach_evidence(
            actor=outsider, measurement=measurement, upload=SimpleUploadedFile("x.csv", CSV)
        )
