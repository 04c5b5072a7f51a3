"""The demo publishes: `load_demo` sets the demo's tiers and public texts and publishes its
snapshots (one withdrawn); running it again changes nothing; the portal shows the public
activities and none of the restricted ones."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from activities.models import Activity
from publication.demo import SETTINGS
from publication.models import Disclosure, Snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_its_snapshots_once_and_keeps_restricted_work_out(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Snapshot as of 2016-06-30 published" in out.getvalue()
    assert Disclosure.objects.count() == len(SETTINGS)
    live = Snapshot.objects.filter(withdrawn_at__isnull=True).order_by("as_of")
    assert [s.as_of.isoformat() for s in live] == ["2016-06-30", "2016-12-31"]
    assert Snapshot.objects.filter(withdrawn_at__isnull=False).count() == 1

    again = StringIO()
    call_command("publish_demo", stdout=again)
    assert "nothing changed" in again.getvalue()
    assert Snapshot.objects.count() == 3

    client = Client()
    mid_year = live[0]
    public = {code for code, s in SETTINGS.items() if s.tier == "public"}
    doc = mid_year.document
    assert {a["code"] for a in doc["activities"]} == public
    dark_net = next(a for a in doc["activities"] if a["code"] == "TOC-04")
    assert dark_net["fields"] == []  # public in outline: area, SDG targets, status
    assert dark_net["sdg_targets"]
    html = client.get(f"/public/snapshots/{mid_year.pk}/activities/?page=1").content.decode()
    for code in ("TOC-05", "TER-04", "CYB-04"):
        title = Activity.objects.get(code=code).title
        assert title not in html
        assert code not in html
    withdrawn = Snapshot.objects.get(withdrawn_at__isnull=False)
    assert client.get(f"/public/snapshots/{withdrawn.pk}/").status_code == 410
