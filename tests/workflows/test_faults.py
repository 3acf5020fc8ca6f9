"""The engine under real faults: nothing lost, nothing sent that should not be, nothing waits out a lease.

Real PostgreSQL, RabbitMQ and SMTP; two schedulers and three workers as
separate processes; a worker and a scheduler killed with ``kill -9``, RabbitMQ
stopped and started, PostgreSQL restarted, the SMTP server down — one after
another while hires answer through their e-mails' links (``fault_scenario.py``).
Runs alone with ``TANDEM_TEST_DATABASE=postgres pytest -m faults``.
"""

from __future__ import annotations

import pytest
from conftest import ON_POSTGRES
from fault_scenario import RUN_SECONDS, SLACK_SECONDS, Scenario

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.rabbitmq,
    pytest.mark.faults,
    pytest.mark.skipif(not ON_POSTGRES, reason="production-shaped: runs in the py311-postgres env"),
]
HIRES = 24


@pytest.fixture(scope="module")
def under_faults(postgresql_server, rabbitmq_server, tmp_path_factory):
    """One scenario run, measured (the tests below read it)."""
    result = Scenario(postgresql_server, rabbitmq_server, tmp_path_factory.mktemp("faults"), HIRES).run()
    print("\n" + result.table() + "\n" + "\n".join(result.lateness_lines()))
    print("faults: " + ", ".join(f"{o.name} {o.start:.1f}-{o.end:.1f} s" for o in result.outages))
    print("\n".join(result.per_run_mismatches + result.late_beyond_bound))
    print(result.deadlock_log)
    return result


def test_every_run_ends_with_exactly_the_planned_check_ins_e_mails_and_history(under_faults):
    assert under_faults.per_run_mismatches == []
    assert under_faults.seen["answers missing from history"] == 0


def test_an_answered_check_in_gets_no_reminder_or_escalation_and_no_closed_prompt_is_followed(under_faults):
    assert under_faults.answered_got_followups == 0
    assert under_faults.seen["stale prompts sent"] == 0


def test_no_timer_runs_later_than_its_outage_and_a_few_scheduler_intervals(under_faults):
    assert under_faults.late_beyond_bound == []
    outages = sum(outage.end - outage.start for outage in under_faults.outages)
    assert max(under_faults.run_seconds) <= RUN_SECONDS + outages + SLACK_SECONDS


def test_the_web_answers_503_never_500_while_the_database_restarts(under_faults):
    assert under_faults.web_statuses.get(500, 0) == 0, under_faults.web_errors
    assert under_faults.web_errors == []


def test_postgresql_logs_no_deadlock(under_faults):
    assert under_faults.deadlocks == 0
