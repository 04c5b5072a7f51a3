"""The load test's users: liaison officers signed in with their session (and CSRF token), mixing
the dashboard, the activity list, activity pages and progress-update submissions.

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


class LiaisonOfficer(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.username = next(ACCOUNTS)
        self.editable = TARGETS["officers"][self.username]
        self.all_activities = TARGETS["activities"]
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF_INPUT.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
                "next": "/activities/",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused for {self.username}: {response.status_code}")

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
