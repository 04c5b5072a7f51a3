"""Every form a page shows writes through a service (issue 16; DESIGN.md §2: "services for every
write").

The pages of a world with one of everything are read as a manager and as a liaison officer;
every `<form method="post">` on them is collected with the values it would send. Each form's
target must be listed in WRITES below (a new form on a page fails the test until it is), and is
then submitted, as the browser would, with those values and the few changes that make it a real
edit. While it runs, every row written or deleted (pre_save, pre_delete, m2m_changed) records the
code that wrote it: the nearest caller must be a `services` module (or Django's own sign-in and
password forms, axes' sign-in records: the framework's writes), not the view, and each form must
have written something. (Checked to fail: a view deleting a milestone itself is reported.)

tests/trust/test_write_paths.py checks the other side: that what the services write reaches the
next read.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from activities.models import ProgressUpdate
from partnership.models import Organization, Profile
from results import services as results_services
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    TopicFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


# --- reading the forms of a page ------------------------------------------------------------------


@dataclass
class Form:
    page: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url_name(self) -> str:
        return resolve(self.action.split("?")[0]).view_name


class FormParser(HTMLParser):
    """The POST forms of a page with the values a browser would send for them unchanged."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self.form = page, [], None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.form = Form(page=self.page, action=a.get("action") or self.page)
            self.forms.append(self.form)
        if self.form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.append((a["name"], a.get("value", "on")))
            elif kind == "submit":
                self.form.buttons.append((a["name"], a.get("value", "")))
            else:
                self.form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self.form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self.form.fields.append((self.select, a.get("value", "")))
                self.select_chosen = True
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.form.fields.append((self.select, self.select_first))  # the browser's choice
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.form.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_on(client: Client, page: str) -> list[Form]:
    response = client.get(page)
    assert response.status_code == 200, page
    parser = FormParser(page)
    parser.feed(response.content.decode())
    return parser.forms


# --- recording who writes -------------------------------------------------------------------------

# Writes Django itself makes for a request: the sign-in's last_login, the password change and
# reset forms, axes' records of sign-ins (sessions are not recorded at all).
FRAMEWORK = ("django.contrib.auth.models", "django.contrib.auth.forms", "axes.handlers")


def _writer() -> str:
    """Who wrote: the nearest caller on the stack that is a `services` module or the framework's
    own writer; '' when a view (or anything else of the request's handling) comes first, i.e. a
    view, form or template wrote without a service."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.endswith(".services") or module.startswith(FRAMEWORK):
            return module
        if ".views" in module or module.startswith("django.core.handlers"):
            return ""
        frame = frame.f_back
    return ""


@pytest.fixture
def writes():
    found: list[tuple[str, str]] = []

    def record(sender, **kwargs):
        if sender._meta.app_label in ("sessions",):
            return
        found.append((sender._meta.label, _writer()))

    for signal in (pre_save, pre_delete, m2m_changed):
        signal.connect(record, weak=False, dispatch_uid="test_form_writes")
    yield found
    for signal in (pre_save, pre_delete, m2m_changed):
        signal.disconnect(dispatch_uid="test_form_writes")


# --- the world, the pages, and what each form is sent with ----------------------------------------

TODAY = dt.date(2016, 8, 15)


@pytest.fixture
def world():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    OrganizationFactory(acronym="EU", kind=Organization.Kind.DONOR)
    TopicFactory(code="drugs")
    matrix = MatrixFactory()
    activity = ActivityFactory(matrix=matrix, code="W-01")
    ParticipationFactory(activity=activity, organization=interpol, role="lead")
    ParticipationFactory(activity=activity, organization=unodc, role="partner")
    PriorityFactory(activity=activity, rank=1)
    liaison = make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="lo")
    manager = make_user(Profile.Role.MANAGER, username="boss")
    milestone = MilestoneFactory(activity=activity, due_date=dt.date(2016, 6, 30))
    indicator = IndicatorFactory(activity=activity)
    funding = FundingFactory(activity=activity)
    # Enough of each for every form that takes one away (submit, delete; withdraw, approve,
    # return).
    draft, _ = (ProgressUpdateFactory(activity=activity, author=liaison) for _ in range(2))
    sent = [
        ProgressUpdateFactory(
            activity=activity, author=liaison, state="submitted", submitted_at=timezone.now()
        )
        for _ in range(3)
    ]
    AccessAttempt.objects.create(
        username="locked",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=10,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    # The results chain: W-01 serves output A; B is empty (an activity is added to it), C too
    # (it is deleted).
    plan = matrix.plan
    objective = results_services.create_result(
        actor=None, plan=plan, level="objective", code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level="outcome", code="1.1", title="Outcome"
    )
    output_a, output_b, output_c = (
        results_services.create_result(
            actor=None, plan=plan, parent=outcome, level="output", code=code, title=code
        )
        for code in ("1.1.1", "1.1.2", "1.1.3")
    )
    results_services.add_contribution(actor=None, output=output_a, activity=activity, share=50)
    a = activity.pk
    return {
        "activity": activity,
        "liaison": liaison,
        "manager": manager,
        "pages": [
            "/",
            "/dashboard/",
            "/activities/",
            f"/activities/{a}/",
            "/activities/new/",
            f"/activities/{a}/edit/",
            f"/activities/{a}/organizations/",
            f"/activities/{a}/links/",
            f"/activities/{a}/funding/new/",
            f"/activities/{a}/funding/{funding.pk}/edit/",
            f"/activities/{a}/milestones/new/",
            f"/activities/{a}/milestones/{milestone.pk}/edit/",
            f"/activities/{a}/indicators/{indicator.pk}/measurements/new/",
            f"/activities/{a}/updates/new/",
            f"/activities/{a}/updates/{draft.pk}/edit/",
            "/approvals/",
            "/priorities/2016/edit/",
            "/accounts/profile/",
            "/accounts/lockouts/",
            "/accounts/password_change/",
            f"/plans/{plan.pk}/results/",
            f"/plans/{plan.pk}/results/new/?level=output&parent={outcome.pk}",
            f"/results/{output_a.pk}/edit/",
            f"/results/{output_c.pk}/delete/",
            f"/results/{output_b.pk}/contributions/",
            f"/results/{output_a.pk}/contributions/",
        ],
        "sent": sent,
    }


# Each form's target → (who sends it, the changes that make it a real edit). Field names match by
# their ending, so a prefixed field (the approval queue's "a12-note") is found too.
WRITES: dict[str, tuple[str, dict[str, str]]] = {
    "activities:new": ("liaison", {"code": "W-09", "title": "Created in the test"}),
    "activities:edit": ("liaison", {"title": "Edited in the test"}),
    "activities:participations-edit": ("liaison", {"p-1-role": "supporting"}),
    "activities:links-edit": ("liaison", {"topics": "__first_topic__"}),
    "activities:funding-add": (
        "liaison",
        {"donor": "__donor__", "amount": "1234", "date": "2016-04-01"},
    ),
    "activities:funding-edit": ("liaison", {"amount": "4321"}),
    "activities:funding-delete": ("liaison", {}),
    "activities:milestone-add": ("liaison", {"title": "Added", "due_date": "2016-09-01"}),
    "activities:milestone-edit": ("liaison", {"title": "Renamed"}),
    "activities:milestone-delete": ("liaison", {}),
    "activities:milestone-complete": ("liaison", {}),
    "activities:measurement-add": ("liaison", {"measured_on": "2016-07-01", "value": "5"}),
    "activities:update-new": (
        "liaison",
        {"period_end": "2016-07-31", "percent_complete": "40", "narrative": "New"},
    ),
    "activities:update-edit": ("liaison", {"narrative": "Edited draft"}),
    "activities:update-submit": ("liaison", {}),
    "activities:update-delete": ("liaison", {}),
    "activities:update-withdraw": ("liaison", {}),
    "activities:approve": ("manager", {}),
    "activities:return": ("manager", {"note": "Add figures."}),
    "activities:priorities-edit": ("manager", {"r-0-rank": "2"}),
    "monitoring:run-request": ("manager", {"as_of": "2016-06-30"}),
    "results:result-new": ("manager", {"code": "1.1.9", "title": "Added in the test"}),
    "results:result-edit": ("manager", {"title": "Renamed in the test"}),
    "results:result-delete": ("manager", {}),
    "results:contributions": ("manager", {"code": "W-01", "share": "10"}),
    "results:contribution-edit": ("manager", {"share": "20"}),
    "results:contribution-delete": ("manager", {}),
    "profile-token-rotate": ("manager", {}),
    "lockout-unlock": ("manager", {}),
    "password_change": (
        "manager",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-long-secret-42",
            "new_password2": "a-new-long-secret-42",
        },
    ),
}


MANAGERS_PAGES = ("/approvals/", "/priorities/2016/edit/", "/accounts/lockouts/")


def _managers_page(page: str) -> bool:
    """Also the pages that edit a plan's results chain (the chain itself is everyone's)."""
    return page in MANAGERS_PAGES or page.startswith("/results/") or "/results/new/" in page


# Signing out writes nothing but the session (not recorded): Django's own LogoutView.
SESSION_ONLY = {"logout"}


def _collect(world) -> dict[str, Form]:
    """One form per target, from the pages as the user WRITES names for it sees them."""
    found: dict[str, Form] = {}
    for who in ("liaison", "manager"):
        client = Client()
        client.force_login(world[who])
        for page in world["pages"]:
            if _managers_page(page) and who == "liaison":
                continue  # managers' pages
            for form in forms_on(client, page):
                name = form.url_name
                wanted_by = WRITES.get(name, (who, {}))[0]
                if name not in found and wanted_by == who:
                    found[name] = form
                elif name not in WRITES:
                    found.setdefault(name, form)
    return found


def _fresh(client: Client, form: Form) -> Form:
    """The form as its page shows it now (the forms sent before moved versions on)."""
    return next(f for f in forms_on(client, form.page) if f.url_name == form.url_name)


def test_every_form_on_the_pages_is_listed_and_writes_through_a_service(world, writes):
    from activities.models import Topic

    forms = _collect(world)
    assert sorted(set(forms) - set(WRITES) - SESSION_ONLY) == [], "a form not listed in WRITES"
    assert sorted(set(WRITES) - set(forms)) == [], "listed, but on none of the pages"

    problems = []
    for name, (who, changes) in WRITES.items():
        client = Client()
        client.force_login(world[who])
        form = _fresh(client, forms[name])
        data: dict[str, list[str]] = {}
        for key, value in form.fields:
            data.setdefault(key, []).append(value)
        for suffix, value in changes.items():
            if value == "__first_topic__":
                value = str(Topic.objects.earliest("id").pk)
            elif value == "__donor__":
                value = str(Organization.objects.get(acronym="EU").pk)
            keys = [key for key in data if key == suffix or key.endswith(f"-{suffix}")]
            for key in keys or [suffix]:
                data[key] = [value]
        if form.buttons:
            key, value = form.buttons[-1]  # "Submit for approval" where there are two buttons
            data[key] = [value]
        writes.clear()
        response = client.post(form.action, data)
        if response.status_code not in (200, 302):
            problems.append(f"{name}: answered {response.status_code}")
            continue
        if response.status_code == 200 and name != "profile-token-rotate":
            problems.append(f"{name}: the form came back (invalid input?) from {form.page}")
            continue
        outside = sorted({label for label, writer in writes if not writer})
        if outside:
            problems.append(f"{name}: wrote {outside} outside any service")
        if not writes:
            problems.append(f"{name}: wrote nothing")
    assert problems == [], "\n".join(problems)
    assert ProgressUpdate.objects.filter(state="approved").count() == 1
