"""The engine under real faults, as an operator meets them (for ``test_faults.py`` and ``bench/faults.py``).

A seconds-scale onboarding (an introduction, three check-ins ``EVERY`` seconds
apart, each with a reminder and an escalation to the manager, a wrap-up) runs
for a population of hires on a private PostgreSQL, RabbitMQ and aiosmtpd,
with two ``tandem scheduler`` and three ``tandem worker`` processes. Hires
answer by following the one-click link in their prompt e-mail (through the
web app, so a database restart meets a web request), the designated check-ins
only, while these faults come one after another: ``kill -9`` of a worker,
RabbitMQ stopped and started, ``kill -9`` of a scheduler, ``pg_ctl restart -m
fast``, the SMTP server down. No pytest here (the benchmark runs without it).

Every number a run should end with is known beforehand (:func:`expected`),
and :func:`measure` reads what happened from the database, the SMTP
server and the PostgreSQL log.
"""

from __future__ import annotations

import email
import email.policy
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from flask import Flask
from processes import Processes, wait_until
from servers import PostgresServer, RabbitServer, free_port
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import close_all_sessions

from tandem.plugin.app import create_app
from tandem.plugin.bootstrap import initialise
from tandem.plugin.models import (
    CheckIn,
    Incident,
    InstanceHistory,
    Notification,
    NotificationPreference,
    Person,
    Timer,
    WorkflowDefinition,
    WorkflowInstance,
)
from tandem.workflows.clock import SystemClock
from tandem.workflows.runtime import WorkflowRunner
from tandem.workflows.store import save_definition

EVERY, REMIND, ESCALATE, TIMES = 30, 12, 20, 3
RUN_SECONDS = EVERY * (TIMES + 1)
SECRET = "fault-scenario-secret-key-of-sufficient-length"
ANSWER_LINK = re.compile(r"(/tandem/answer/[A-Za-z0-9_.\-]+)")
PROMPT_KEY = re.compile(r"^wf:(?P<instance>\d+):v\d+\.prompt\.(?P<sequence>\d+)\.")
TEMPLATES = {
    "onboarding/introduction": "introductions",
    "checkin/prompt": "prompts",
    "checkin/reminder": "reminders",
    "checkin/escalation": "escalations",
    "onboarding/wrap-up": "wrap-ups",
}
#: Beyond an outage, a timer may be this much later: a few scheduler intervals, a retry's backoff, the work itself.
SLACK_SECONDS = 6.0


def definition(zone_hours: tuple[str, str] = ("00:00", "23:59")) -> str:
    """The seconds-scale onboarding (working hours all day, so nothing waits for a morning)."""
    return f"""
workflow: onboarding-under-faults
trigger: employee.hired
subject: newcomer
working_hours: {{start: "{zone_hours[0]}", end: "{zone_hours[1]}"}}
steps:
  - notify: {{to: [newcomer], template: onboarding/introduction}}
  - check_in:
      between: [newcomer]
      every: {EVERY} seconds
      times: {TIMES}
      remind_after: {REMIND} seconds
      escalate_to: manager
      escalate_after: {ESCALATE} seconds
  - notify: {{to: [newcomer], template: onboarding/wrap-up}}
"""


def answers(hire: int, sequence: int) -> bool:
    """Whether hire number ``hire`` answers check-in ``sequence`` (about two in three do)."""
    return (hire + sequence) % 3 != 0


def expected(hire: int) -> dict[str, int]:
    """What one run must end with, from the answering plan alone."""
    answered = [answers(hire, s) for s in range(1, TIMES + 1)]
    unanswered = answered.count(False)
    # Missed check-ins before the last reach the running run as events; the last one's comes after it completed.
    missed_events = answered[:-1].count(False)
    return {
        "check-ins": TIMES,
        "answered": TIMES - unanswered,
        "introductions": 1,
        "prompts": TIMES,
        "reminders": unanswered,
        "escalations": unanswered,
        "wrap-ups": 1,
        # start, the prompts and the end, each unanswered check-in's reminder and escalation, every answer's
        # event, and the missed events that reach the run
        "history lines": 1 + TIMES + 1 + 2 * unanswered + (TIMES - unanswered) + missed_events,
    }


def working_zone(now: datetime) -> str:
    """A time zone where ``now`` is a weekday, well inside the day, so prompts are never held for a morning."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"):
        local = now.astimezone(ZoneInfo(name))
        if local.weekday() < 5 and 0 <= local.hour < 23:
            return name
    raise RuntimeError("no time zone found where it is a weekday now")


class Mailbox:
    """A real SMTP server (aiosmtpd) that can go down and come back on the same port; keeps what it received."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        """The SMTP URL of the server."""
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, parsed."""
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def start(self) -> None:
        """Listen (again)."""
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Go down: connections are refused until :meth:`start`."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self) -> list[EmailMessage]:
        """Everything received so far."""
        with self.lock:
            return list(self.messages)


@dataclass
class Outage:
    """One fault: what, and from when to when (seconds since the scenario started)."""

    name: str
    start: float
    end: float


@dataclass
class Answerer:
    """Hires following the first rating link of their prompt e-mails, through the web app, as planned."""

    app: Flask
    mailbox: Mailbox
    hire_of: dict[int, int]
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Answer until stopped, several hires at once; a 503 is tried again (as the page asks)."""
        pending: dict[str, tuple[int, str]] = {}
        seen = 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            while not self.stop.is_set():
                messages = self.mailbox.received()
                for message in messages[seen:]:
                    self._consider(message, pending)
                seen = len(messages)
                statuses = pool.map(self._follow, [link for _, link in pending.values()])
                for notification_id, status in zip(list(pending), statuses, strict=True):
                    self.statuses[status] += 1
                    if status != 503:
                        pending.pop(notification_id)
                        self.done.add(notification_id)
                self.stop.wait(0.2)

    def _follow(self, link: str) -> int:
        """Follow one link as its hire's browser would; an unhandled error counts as the 500 it would be."""
        try:
            return self.app.test_client().get(link).status_code
        except Exception as error:
            self.errors.append(f"{type(error).__name__}: {error}")
            return 500

    def _consider(self, message: EmailMessage, pending: dict[str, tuple[int, str]]) -> None:
        notification_id = message["X-Tandem-Notification"]
        if notification_id in self.done or notification_id in pending:
            return
        key = self._key(int(notification_id))
        match = PROMPT_KEY.match(key or "")
        if match is None:
            return
        hire = self.hire_of[int(match["instance"])]
        if not answers(hire, int(match["sequence"])):
            return
        body = message.get_body(("plain",))
        link = ANSWER_LINK.search(body.get_content() if body else "")
        if link:
            pending[notification_id] = (hire, link.group(1))

    def _key(self, notification_id: int) -> str | None:
        for _ in range(50):  # the database may be restarting just now
            try:
                with self.app.app_context():
                    session = self.app.appbuilder.session
                    try:
                        return session.scalar(
                            select(Notification.idempotency_key).where(Notification.id == notification_id)
                        )
                    finally:
                        session.remove()
            except Exception:
                time.sleep(0.5)
        return None


@dataclass
class Result:
    """What a scenario measured."""

    hires: int
    expected: dict[str, int]
    seen: dict[str, int]
    per_run_mismatches: list[str]
    answered_got_followups: int
    lateness: dict[str, list[float]]
    late_beyond_bound: list[str]
    deadlocks: int
    web_statuses: dict[int, int]
    web_errors: list[str]
    duplicate_emails: int
    run_seconds: list[float]
    outages: list[Outage]
    incidents: int
    deadlock_log: str = ""
    lost: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)

    def table(self) -> str:
        """The issue's table, re-measured."""
        rows = [
            ("escalations", self.expected["escalations"], self.seen["escalations"]),
            ("reminders", self.expected["reminders"], self.seen["reminders"]),
            ("reminders/escalations for check-ins already answered", 0, self.answered_got_followups),
            ("timers later than outage + slack", 0, len(self.late_beyond_bound)),
            ("answers that never reached their run's history", 0, self.seen["answers missing from history"]),
            ("deadlocks in the PostgreSQL log", 0, self.deadlocks),
            ("web answers that got a 500", 0, self.web_statuses.get(500, 0)),
            ("prompt e-mails delivered after their check-in had closed", 0, self.seen["stale prompts sent"]),
        ]
        lines = [f"| {what} | {want} | {got} |" for what, want, got in rows]
        median = statistics.median(self.run_seconds) if self.run_seconds else 0
        worst = max(self.run_seconds, default=0)
        lines.append(
            f"| run length (definition: {RUN_SECONDS} s) | ~{RUN_SECONDS} s"
            f" | median {median:.0f} s, max {worst:.0f} s |"
        )
        return "\n".join(["| what | expected | seen |", "|---|---|---|", *lines])

    def lateness_lines(self) -> list[str]:
        """Lateness p50/p99/max of the timers due during each fault (and outside any)."""
        lines = []
        for name, values in self.lateness.items():
            if values:
                ordered = sorted(values)
                p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
                lines.append(
                    f"{name:<22} timers {len(values):>6}  p50 {statistics.median(ordered):6.2f} s"
                    f"  p99 {p99:6.2f} s  max {ordered[-1]:6.2f} s"
                )
        return lines


class Scenario:
    """Servers, processes, population and faults of one run of the scenario."""

    def __init__(self, postgres: PostgresServer, rabbit: RabbitServer, workdir: Path, hires: int) -> None:
        self.postgres, self.rabbit, self.workdir, self.hires = postgres, rabbit, workdir, hires
        self.mailbox = Mailbox()
        self.url = postgres.create_database(f"tandem_faults_{uuid.uuid4().hex[:10]}")
        self.processes = Processes(
            {
                "TANDEM_DATABASE_URL": self.url,
                "TANDEM_BROKER_URL": rabbit.url,
                "TANDEM_DATA_DIR": str(workdir / "var"),
                "TANDEM_SECRET_KEY": SECRET,
                "TANDEM_SMTP_URL": self.mailbox.url,
                "TANDEM_SCHEDULER_INTERVAL": "0.5",
                "TANDEM_TIMER_LEASE_SECONDS": "5",
            },
            workdir,
        )
        self.outages: list[Outage] = []
        self.started = 0.0
        self.log_start = 0
        self.app: Flask | None = None

    def now(self) -> float:
        """Seconds since the hires were posted."""
        return time.monotonic() - self.started

    # ---- setting up ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Migrate, load the definition, and add the hires with their managers (nothing runs yet)."""
        self.log_start = len(self.postgres.log())  # the server may be shared: only this run's lines count
        self.mailbox.start()
        self.processes.run("init")
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.url, "SECRET_KEY": SECRET, "TESTING": True})
        with self.app.app_context():
            initialise(self.app)
            session = self.app.appbuilder.session
            session.execute(update(WorkflowDefinition).values(active=False))
            save_definition(session, definition())
            zone = working_zone(datetime.now(UTC))
            managers = max(1, self.hires // 6)
            session.execute(
                insert(Person),
                [
                    {
                        "employee_id": f"M{m}",
                        "full_name": f"Manager {m}",
                        "email": f"m{m}@example.org",
                        "timezone": zone,
                    }
                    for m in range(managers)
                ],
            )
            boss = dict(session.execute(select(Person.employee_id, Person.id)).all())
            session.execute(
                insert(Person),
                [
                    {
                        "employee_id": f"H{h}",
                        "full_name": f"Hire {h}",
                        "email": f"h{h}@example.org",
                        "timezone": zone,
                        "manager_id": boss[f"M{h % managers}"],
                    }
                    for h in range(self.hires)
                ],
            )
            people = session.scalars(select(Person.id)).all()
            session.execute(insert(NotificationPreference), [{"person_id": p, "daily_budget": 1000} for p in people])
            session.commit()
            session.remove()

    def start_processes(self) -> None:
        """Two schedulers and three workers, as separate processes."""
        for number in (1, 2):
            self.processes.start(f"scheduler-{number}", "scheduler")
        for number in (1, 2, 3):
            self.processes.start(f"worker-{number}", "worker", "--threads", "2")

    def post_hires(self) -> None:
        """Start every hire's onboarding at once, in one transaction (as a bulk import's events would)."""
        assert self.app is not None
        with self.app.app_context():
            session = self.app.appbuilder.session
            row = session.scalars(select(WorkflowDefinition).where(WorkflowDefinition.active.is_(True))).one()
            engine = WorkflowRunner(session, SystemClock())
            for person in session.scalars(select(Person).where(Person.employee_id.like("H%")).order_by(Person.id)):
                engine.start(row, person)
            session.commit()
            session.remove()
        self.started = time.monotonic()

    # ---- faults ----------------------------------------------------------------------------------

    def at(self, second: float) -> None:
        """Wait until ``second`` seconds into the scenario."""
        time.sleep(max(0.0, second - self.now()))

    def fault(self, name: str, down: Any, up: Any = None, hold: float = 0.0) -> None:
        """Run ``down``, wait ``hold`` seconds, run ``up``; record the outage."""
        start = self.now()
        down()
        if hold:
            time.sleep(hold)
        if up is not None:
            up()
        self.outages.append(Outage(name, start, self.now()))

    def faults(self, broker_hold: float = 1.0, smtp_hold: float = 5.0) -> None:
        """The faults, one after another, each timed against the check-in it should meet.

        Check-in 1's prompts are being run and sent when a worker is killed;
        RabbitMQ goes away after its escalations went out (it takes some 15-20 s
        to come back, so check-in 2 opens late, by the outage); a scheduler is
        killed as the broker returns; check-in 2's answers meet the PostgreSQL
        restart; its escalations meet the SMTP outage.
        """
        p = self.processes
        first = self.opened(1)
        self.at(first + 0.5)
        self.fault(
            "worker kill -9", lambda: p.kill("worker-1"), lambda: p.start("worker-1b", "worker", "--threads", "2")
        )
        self.at(first + ESCALATE + 2)
        self.fault("RabbitMQ down", self.rabbit.stop, self.rabbit.start, broker_hold)
        self.fault("scheduler kill -9", lambda: p.kill("scheduler-1"), lambda: p.start("scheduler-1b", "scheduler"))
        second = self.opened(2)
        self.at(second + 1)
        self.fault("PostgreSQL restart", self.postgres.restart)
        self.at(second + ESCALATE + 0.5)
        self.fault("SMTP down", self.mailbox.stop, self.mailbox.start, smtp_hold)

    def opened(self, sequence: int, timeout: float = 120) -> float:
        """When every run's check-in ``sequence`` was open (seconds into the scenario)."""
        wait_until(
            lambda: (
                (self._count(select(func.count(CheckIn.id)).where(CheckIn.sequence == sequence)) or 0) >= self.hires
            ),
            timeout,
            f"check-in {sequence} to open in every run",
        )
        return self.now()

    # ---- running ---------------------------------------------------------------------------------

    def run(self, settle_timeout: float = 240) -> Result:
        """Prepare, run the faults while hires answer, wait for everything to settle, measure."""
        self.prepare()
        self.start_processes()
        ready = {"scheduler-1": "scheduler:", "scheduler-2": "scheduler:", "worker-1": "worker:", "worker-2": "worker:"}
        ready["worker-3"] = "worker:"
        wait_until(
            lambda: all(line in self.processes.log(name) for name, line in ready.items()), 120, "the processes to start"
        )
        assert self.app is not None
        self.post_hires()
        answerer = Answerer(self.app, self.mailbox, {})
        answerer.hire_of = self._hire_of()
        thread = threading.Thread(target=answerer.run, name="answerer", daemon=True)
        thread.start()
        try:
            self.faults()
            wait_until(self._settled, settle_timeout, "every run to complete and every e-mail to be sent")
        finally:
            answerer.stop.set()
            thread.join(timeout=10)
            self.processes.stop_all()
        try:
            return self.measure(answerer)
        finally:
            self.close()

    def close(self) -> None:
        """Give back every connection the scenario's app holds (some died with the PostgreSQL restart)."""
        assert self.app is not None
        with self.app.app_context():
            close_all_sessions()
            self.app.extensions["sqlalchemy"].engine.dispose()

    def _count(self, statement: Any) -> Any:
        assert self.app is not None
        try:
            with self.app.app_context():
                session = self.app.appbuilder.session
                try:
                    return session.scalar(statement)
                finally:
                    session.remove()
        except Exception:
            return None

    def _hire_of(self) -> dict[int, int]:
        assert self.app is not None
        with self.app.app_context():
            session = self.app.appbuilder.session
            rows = session.execute(
                select(WorkflowInstance.id, Person.employee_id).join(Person, Person.id == WorkflowInstance.subject_id)
            ).all()
            session.remove()
        return {instance: int(employee[1:]) for instance, employee in rows}

    def _settled(self) -> bool:
        running = self._count(select(func.count(WorkflowInstance.id)).where(WorkflowInstance.status != "completed"))
        queued = self._count(select(func.count(Notification.id)).where(Notification.status == "queued"))
        timers = self._count(select(func.count(Timer.id)).where(Timer.status.in_(("pending", "claimed"))))
        return running == 0 and queued == 0 and timers == 0

    # ---- measuring -------------------------------------------------------------------------------

    def _story(self, instance: int, base: datetime) -> str:
        """One run's history, check-ins and notifications, seconds into the scenario (to tell what went wrong)."""
        assert self.app is not None

        def at(moment: datetime | None) -> str:
            return "-" if moment is None else f"{(_aware(moment) - base).total_seconds():.1f}"

        with self.app.app_context():
            session = self.app.appbuilder.session
            lines = [
                f"    {at(h.at)} {h.signal} {[e.get('text') or e.get('key') for e in h.effects]}"
                for h in session.scalars(
                    select(InstanceHistory).where(InstanceHistory.instance_id == instance).order_by(InstanceHistory.id)
                )
            ]
            lines += [
                f"    check-in {c.sequence} {c.status} completed {at(c.completed_at)}"
                for c in session.scalars(select(CheckIn).where(CheckIn.instance_id == instance))
            ]
            lines += [
                f"    {n.template} {n.status} created {at(n.created_at)} sent {at(n.sent_at)} {n.error[:80]}"
                for n in session.scalars(
                    select(Notification).where(Notification.idempotency_key.like(f"wf:{instance}:%"))
                )
            ]
            session.remove()
        return "\n".join(lines)

    def measure(self, answerer: Answerer) -> Result:
        """Compare every run with its expected numbers; lateness per fault; the logs."""
        assert self.app is not None
        base = datetime.now(UTC) - timedelta(seconds=self.now())
        with self.app.app_context():
            session = self.app.appbuilder.session
            hire_of = self._hire_of()
            began = dict(
                session.execute(
                    select(InstanceHistory.instance_id, func.min(InstanceHistory.at)).group_by(
                        InstanceHistory.instance_id
                    )
                ).all()
            )
            ended = dict(
                session.execute(
                    select(InstanceHistory.instance_id, func.min(InstanceHistory.at))
                    .where(InstanceHistory.status == "completed")
                    .group_by(InstanceHistory.instance_id)
                ).all()
            )
            notifications = {
                n.id: n for n in session.scalars(select(Notification).where(Notification.idempotency_key.like("wf:%")))
            }
            checkins = session.execute(
                select(CheckIn.instance_id, CheckIn.sequence, CheckIn.status, CheckIn.idempotency_key)
            ).all()
            history = dict(
                session.execute(
                    select(InstanceHistory.instance_id, func.count(InstanceHistory.id)).group_by(
                        InstanceHistory.instance_id
                    )
                ).all()
            )
            answer_lines = Counter(
                session.scalars(
                    select(InstanceHistory.instance_id).where(InstanceHistory.signal == "event checkin.completed")
                )
            )
            timers = session.execute(
                select(Timer.key, Timer.due_at, Timer.done_at).where(
                    Timer.status == "done", Timer.instance_id.is_not(None)
                )
            ).all()
            incidents = session.scalar(select(func.count(Incident.id)))
            session.remove()
        sent = Counter()
        duplicates = 0
        seen_ids: set[int] = set()
        for message in self.mailbox.received():
            notification_id = int(message["X-Tandem-Notification"])
            if notification_id in seen_ids:
                duplicates += 1
                continue
            seen_ids.add(notification_id)
            notification = notifications.get(notification_id)
            if notification is not None:
                sent[(_instance_of(notification.idempotency_key), TEMPLATES.get(notification.template, "other"))] += 1
        status_of = {(i, s): status for i, s, status, _ in checkins}
        per_run: dict[int, Counter[str]] = {instance: Counter() for instance in hire_of}
        for (instance, what), n in sent.items():
            per_run.setdefault(instance, Counter())[what] += n
        followups_after_answer = 0
        for notification in notifications.values():
            instance = _instance_of(notification.idempotency_key)
            answered = status_of.get((instance, _sequence_of(notification.idempotency_key))) == "completed"
            if notification.template in ("checkin/reminder", "checkin/escalation") and answered:
                followups_after_answer += 1  # written at all, sent or not
        for instance, _sequence, status, _ in checkins:
            per_run[instance]["check-ins"] += 1
            per_run[instance]["answered"] += status == "completed"
        mismatches = []
        totals_expected: Counter[str] = Counter()
        totals_seen: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        extra: Counter[str] = Counter()
        for instance, hire in sorted(hire_of.items()):
            want = expected(hire)
            got = per_run[instance]
            got["history lines"] = history.get(instance, 0)
            totals_expected.update(want)
            totals_seen.update({k: got.get(k, 0) for k in want})
            wrong = {k: (v, got.get(k, 0)) for k, v in want.items() if got.get(k, 0) != v}
            for what, (wanted, saw) in wrong.items():
                (lost if saw < wanted else extra)[what] += abs(saw - wanted)
            if wrong:
                said = ", ".join(f"{k} expected {a}, saw {b}" for k, (a, b) in wrong.items())
                mismatches.append(f"hire {hire} (instance {instance}): {said}\n" + self._story(instance, base))
        answered_per_run = Counter(i for (i, _), status in status_of.items() if status == "completed")
        missing_answers = sum(max(0, answered_per_run[i] - answer_lines[i]) for i in hire_of)
        lateness, beyond = self._lateness(timers)
        seen = dict(totals_seen)
        seen["answers missing from history"] = missing_answers
        seen["stale prompts sent"] = answerer.statuses.get(409, 0)  # a followed link found its check-in closed
        runs = [(_aware(ended[i]) - _aware(began[i])).total_seconds() for i in ended if i in began]
        return Result(
            hires=self.hires,
            expected=dict(totals_expected),
            seen=seen,
            per_run_mismatches=mismatches,
            answered_got_followups=followups_after_answer,
            lateness=lateness,
            late_beyond_bound=beyond,
            deadlocks=self.postgres.log()[self.log_start :].count("deadlock detected"),
            deadlock_log=_deadlocks(self.postgres.log()[self.log_start :]),
            web_statuses=dict(answerer.statuses),
            web_errors=answerer.errors,
            duplicate_emails=duplicates,
            run_seconds=runs,
            outages=self.outages,
            incidents=incidents or 0,
            lost=dict(lost),
            extra=dict(extra),
        )

    def _lateness(self, timers: list[Any]) -> tuple[dict[str, list[float]], list[str]]:
        """Each timer's lateness, filed under the fault it was due during; and the ones beyond the bound."""
        base = datetime.now(UTC) - timedelta(seconds=self.now())
        lateness: dict[str, list[float]] = {"no fault": [], **{o.name: [] for o in self.outages}}
        beyond: list[str] = []
        for key, due_at, done_at in timers:
            due = (_aware(due_at) - base).total_seconds()
            late = (_aware(done_at) - _aware(due_at)).total_seconds()
            during = [o for o in self.outages if o.start - 1 <= due <= o.end + SLACK_SECONDS]
            fault = max(during, key=lambda o: o.end, default=None)
            lateness[fault.name if fault else "no fault"].append(late)
            allowed = max(0.0, (fault.end - due) if fault else 0.0) + SLACK_SECONDS
            if late > allowed:
                beyond.append(f"{key} due at {due:.1f} s ran {late:.1f} s late (allowed {allowed:.1f} s)")
        return lateness, beyond


def _deadlocks(log: str) -> str:
    """The PostgreSQL log's deadlock reports, with the lines that explain them."""
    lines = log.splitlines()
    found = []
    for number, line in enumerate(lines):
        if "deadlock detected" in line:
            found += lines[number : number + 8]
    return "\n".join(found)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _instance_of(key: str | None) -> int:
    return int((key or "wf:0:").split(":")[1])


def _sequence_of(key: str | None) -> int | None:
    match = re.search(r"\.(?:prompt|remind|escalate)\.(\d+)\.", key or "")
    return int(match.group(1)) if match else None
