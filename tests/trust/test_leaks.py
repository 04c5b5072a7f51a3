"""The leak test: every page and endpoint, enumerated from the URL resolver (a route added later
is covered without editing this file), requested with every method as anonymous, as a viewer and
as a liaison officer of an organization that does not take part in the activity ("outsider").

Asserted for each request:
- the refusal: anonymous → 401 on the API, a redirect to the login page for pages (the admin's
  own login for the admin); viewer and outsider → 403 for every POST/PUT/PATCH/DELETE that the
  route accepts (405 only where the route does not accept the method at all, with an `Allow`
  header that does not list it), and no admin for them either;
- reads by viewer and outsider really read (200; 403 only for the GET of a write form, 405 for a
  POST-only route): otherwise the leak check below would check error pages only;
- nothing written: the tracker's tables, dumped before and after each role's requests, are equal;
- no private value in any response (body and headers but the requester's own cookies).

Private values, and why:
- every user's password hash: a hash can be attacked offline;
- the API token of any *other* user, and its digest: a token is a password for the API. The
  database keeps a digest and the token's first characters (its lookup key, which the owner's
  profile page shows); a leaked token would contain that key, so the key is what is searched for;
- the email address of any other user: personal data, not needed to attribute work (usernames
  are shown for attribution — accountability — and are not secret);
- every session key (other users' and the requester's own): a session key is a login; it belongs
  in an HttpOnly cookie only;
- SECRET_KEY (signs sessions, password reset links and CSRF tokens), and the database password
  when there is one;
- the text of a draft progress update, for anyone but managers and the liaison officers of the
  organizations taking part in its activity: a draft is work in progress of that staff.

Self-service routes (login, logout, password change and reset, the profile and its token
rotation) act on the requester's own account: their writes are not refused, so only the leak check
applies to them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from activities import permissions
from activities import services as activity_services
from activities.models import ActivityParticipation, ProgressUpdate
from monitoring import services as monitoring_services
from notifications import conversation, webhooks
from partnership.models import Profile
from publication import services as publication_services
from publication.rules import FIELD_GROUPS
from results import services as results_services
from tests.factories import (
    ActivityFactory,
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
    ProgressUpdateFactory,
    StatusOverrideFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    """Hundreds of requests from one anonymous client: this test is about what each answers
    (tests/api/test_docs_and_throttling.py is about throttling)."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", None)
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", None)


METHODS = ("get", "post", "put", "patch", "delete")
WRITES = ("post", "put", "patch", "delete")
# Acting on the requester's own account (see the module docstring).
SELF_SERVICE = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "profile",
    "profile-token-rotate",
    # One's own notifications: marking them read, choosing which to get.
    "notifications:mark-read",
    "notifications:settings",
    "api:notification-read",
    "api:notification-read-all",
}
# Reachable without signing in: the login and password reset pages, /healthz, and the API's
# schema and docs (public by design: they describe the API, they hold no data; the leak check
# still applies to them).
PUBLIC = SELF_SERVICE - {"password_change", "password_change_done", "profile"} | {
    "healthz",
    "favicon",  # a redirect to the static icon
    "api-schema",
    "api-docs",
}
# Reads for managers only (webhook subscriptions are theirs): 403 for everyone else.
MANAGERS_ONLY = {"api:webhook-list", "api:webhook-detail", "api:webhook-deliveries"}
# Reads for the staff of the activity's organizations and managers (its conversation): 403 for
# viewers and outsiders.
PARTICIPANTS_ONLY = {"api:activity-comments"}
# Writes open to every liaison officer, not only to an activity's own organizations: creating an
# activity (the officer's organization leads it). The outsider's empty POST is the form again,
# with its errors (200), and writes nothing.
OPEN_TO_OFFICERS = {"activities:new"}
# Routes that read nothing without their query parameters.
QUERIES = {
    "api:monitoring-summary": "?plan={plan}",
    "api:country-list": "?plan={plan}",
    "api:country-detail": "?plan={plan}",
    "api:region-detail": "?plan={plan}",
}
TRACKER_APPS = (
    "partnership",
    "activities",
    "monitoring",
    "geography",
    "exchange",
    "publication",
    "knox",
)
# The public portal and API (issue 18): no login, read only, for everyone.
PUBLIC_NAMESPACES = {"public", "public-api"}


@dataclass(frozen=True)
class Route:
    name: str  # as reversed: "namespace:name"
    path: str  # with every parameter filled
    kind: str  # "api", "admin" or "page"

    @property
    def short_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]


# --- The world the routes are filled with --------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    """Hundreds of anonymous requests in a second, each refused with 401, which counts against
    the anonymous throttle: this test is about refusals and leaks, not throttling."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", None)
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", None)


@pytest.fixture
def world():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    partnership = PartnershipFactory()
    partnership.organizations.set([interpol, unodc])
    plan = PlanFactory(partnership=partnership)
    matrix = MatrixFactory(plan=plan)
    activity = ActivityFactory(matrix=matrix, code="T-01")
    ParticipationFactory(
        activity=activity, organization=interpol, role=ActivityParticipation.Role.LEAD
    )
    people = {
        "viewer": make_user(Profile.Role.VIEWER, username="viewer"),
        "outsider": make_user(
            Profile.Role.LIAISON_OFFICER, organization=unodc, username="outsider"
        ),
        "insider": make_user(
            Profile.Role.LIAISON_OFFICER, organization=interpol, username="insider"
        ),
        "manager": make_user(Profile.Role.MANAGER, username="manager"),
    }
    for user in people.values():
        AuthToken.objects.create(user=user)
    milestone = MilestoneFactory(activity=activity)
    indicator = IndicatorFactory(activity=activity)
    measurement = MeasurementFactory(indicator=indicator)
    funding = FundingFactory(activity=activity)
    PriorityFactory(activity=activity, year=2016, rank=1)
    draft = ProgressUpdateFactory(
        activity=activity, author=people["insider"], narrative="Draft only insiders read."
    )
    submitted = ProgressUpdateFactory(
        activity=activity,
        author=people["insider"],
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    evidence = activity_services.attach_evidence(
        actor=people["insider"],
        update=submitted,
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
    )
    activity_services.set_reporting_calendar(
        actor=people["manager"], plan=plan, frequency="quarterly"
    )
    subscription = webhooks.create_subscription(
        actor=people["manager"], url="https://receiver.example.org/hook", event_types=["comment"]
    )
    comment = conversation.post_comment(
        actor=people["insider"], activity=activity, body="Only the activity's staff read this."
    )
    override = StatusOverrideFactory(activity=activity, set_by=people["manager"])
    run = monitoring_services.request_run(
        plan_id=plan.pk,
        as_of=dt.date(2016, 9, 30),
        trigger="manual",
        requested_by=people["manager"],
        enqueue=False,
    )
    monitoring_services.execute_run(run_id=run.pk)  # assessments and status history to read
    # A published snapshot, its activity public in every field, for the public portal and API.
    publication_services.set_disclosure(
        actor=None,
        activity_id=activity.pk,
        version=None,
        tier="public",
        field_tiers=dict.fromkeys(FIELD_GROUPS, "public"),
        public_summary="Public summary.",
    )
    snapshot = publication_services.publish_snapshot(
        actor=people["manager"], plan_id=plan.pk, as_of=dt.date(2016, 9, 30), note="Leak test."
    )
    # A results chain: the activity contributes to one output; the other (the one the routes
    # name) is empty, so that an unguarded delete or contribution would really write.
    objective = results_services.create_result(
        actor=None, plan=plan, level="objective", code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level="outcome", code="1.1", title="Outcome"
    )
    served, empty = (
        results_services.create_result(
            actor=None, plan=plan, parent=outcome, level="output", code=code, title=code
        )
        for code in ("1.1.1", "1.1.2")
    )
    contribution = results_services.add_contribution(
        actor=None, output=served, activity=activity, share=50
    )
    ids = {
        "outcome": outcome.pk,
        "result": empty.pk,
        "contribution": contribution.pk,
        "snapshot": snapshot.pk,
        "activity": activity.pk,
        "milestone": milestone.pk,
        "indicator": indicator.pk,
        "funding": funding.pk,
        "measurement": measurement.pk,
        "evidence": evidence.pk,
        "subscription": subscription.pk,
        "comment": comment.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "override": override.pk,
        "run": run.pk,
        "plan": plan.pk,
        "matrix": matrix.pk,
        "agreement": plan.agreement_id,
        "interpol": interpol.pk,
    }
    return people, ids


def _value_for(name: str, param: str, ids: dict) -> str:
    """The id of a real object for each path parameter. A route with a parameter not known here
    fails the test: extend the table when adding one."""
    by_param = {
        "activity_id": ids["activity"],
        "milestone_id": ids["milestone"],
        "indicator_id": ids["indicator"],
        "funding_id": ids["funding"],
        "measurement_id": ids["measurement"],
        "evidence_id": ids["evidence"],
        "comment_id": ids["comment"],
        "year": 2016,
        # The admin requires staff before it looks anything up.
        "object_id": ids["activity"],
        "id": ids["activity"],
        "content_type_id": 1,
        "app_label": "activities",
        "url": "no-such-page/",
        "uidb64": "MQ",
        "token": "set-password",
        "iso": "NG",
        "upload_id": 1,  # refused before it is looked up: only managers upload
        "snapshot_id": ids["snapshot"],
        "result_id": ids["result"],
        "contribution_id": ids["contribution"],
        "n": 1,
    }
    if param == "code":  # a country's page (ISO alpha-2) or a region's (UN M49)
        return "NG" if "country" in name else "011"
    if param == "update_id":
        readable = name.startswith("approv") or name.endswith("evidence")
        return str(ids["submitted"] if readable else ids["draft"])
    if param == "pk":
        by_name = {
            "monitoring:run-detail": ids["run"],
            "monitoring:run-progress": ids["run"],
            "api:monitoring-run-detail": ids["run"],
            "api:status-override-end": ids["override"],
            "api:milestone-detail": ids["milestone"],
            "api:indicator-detail": ids["indicator"],
            "api:indicator-measurements": ids["indicator"],
            "api:indicator-breakdown": ids["indicator"],
            "api:plan-reporting-calendar": ids["plan"],
            "api:plan-results": ids["plan"],
            "api:update-evidence": ids["submitted"],
            "api:measurement-evidence": ids["measurement"],
            "api:evidence-download": ids["evidence"],
            "api:webhook-detail": ids["subscription"],
            "conversation:thread": ids["activity"],
            "geography:places-edit": ids["activity"],
            "conversation:fragment": ids["activity"],
            "api:webhook-deliveries": ids["subscription"],
            # Someone's notification: one's own only (self-service), a 404 for anyone else's.
            "api:notification-read": ids["comment"],
            "api:comment-detail": ids["comment"],
            "notifications:webhook": ids["subscription"],
            "notifications:webhook-toggle": ids["subscription"],
            "results:plan": ids["plan"],
            "results:plan-csv": ids["plan"],
            "results:result-new": ids["plan"],
            "api:result-detail": ids["result"],
            "api:result-contributions": ids["result"],
            "api:contribution-detail": ids["contribution"],
            # The submitted update: its GET reads; a draft is 404 for viewer and outsider (its
            # text is a private value, below). The PATCH is refused before the state matters.
            "api:update-detail": ids["submitted"],
            "api:update-submit": ids["draft"],
            "api:update-approve": ids["submitted"],
            "api:update-return": ids["submitted"],
            "api:agreement-detail": ids["agreement"],
            "api:plan-detail": ids["plan"],
            "api:plan-matrix": ids["plan"],
            "partnership:agreement-detail": ids["agreement"],
            "agreement-detail": ids["agreement"],
            "partnership:plan-detail": ids["plan"],
            "plan-detail": ids["plan"],
            # The exchange: the plan's workbook (compressed XLSX: it holds no person's data), its
            # upload and the IATI file.
            "api:matrix-workbook": ids["plan"],
            "api:matrix-upload": ids["plan"],
            "exchange:matrix-download": ids["plan"],
            "exchange:matrix-upload": ids["plan"],
            "exchange:upload-review": ids["plan"],
            "exchange:upload-confirm": ids["plan"],
            "exchange:iati-export": ids["plan"],
            # A plan's reporting calendar: set by managers only (the page).
            "activities:reporting-calendar": ids["plan"],
        }
        if name in by_name:
            return str(by_name[name])
        if "activit" in name or name.startswith("activities:"):
            return str(ids["activity"])
        raise KeyError(f"No object for <pk> of route {name!r}: add it to the leak test.")
    if param not in by_param:
        raise KeyError(f"No value for <{param}> of route {name!r}: add it to the leak test.")
    return str(by_param[param])


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}".lstrip(":"), entry


def _fill(route: str, name: str, ids: dict) -> str:
    """Turn a route (`activities/<int:pk>/`) or a regex (`^(?P<app_label>a|b)/$`) into a path."""
    route = re.sub(r"(^|/)\^", r"\1", route).replace("$", "")

    def value(match: re.Match) -> str:
        return _value_for(name, match.group("param"), ids)

    route = re.sub(r"<(?:\w+:)?(?P<param>\w+)>", value, route)
    route = re.sub(r"\(\?P<(?P<param>\w+)>[^)]*\)", value, route)
    # Unnamed groups (simple_history's admin: object id, history id): ids of real rows.
    route = re.sub(r"\([^)]*\)", str(ids["activity"]), route)
    if "(" in route or "\\" in route:
        raise ValueError(f"Cannot fill the route {route!r} of {name!r}.")
    return "/" + route


def all_routes(ids: dict) -> list[Route]:
    routes = []
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        path = _fill(route, name, ids) + QUERIES.get(name, "").format(**ids)
        if path.startswith("/admin/"):
            kind = "admin"
        elif path.startswith("/api/"):
            kind = "api"
        else:
            kind = "page"
        routes.append(Route(name=name, path=path, kind=kind))
    return routes


# --- What must not leak ---------------------------------------------------------------------------


def private_values(requester) -> dict[str, str]:
    values = {"SECRET_KEY": settings.SECRET_KEY}
    if settings.DATABASES["default"].get("PASSWORD"):
        values["database password"] = settings.DATABASES["default"]["PASSWORD"]
    for user in get_user_model().objects.all():
        if user.password:
            values[f"password hash of {user.username}"] = user.password
        if (requester is None or user.pk != requester.pk) and user.email:
            values[f"email of {user.username}"] = user.email
    for token in AuthToken.objects.select_related("user"):
        if requester is None or token.user_id != requester.pk:
            values[f"API token key of {token.user.username}"] = token.token_key
            values[f"API token digest of {token.user.username}"] = token.digest
    for key in Session.objects.values_list("session_key", flat=True):
        values[f"session key {key[:6]}…"] = key
    # A draft is read by managers and the liaison officers of the activity's organizations only.
    for draft in ProgressUpdate.objects.filter(state=ProgressUpdate.State.DRAFT):
        if not permissions.can_edit_activity(requester, draft.activity):
            values[f"narrative of draft {draft.pk}"] = draft.narrative
    return values


def leaked(response, secrets: dict[str, str]) -> list[str]:
    # A download (an evidence file) streams: read it whole.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    headers = "\n".join(
        f"{name}: {value}" for name, value in response.items() if name.lower() != "set-cookie"
    )
    return [what for what, value in secrets.items() if value in text or value in headers]


def tracker_tables(requester) -> dict[str, str]:
    """Every row of the tracker's own tables (and users but their last login), as text. The
    requester's own API token is left out: rotating it is theirs to do (self-service)."""
    dump = {}
    for app_label in TRACKER_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in ("monitoring.StatusSnapshot", "monitoring.MatrixSnapshot"):
                # Caches of figures derived from the other tables, filled by reads (the
                # dashboard, the summary, the matrix page); the tables they derive from are
                # compared.
                continue
            rows = model.objects.order_by("pk")
            if app_label == "knox" and requester is not None:
                rows = rows.exclude(user=requester)
            dump[model._meta.label] = serializers.serialize("json", rows)
    dump["users"] = str(
        list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password"))
    )
    return dump


# --- The requests ---------------------------------------------------------------------------------


# Valid input for the writes, so that a refusal cannot come from a validation error (and an
# unguarded route would really write, which the table comparison would catch).
def write_bodies(ids: dict) -> dict[str, dict]:
    s = ids["submitted"]
    return {
        "activities:edit": {"version": 1, "title": "Changed"},
        "activities:milestone-add": {"title": "X", "due_date": "2016-10-01", "weight": 1},
        "activities:milestone-complete": {"version": 1},
        "activities:measurement-add": {"measured_on": "2016-10-01", "value": "1"},
        "activities:update-new": {
            "period_end": "2016-10-01",
            "percent_complete": 1,
            "narrative": "X",
            "action": "submit",
        },
        "activities:update-edit": {"version": 1, "narrative": "X"},
        "activities:update-submit": {"version": 1},
        "activities:approve": {f"a{s}-version": 1},
        "activities:return": {f"r{s}-version": 1, f"r{s}-note": "X"},
        "monitoring:run-request": {"plan": ids["plan"], "as_of": "2016-09-30"},
        "publication:disclosure-text": {"field": "public_summary", "value": "X", "version": 1},
        "api:activity-list": {
            "matrix": ids["matrix"],
            "code": "T-99",
            "title": "New",
            "thematic_area": "terrorism",
            "cooperation_type": "joint",
            "horizon": "current",
            "participations": [{"organization": "INTERPOL", "role": "lead"}],
        },
        "api:activity-detail": {"title": "Changed", "version": 1},
        "api:activity-milestones": {"title": "New", "due_date": "2016-10-01"},
        "api:milestone-detail": {"completed_on": "2016-06-01", "version": 1},
        "api:activity-indicators": {
            "name": "Trained",
            "unit": "officers",
            "baseline": "0",
            "baseline_date": "2016-01-01",
            "target": "10",
            "target_date": "2016-12-31",
            "direction": "increase",
        },
        "api:indicator-measurements": {"measured_on": "2016-05-01", "value": "3"},
        "api:activity-updates": {
            "period_end": "2016-06-30",
            "percent_complete": 50,
            "narrative": "Fine.",
        },
        "api:update-detail": {"percent_complete": 55, "version": 1},
        "api:update-return": {"note": "Add figures."},
        "api:monitoring-run-list": {"plan": ids["plan"], "as_of": "2016-06-30"},
        "results:result-new": {"level": "objective", "code": "9", "title": "X", "order": 0},
        "results:result-edit": {
            "version": 1,
            "level": "output",
            "parent": ids["outcome"],
            "code": "1.1.2",
            "title": "Changed",
            "order": 0,
        },
        "results:result-delete": {"version": 1},
        "results:contributions": {"code": "T-01", "share": "5"},
        "results:contribution-edit": {
            f"c{ids['contribution']}-version": 1,
            f"c{ids['contribution']}-share": "10",
        },
        "results:contribution-delete": {"version": 1},
        "api:plan-results": {"level": "objective", "code": "9", "title": "X"},
        "api:result-detail": {"title": "Changed", "version": 1},
        "api:result-contributions": {"activity": ids["activity"], "share": "5"},
        "api:contribution-detail": {"share": "10", "version": 1},
        "api:activity-comments": {"body": "A comment from someone not taking part."},
        "api:comment-detail": {"body": "Rewritten by someone else.", "version": 1},
        "api:activity-status-overrides": {
            "status": "suspended",
            "reason": "Paused",
            "set_on": "2016-05-01",
        },
    }


def request(client, route: Route, method: str, body: dict | None):
    if route.kind == "api":
        return getattr(client, method)(route.path, body, format="json")
    if method in ("get", "post"):
        return getattr(client, method)(route.path, body or {})
    return getattr(client, method)(route.path)


def refused_as_not_allowed(response, method: str) -> bool:
    """405, with an Allow header that really does not list the method."""
    allowed = {m.strip().lower() for m in response.get("Allow", "").split(",") if m.strip()}
    return response.status_code == 405 and bool(allowed) and method not in allowed


def client_for(people: dict, role: str) -> tuple[APIClient, object]:
    client = APIClient()
    user = people.get(role)
    if user is not None:
        client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", ["anonymous", "viewer", "outsider"])
def test_every_route_refuses_writes_and_leaks_nothing(world, role):
    people, ids = world
    routes = all_routes(ids)
    assert len(routes) > 70  # the pages, the API, the admin: the walk found them all
    bodies = write_bodies(ids)
    # Every other user is signed in somewhere: their session keys exist to be leaked.
    for other in people.values():
        APIClient().force_login(other)
    client, user = client_for(people, role)
    secrets = private_values(user)
    before = tracker_tables(user)
    problems: list[str] = []
    forbidden = 0

    for route in routes:
        if route.short_name == "logout":
            continue  # would end this client's session; its page shows nothing private
        for method in METHODS:
            response = request(client, route, method, bodies.get(route.name))
            status = response.status_code
            where = f"{role} {method.upper()} {route.path} ({route.name}) → {status}"
            if found := leaked(response, secrets):
                problems.append(f"{where}: leaks {', '.join(found)}")
            problems.extend(f"{where}: {why}" for why in judge(role, route, method, response))
            forbidden += status == 403

    assert not problems, "\n".join(problems)
    if role != "anonymous":
        # The activity, approval, run and override writes of the pages and the API (at least).
        assert forbidden >= 25
    assert tracker_tables(user) == before


def judge(role: str, route: Route, method: str, response) -> list[str]:
    """Why this answer is wrong for this role, route and method (empty: it is right)."""
    status = response.status_code
    location = response.get("Location", "")
    if route.kind == "admin":
        if route.short_name in ("login", "logout"):
            return []  # the admin's own sign-in page
        # Neither anonymous visitors nor viewers/liaison officers are staff: sent to sign in.
        if status == 302 and location.startswith(("/admin/login/", settings.LOGIN_URL)):
            return []
        return ["expected a redirect to a login page"]
    if route.short_name in PUBLIC:
        return []
    if route.name.partition(":")[0] in PUBLIC_NAMESPACES:
        # Reads answer for anyone; writes are refused as methods the route does not have.
        if method == "get":
            return [] if status in (200, 404) else ["expected a public read"]
        return [] if refused_as_not_allowed(response, method) else ["expected 405 for a write"]
    if role == "anonymous":
        if route.kind == "api":
            return [] if status == 401 else ["expected 401"]
        if status == 302 and location.startswith(settings.LOGIN_URL):
            return []
        return ["expected a redirect to the login page"]
    if route.short_name in SELF_SERVICE or route.name in SELF_SERVICE:
        return []
    if method == "get":
        if status == 200 or refused_as_not_allowed(response, method):
            return []
        if status == 403 and route.kind == "page":
            return []  # the form of a write this role may not make
        if status == 403 and route.name in MANAGERS_ONLY | PARTICIPANTS_ONLY:
            return []
        return ["expected a read (200) or 405"]
    if status == 403 or refused_as_not_allowed(response, method):
        return []
    if role == "outsider" and route.name in OPEN_TO_OFFICERS and status == 200:
        return []
    return ["expected 403 for a write"]


def test_the_leak_check_sees_a_secret_where_a_page_shows_one(world):
    """The check is not blind: the profile page shows the first characters of its owner's own API
    token (by design), and the check finds them when that token is counted as private."""
    people, _ = world
    client, user = client_for(people, "viewer")
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    own_token = AuthToken.objects.get(user=user).token_key
    assert leaked(response, {"own token": own_token}) == ["own token"]
    assert leaked(response, private_values(user)) == []
