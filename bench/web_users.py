"""The users `bench/web.py` plays with Locust: staff, managers and HR in a realistic mix.

Every simulated user signs in through the real login form (CSRF token and all)
with one of the demo's logins, then opens pages; each request is named after the
page, so the statistics come out per page. Staff also answer a check-in: open it,
post the form with its CSRF token (the first answer completes it, later ones add
to its notes, as the page offers).
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("TANDEM_DEMO_PASSWORD", "tandem-demo")
TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CHECKIN = re.compile(r"/tandem/check-ins/(\d+)")
TEAM = re.compile(r"[?&]team=(\d+)")
RUN = re.compile(r"/mentoring/matching/run/(\d+)")


class Signed(HttpUser):
    """A user who signs in first, as ``username``."""

    abstract = True
    username = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        """Sign in through the form."""
        page = self.client.get("/login/", name="sign-in form").text
        token = TOKEN.search(page)
        data = {"username": self.username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        self.client.post("/login/", data=data, name="sign in")


class Staff(Signed):
    """Someone taking part: their mentoring, check-ins, inbox and timeline."""

    weight = 6
    username = "staff"

    @task(3)
    def my_mentoring(self) -> None:
        self.client.get("/tandem/mentoring/", name="staff: My mentoring")

    @task(3)
    def check_ins(self) -> None:
        self.client.get("/tandem/check-ins/", name="staff: check-ins")

    @task(2)
    def answering(self) -> None:
        """Open my newest check-in and send an answer (or, once answered, add to its notes)."""
        found = CHECKIN.findall(self.client.get("/tandem/check-ins/", name="staff: check-ins").text)
        if not found:
            return
        form = self.client.get(f"/tandem/check-ins/{found[0]}", name="staff: check-in form").text
        token = TOKEN.search(form)
        data = {"csrf_token": token.group(1) if token else "", "rating": "4", "shared_note": "We met."}
        if 'name="mode" value="details"' in form:
            data["mode"] = "details"
        with self.client.post(
            f"/tandem/check-ins/{found[0]}/answer", data=data, name="staff: answering", catch_response=True
        ) as response:
            # Every simulated staff member shares one login: another may answer between the form and the post.
            if response.status_code == 409:
                response.success()

    @task(2)
    def inbox(self) -> None:
        self.client.get("/tandem/inbox/", name="staff: inbox")

    @task(1)
    def timeline(self) -> None:
        self.client.get("/tandem/timeline/", name="staff: timeline")


class Manager(Signed):
    """A manager: the participation report of their subtree and a drill-down into one team."""

    weight = 2
    username = "manager"
    teams: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.teams = TEAM.findall(self.client.get("/mentoring/reports/", name="manager: report").text)

    @task(2)
    def report(self) -> None:
        self.client.get("/mentoring/reports/", name="manager: report")

    @task(1)
    def drill_down(self) -> None:
        if self.teams:
            self.client.get(f"/mentoring/reports/?team={random.choice(self.teams)}", name="manager: drill-down")


class HR(Signed):
    """HR: home, the programme dashboard, matching review, the Mail outbox and people search."""

    weight = 2
    username = "hr"
    runs: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.runs = RUN.findall(self.client.get("/mentoring/matching/", name="HR: matching").text)

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="HR: home")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/mentoring/reports/", name="HR: programme dashboard")

    @task(1)
    def matching_review(self) -> None:
        if self.runs:
            self.client.get(f"/mentoring/matching/run/{random.choice(self.runs)}", name="HR: matching review")
        else:
            self.client.get("/mentoring/matching/", name="HR: matching")

    @task(1)
    def mail_outbox(self) -> None:
        self.client.get("/tandem/mail-outbox/", name="HR: Mail outbox")

    @task(1)
    def people_search(self) -> None:
        name = random.choice(["Person 1", "Ana", "Lee", "Person 42"])
        self.client.get(f"/mentoring/people/list/?_flt_2_full_name={name}", name="HR: people search")
