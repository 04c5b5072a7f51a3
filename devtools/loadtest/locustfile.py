"""The load test's users: liaison officers signed in with their session (and CSRF token), mixing
the dashboard, the activity list, activity pages and progress-update submissions; and two
managers approving the submitted updates, so that re-assessments are in flight while the run
kills a worker.

Run by `make loadtest` (devtools/loadtest/run.sh), which prepares the targets file named by
LOADTEST_TARGETS: for each liaison officer of the demo, the activities they may report on and a
period end each update can use. Every response is checked: a page must answer 200, a submission
must redirect to the activity (a 200 there would be the form shown again with errors).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

TARGETS = json.loads(Path(os.environ["LOADTEST_TARGETS"]).read_text())
PASSWORD = os.environ["LOADTEST_PASSWORD"]
ACCOUNTS = itertools.cycle(sorted(TARGETS["officers"]))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPROVE_FORM = re.compile(r'action="/approvals/(\d+)/approve/"')
MANAGER = os.environ.get("LOADTEST_MANAGER", "manager")


def sign_in(user: HttpUser, username: str) -> None:
    page = user.client.get("/accounts/login/", name="login form")
    token = CSRF_INPUT.search(page.text).group(1)
    with user.client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/activities/",
        },
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="login",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login refused for {username}: {response.status_code}")


class LiaisonOfficer(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.username = next(ACCOUNTS)
        self.editable = TARGETS["officers"][self.username]
        self.all_activities = TARGETS["activities"]
        sign_in(self, self.username)

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")

    @task(3)
    def dashboard(self) -> None:
        self._page("/", "dashboard")

    @task(3)
    def activity_list(self) -> None:
        self._page("/activities/", "activity list")

    @task(3)
    def activity_detail(self) -> None:
        self._page(f"/activities/{random.choice(self.all_activities)}/", "activity detail")

    @task(1)
    def submit_progress_update(self) -> None:
        target = random.choice(self.editable)
        path = f"/activities/{target['id']}/updates/new/"
        form = self.client.get(path, name="progress update form")
        if form.status_code != 200:
            return  # counted as a failure by locust already (non-2xx)
        token = CSRF_INPUT.search(form.text).group(1)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": token,
                "period_end": target["period_end"],
                "percent_complete": random.randint(10, 90),
                "narrative": "Load test: work proceeds; figures to follow.",
                "risks": "",
                "action": "submit",
            },
            headers={"Referer": f"{self.host}{path}"},
            name="progress update submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expected = f"/activities/{target['id']}/"
            if response.status_code != 302 or not response.headers.get("Location", "").startswith(
                expected
            ):
                response.failure(f"submission not accepted: {response.status_code}")


class Manager(HttpUser):
    """Approves the oldest update waiting in the queue; a conflict with the other manager is a
    message on the queue page, not an error."""

    fixed_count = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        sign_in(self, MANAGER)

    @task
    def approve_next(self) -> None:
        queue = self.client.get("/approvals/", name="approval queue")
        found = APPROVE_FORM.search(queue.text) if queue.status_code == 200 else None
        if found is None:
            return
        update_id = found.group(1)
        version = re.search(rf'name="a{update_id}-version" value="(\d+)"', queue.text)
        with self.client.post(
            f"/approvals/{update_id}/approve/",
            data={
                "csrfmiddlewaretoken": CSRF_INPUT.search(queue.text).group(1),
                f"a{update_id}-version": version.group(1) if version else "",
                f"a{update_id}-note": "Load test: approved.",
            },
            headers={"Referer": f"{self.host}/approvals/"},
            name="approve",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"approval not accepted: {response.status_code}")
