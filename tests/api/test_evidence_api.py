"""Evidence metadata and downloads over the API, with the record's own permission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from tests.activities.test_evidence import PDF, PNG
from tests.api.conftest import client_for
from tests.factories import MeasurementFactory, ProgressUpdateFactory

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(world):
    return ProgressUpdateFactory(activity=world.activity, author=world.liaison)


def test_the_metadata_and_the_file_for_those_who_may_read_the_draft(world, draft, as_liaison):
    evidence = services.attach_evidence(
        actor=world.liaison, update=draft, upload=SimpleUploadedFile("minutes.pdf", PDF)
    )
    response = as_liaison.get(f"{API}/updates/{draft.pk}/evidence/")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["name"], row["content_type"], row["size"], row["uploaded_by"]) == (
        "minutes.pdf",
        "application/pdf",
        len(PDF),
        "liaison",
    )
    assert row["download_url"].endswith(f"/api/v1/evidence/{evidence.pk}/download/")
    download = as_liaison.get(f"{API}/evidence/{evidence.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_outsider_gets_404_and_anonymous_401(world, draft, as_outsider, as_viewer):
    evidence = services.attach_evidence(
        actor=world.liaison, update=draft, upload=SimpleUploadedFile("a.png", PNG)
    )
    for client in (as_outsider, as_viewer):
        assert client.get(f"{API}/updates/{draft.pk}/evidence/").status_code == 404
        assert client.get(f"{API}/evidence/{evidence.pk}/download/").status_code == 404
    assert client_for().get(f"{API}/evidence/{evidence.pk}/download/").status_code == 401


@pytest.mark.parametrize("files", [1, 6])
def test_the_listing_costs_three_queries(world, as_viewer, files, django_assert_num_queries):
    measurement = MeasurementFactory(indicator__activity=world.activity)
    for n in range(files):
        services.attach_evidence(
            actor=world.liaison,
            measurement=measurement,
            upload=SimpleUploadedFile(f"{n}.png", PNG),
        )
    # the token with its user; the measurement; its files with who uploaded them
    with django_assert_num_queries(3):
        response = as_viewer.get(f"{API}/measurements/{measurement.pk}/evidence/")
    assert len(response.json()) == files
