"""The public portal in a real browser, signed out: every page renders the published snapshot, with
its "as published on" date, reads without JavaScript, shows no non-public value, and passes the
axe accessibility audit with no serious or critical violation. A manager publishes it first,
from the checklist, in the same browser.

axe-core is vendored for the tests only (tests/browser/vendor/fetch_axe.sh, `make vendor-axe`)
and injected by Playwright; the app never serves it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publication.models import Snapshot
from tests.browser.conftest import login
from tests.publication.world import AS_OF, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """Serious and critical violations of the WCAG 2 A/AA rules (and axe's best practices)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    )
    assert len(result["passes"]) > 10  # axe ran its rules on the page
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def world():
    return build_world()


def test_a_manager_publishes_from_the_checklist_and_a_visitor_reads_the_portal(
    browser, live_server, world, screenshot
):
    # The manager: the checklist lists the problems; they publish anyway, with a note.
    # bypass_csp: the page's Content-Security-Policy forbids the injected (inline) axe script;
    # the visitor's own context below keeps the policy.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    staff = context.new_page()
    login(staff, "pub-manager")
    staff.goto(f"/publication/?plan={world.plan.pk}")
    staff.get_by_role("button", name="Open the checklist").click()
    assert staff.locator("#problem-list tbody tr").count() == 2
    screenshot(staff, "publication-checklist")
    assert axe_violations(staff) == []
    # Each problem has its fix: the activity's publication settings, which return here.
    staff.locator("#problem-list a").first.click()
    assert staff.get_by_label("Public summary").is_visible()
    screenshot(staff, "publication-settings-form")
    assert axe_violations(staff) == []
    staff.go_back()
    staff.get_by_label("Note").fill("Summaries follow next week.")
    staff.get_by_role("button", name="Publish anyway").click()
    staff.wait_for_load_state("networkidle")
    assert "Published the snapshot as of 2016-06-30" in staff.content()
    screenshot(staff, "publication-overview")
    context.close()
    snapshot = Snapshot.objects.get()
    assert snapshot.as_of == AS_OF

    # The visitor: signed out, and with JavaScript off (the portal needs none).
    visitor_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    visitor = visitor_context.new_page()
    audited = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    auditor = audited.new_page()
    pages = {
        "public-index": "/public/",
        "public-overview": f"/public/snapshots/{snapshot.pk}/",
        "public-activities": f"/public/snapshots/{snapshot.pk}/activities/",
        "public-activity": f"/public/snapshots/{snapshot.pk}/activities/1/",
        "public-priorities": f"/public/snapshots/{snapshot.pk}/priorities/",
        "public-sdg": f"/public/snapshots/{snapshot.pk}/sdg/",
        "public-countries": f"/public/snapshots/{snapshot.pk}/countries/",
    }
    published = snapshot.published_at.date().isoformat()
    for name, url in pages.items():
        response = visitor.goto(url)
        assert response.status == 200, url
        assert "/accounts/login/" not in visitor.url
        text = visitor.content().lower()
        assert not [m for m in world.markers if m.lower() in text], url
        assert visitor.locator("#as-published time").first.get_attribute("datetime") == published
        screenshot(visitor, name)
        auditor.goto(url)
        violations = axe_violations(auditor)
        assert violations == [], (url, json.dumps(violations, indent=1))

    # What a visitor sees of the first activity: public fields only.
    visitor.goto(pages["public-activity"])
    assert visitor.get_by_role("heading", name="Foreign terrorist fighters").is_visible()
    assert visitor.get_by_role("heading", name="Milestones").is_visible()
    assert visitor.get_by_role("heading", name="Funding").count() == 0
    # Search with JavaScript off: a plain GET form.
    visitor.goto(pages["public-activities"])
    visitor.get_by_label("Search").fill("cultural")
    visitor.get_by_role("button", name="Show").click()
    assert "1 of 2 published activities match" in visitor.content()

    # Printable: the print stylesheet hides the navigation.
    visitor.emulate_media(media="print")
    visitor.goto(pages["public-priorities"])
    assert not visitor.locator("header.site-header").is_visible()
    screenshot(visitor, "public-priorities-print")
    visitor_context.close()
    audited.close()
