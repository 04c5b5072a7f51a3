"""Long words, URLs and 10,000-character texts wrap on every page (issue 15): a 300-character
title used to widen the activity page to 4,370 px. Measured in Chromium, at a desktop and a
phone width, on the activity page, its change history and the activity list."""

import datetime as dt

import pytest

from activities import services
from tests.browser.conftest import SCREENSHOTS, login
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# One unbroken word of 300 characters: the longest title the model allows.
TITLE = "Counter" + "terrorism" * 32 + "x" * 5
URL = "https://www.unodc.org/unodc/en/frontpage/" + "very-long-path-segment-" * 12 + "end.html"
WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 20
DESCRIPTION = ((f"{URL} {WORD} " * 20) + "word " * 2000)[:10_000]

WIDTHS = [(1280, 900), (390, 844)]


def _overflow(page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.fixture
def long_activity():
    activity = ActivityFactory(
        code="P16-" + "9" * 20,
        title=TITLE,
        description=DESCRIPTION,
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
    )
    author = liaison_for(activity, username="liaison")
    MilestoneFactory(activity=activity, title=WORD[:300])
    IndicatorFactory(activity=activity, name=URL[:300], unit="u" * 60)
    ProgressUpdateFactory(activity=activity, author=author, narrative=DESCRIPTION, risks=WORD)
    manager = make_user(role="manager", username="manager")
    # Changes with long old and new values for the change history.
    fresh = services.update_activity(
        actor=manager,
        activity=activity,
        version=activity.version,
        changes={"title": TITLE[::-1], "description": DESCRIPTION[::-1]},
    )
    services.update_activity(
        actor=manager, activity=fresh, version=fresh.version, changes={"title": TITLE}
    )
    return activity


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["desktop", "phone"])
def test_long_texts_wrap_on_the_activity_pages(
    browser, live_server, long_activity, screenshot, width, height
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, "manager")
        pages = {
            "activity": f"/activities/{long_activity.pk}/",
            "changes": f"/activities/{long_activity.pk}/changes/",
            "list": "/activities/",
        }
        measured = {}
        for name, path in pages.items():
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert TITLE[:40] in page.content()
            measured[name] = _overflow(page)
            screenshot(page, f"long-texts-{name}-{width}")
            # The first screenful too: the full page of a 10,000-character text is very tall.
            page.screenshot(path=str(SCREENSHOTS / f"long-texts-{name}-{width}-top.png"))
        for name, (scroll_width, viewport_width) in measured.items():
            assert viewport_width <= width
            assert scroll_width <= viewport_width, (name, measured)
    finally:
        context.close()
