"""Survey results in aggregate only: groups below the minimum size hidden, by role and by subtraction too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from organisation import build, login
from sqlalchemy import select

from tandem.plugin.feedback.results import completion, programme_results, subtree_results
from tandem.plugin.models import (
    FeedbackAnswer,
    InstanceParticipant,
    Notification,
    Person,
    Programme,
    WorkflowDefinition,
    WorkflowInstance,
)
from tandem.plugin.reports.privacy import is_hidden

WHEN = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
THRESHOLD = 5


def run_answers(app, programme_name: str, answers: list[tuple[str, int, int]], manager: int | None = None) -> int:
    """A programme whose runs' participants answered the end survey: (role, useful, recommend) each.

    Each answer comes from a new person (reporting to ``manager`` if given), in a run of their own, with the
    survey's message sent to them; returns the programme's id.
    """
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(name=programme_name, slug=f"p-{abs(hash(programme_name))}", kind="mentoring")
        session.add(programme)
        definition = session.scalars(select(WorkflowDefinition)).first()
        session.flush()
        for number, (role, useful, recommend) in enumerate(answers):
            person = Person(
                employee_id=f"X{programme.id}-{number}",
                full_name=f"Person {programme.id}-{number}",
                email=f"p{programme.id}-{number}@example.org",
                manager_id=manager,
            )
            session.add(person)
            session.flush()
            run = WorkflowInstance(definition_id=definition.id, subject_id=person.id, programme_id=programme.id)
            session.add(run)
            session.flush()
            session.add(InstanceParticipant(instance_id=run.id, person_id=person.id, role=role))
            session.add(
                Notification(
                    recipient_id=person.id,
                    channel="email",
                    template="feedback/end-survey",
                    status="sent",
                    idempotency_key=f"wf:{run.id}:v9.notify.{role}:{person.id}",
                    deliver_after=WHEN,
                )
            )
            session.add(
                FeedbackAnswer(
                    programme_id=programme.id,
                    instance_id=run.id,
                    respondent_id=person.id,
                    survey="end",
                    useful=useful,
                    time_to_meet=3,
                    progress=3,
                    recommend=recommend,
                    idempotency_key=f"end:{run.id}:{person.id}",
                )
            )
        session.commit()
        return programme.id


def end_result(app, programme_id: int):
    with app.app_context():
        return next(r for r in programme_results(app.appbuilder.session, programme_id, THRESHOLD) if r.survey == "end")


def test_a_programme_with_enough_answers_shows_averages_and_the_share_of_promoters(app):
    build(app)
    pk = run_answers(app, "Cohort", [("mentee", 5, 10)] * 3 + [("mentor", 3, 6)] * 5 + [("mentee", 4, 9)] * 2)
    result = end_result(app, pk)
    assert result.total["respondents"] == 10
    assert result.total["useful"] == pytest.approx(3.8)
    assert result.total["recommend"] == pytest.approx(7.8)
    assert (result.total["promoters"], result.total["detractors"]) == (0.5, 0.5)
    assert [(row["label"], row["respondents"]) for row in result.by_role] == [("Mentees", 5), ("Mentors", 5)]


def test_a_programme_with_fewer_answers_than_the_group_size_shows_none(app):
    build(app)
    pk = run_answers(app, "Tiny", [("mentee", 1, 0)] * 4)
    result = end_result(app, pk)
    assert is_hidden(result.total["respondents"]) and is_hidden(result.total["recommend"])
    assert result.total["label"] == "All who answered"


def test_a_small_role_is_hidden_with_a_second_one_so_the_total_cannot_reveal_it_by_subtraction(app):
    build(app)
    pk = run_answers(app, "Cohort", [("mentee", 5, 10)] * 6 + [("mentor", 1, 0)])
    result = end_result(app, pk)
    assert result.total["respondents"] == 7, "the total of seven is shown"
    mentors = next(row for row in result.by_role if row["label"] == "Mentors")
    mentees = next(row for row in result.by_role if row["label"] == "Mentees")
    assert is_hidden(mentors["useful"]) and is_hidden(mentors["respondents"])
    assert is_hidden(mentees["useful"]) and is_hidden(mentees["recommend"]), (
        "otherwise total minus mentees would give the one mentor's answer"
    )


def test_hr_reads_the_results_page_and_a_manager_is_refused_it(app):
    build(app)
    pk = run_answers(app, "Cohort", [("mentee", 5, 10)] * 6 + [("mentor", 1, 0)])
    hr = app.test_client()
    login(hr, "hr")
    page = hr.get(f"/mentoring/feedback/programme/{pk}").get_data(as_text=True)
    assert "End-of-programme survey" in page and "fewer than 5" in page and "Person " not in page
    manager = app.test_client()
    login(manager, "manager")
    assert manager.get(f"/mentoring/feedback/programme/{pk}").status_code == 403
    assert manager.get("/mentoring/feedback/completion.csv").status_code == 403
    staff = app.test_client()
    login(staff, "staff")
    assert staff.get(f"/mentoring/feedback/programme/{pk}").status_code in (302, 403)


def test_a_manager_reads_their_reporting_line_only_with_enough_answers_besides_their_own(app):
    org = build(app)
    head = org.people["head"]
    run_answers(app, "Big cohort", [("mentee", 4, 8)] * 5, manager=head)
    run_answers(app, "Small cohort", [("mentee", 2, 3)] * 4, manager=head)
    run_answers(app, "Elsewhere", [("mentee", 1, 1)] * 9, manager=org.people["sales_head"])
    with app.app_context():
        found = dict(subtree_results(app.appbuilder.session, head, THRESHOLD))
    assert set(found) == {"Big cohort", "Small cohort"}, "only the manager's own subtree"
    assert found["Big cohort"].total["respondents"] == 5 and found["Big cohort"].total["recommend"] == 8
    assert is_hidden(found["Small cohort"].total["useful"])
    manager = app.test_client()
    login(manager, "manager")
    page = manager.get("/mentoring/feedback/manager").get_data(as_text=True)
    assert "Big cohort" in page and "fewer than 5" in page and "Person " not in page


def test_the_completion_export_is_per_programme_suppressed_like_the_page_and_neutralised(app):
    build(app)
    run_answers(app, '=HYPERLINK("http://evil.example/","x")', [("mentee", 3, 7)] * 5)
    run_answers(app, "Tiny", [("mentee", 3, 7)] * 2)
    with app.app_context():
        rows = completion(app.appbuilder.session, THRESHOLD, datetime(2026, 12, 1, tzinfo=UTC))
    assert [(row["sent"], row["answered"]) for row in rows if not is_hidden(row["sent"])] == [(5, 5)]
    hr = app.test_client()
    login(hr, "hr")
    response = hr.get("/mentoring/feedback/completion.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == ["programme", "survey", "sent", "answered", "answered share"]
    assert table[1][0].startswith("'=HYPERLINK"), "a formula is neutralised"
    assert table[1][2:] == ["5", "5", "1.0"]
    assert table[2][0] == "Tiny" and table[2][2:] == ["fewer than 5"] * 3
