"""The sensitivity tiers on the signed-in pages: a person who may not see a field group of an
activity gets none of its values — on the activity page, in the list, the search, the CSV and
XLSX exports, the evidence and change history pages — and reads a line in its place; a
restricted activity does not exist for those outside it. Participating officers and managers see
everything."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.support.sensitivity_world import PARTNERS_LINE, RESTRICTED_LINE, build_world, leaked

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _page(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def _text(response) -> str:
    return response.content.decode()


def _detail(activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def _exports(client, world) -> str:
    csv = client.get(reverse("monitoring:export-csv"), {"plan": world.plan.pk}).content.decode()
    xlsx = client.get(reverse("monitoring:export-xlsx"), {"plan": world.plan.pk}).content
    cells = [
        str(cell)
        for sheet in load_workbook(io.BytesIO(xlsx), read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    return csv + "\n".join(cells)


def test_a_restricted_activity_does_not_exist_for_a_partner_outside_it(client, world):
    restricted = world.of("restricted")
    for path in (
        _detail(world.restricted),
        reverse("activities:changes", args=[world.restricted.pk]),
    ):
        response = _page(client, world.outsider, path)
        assert response.status_code == 404, path
        assert leaked(_text(response), restricted) == []
    listing = _text(client.get(reverse("activities:list")))
    assert leaked(listing, restricted) == []
    assert "2 activities" in listing  # the partners and the mixed ones
    for marker in restricted:
        found = _text(client.get(reverse("activities:search"), {"q": marker}))
        assert "0 hits" in found, marker
    assert leaked(_exports(client, world), restricted) == []


def test_a_withheld_field_group_is_replaced_by_a_line(client, world):
    body = _text(_page(client, world.outsider, _detail(world.mixed)))
    assert leaked(body, world.of("mixed")) == []
    assert f"Description: {RESTRICTED_LINE}." in body
    assert f'<p class="withheld" id="withheld-indicators">{RESTRICTED_LINE}.</p>' in body
    assert f"Risks: {RESTRICTED_LINE}." in body
    # What is shared with the partners shows.
    assert "Open milestone of M-01" in body
    assert "Narrative of M-01 for the partners." in body
    assert 'id="withheld-milestones"' not in body
    # The change history names old and new values: not for someone who may not see them all.
    assert "it is shown to those who may see every part" in body
    assert _page(client, world.outsider, f"{_detail(world.mixed)}changes/").status_code == 404


def test_a_viewer_of_no_partner_organization_reads_the_outline_only(client, world):
    for activity in (world.partners, world.mixed):
        response = _page(client, world.stranger, _detail(activity))
        assert response.status_code == 200
        body = _text(response)
        assert activity.title in body
        assert leaked(body, [*world.of("partners"), *world.of("mixed")]) == []
        assert "Narrative of M-01" not in body
    body = _text(_page(client, world.stranger, _detail(world.partners)))
    for group in ("milestones", "funding", "progress"):
        assert f'<p class="withheld" id="withheld-{group}">{PARTNERS_LINE}.</p>' in body
    # Public milestones of a partners activity: no more open than the activity.
    assert "Open milestone of M-01" not in _text(client.get(_detail(world.mixed)))
    hidden = [*world.of("restricted"), *world.of("partners"), *world.of("mixed")]
    assert leaked(_text(client.get(reverse("activities:list"))), hidden) == []
    assert leaked(_exports(client, world), hidden) == []
    for marker in world.of("partners"):
        assert "0 hits" in _text(client.get(reverse("activities:search"), {"q": marker}))


@pytest.mark.parametrize("who", ["insider", "manager"])
def test_participating_officers_and_managers_see_everything(client, world, who):
    user = getattr(world, who)
    for owner, activity in (
        ("restricted", world.restricted),
        ("partners", world.partners),
        ("mixed", world.mixed),
    ):
        body = _text(_page(client, user, _detail(activity)))
        missing = [m for m in world.texts_of(owner) if m not in leaked(body, world.of(owner))]
        assert missing == [], (owner, missing)
        assert 'class="withheld"' not in body
    listing = _text(client.get(reverse("activities:list")))
    assert world.restricted.title in listing and "3 activities" in listing
    found = _text(client.get(reverse("activities:search"), {"q": "zqtierrestrictedmilestoneqz"}))
    assert "1 hit" in found
    assert "7111111.00" in _exports(client, world)  # the requirement


def test_evidence_follows_its_field_group(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities import services
    from tests.factories import ProgressUpdateFactory

    update = ProgressUpdateFactory(
        activity=world.restricted,
        author=world.insider,
        state="submitted",
        submitted_at=timezone.now(),
    )
    evidence = services.attach_evidence(
        actor=world.insider,
        update=update,
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
    )
    download = reverse("activities:evidence-download", args=[evidence.pk])
    page = reverse("activities:update-evidence", args=[world.restricted.pk, update.pk])
    for user, status in ((world.outsider, 404), (world.stranger, 404), (world.manager, 200)):
        client.force_login(user)
        assert client.get(download).status_code == status, user.username
        assert client.get(page).status_code == status, user.username


def test_the_lists_text_search_does_not_look_into_withheld_descriptions(client, world):
    params = {"search": "zqtiermixeddescriptionqz"}
    client.force_login(world.outsider)
    assert "0 activities match" in _text(client.get(reverse("activities:list"), params))
    export = client.get(reverse("monitoring:export-csv"), params).content.decode()
    assert "M-01" not in export
    client.force_login(world.insider)
    assert "1 activity matches" in _text(client.get(reverse("activities:list"), params))
    assert "M-01" in client.get(reverse("monitoring:export-csv"), params).content.decode()
