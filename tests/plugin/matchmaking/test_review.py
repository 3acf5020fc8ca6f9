"""HR's matching review: a draft run, edits, publishing as pairings with events, and the CLI."""

from __future__ import annotations

import pytest
from matching_support import earlier_pair
from sqlalchemy import func, select

from tandem.plugin.errors import NotAllowed, Refused
from tandem.plugin.matchmaking.cli import match_command
from tandem.plugin.matchmaking.review import accept_all, decide, publish, run_matching, swap
from tandem.plugin.models import Enrolment, Event, MatchRun, Pairing, Person, Programme


def test_a_run_is_a_draft_nobody_but_hr_sees_until_it_is_published(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]), author="hr")
        session.commit()
        pairs = {(p.mentee_id, p.mentor_id) for p in run.proposals}
        assert pairs == {(cohort["junior1"], cohort["outsider1"]), (cohort["junior2"], cohort["outsider2"])}
        assert all(p.breakdown["goals"] > 0 for p in run.proposals)
        assert session.scalar(select(func.count(Pairing.id))) == 0
        assert accept_all(run) == 2
        pairings = publish(session, run)
        session.commit()
        assert {p.status for p in pairings} == {"proposed"}
        events = session.scalars(select(Event).where(Event.type == "pairing.proposed")).all()
        assert {e.payload["mentor_id"] for e in events} == {cohort["outsider1"], cohort["outsider2"]}
        assert run.status == "published"


def test_the_managers_of_a_mentee_are_never_proposed(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]))
        mentors = {p.mentor_id for p in run.proposals}
        assert not mentors & {cohort["boss"], cohort["lead"]}


def test_a_swap_into_the_reporting_line_is_refused_and_changes_nothing(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        programme = session.get(Programme, cohort["programme"])
        run = run_matching(session, programme, {"constraints": {"not_same_team": False}})
        first, second = run.proposals
        swap(session, first, second)
        assert {(p.mentee_id, p.mentor_id) for p in run.proposals} == {
            (cohort["junior1"], cohort["outsider2"]),
            (cohort["junior2"], cohort["outsider1"]),
        }
        assert run.total_score == sum(p.score for p in run.proposals)
        first.mentor_id = cohort["lead"]
        with pytest.raises(NotAllowed, match="reporting line"):
            swap(session, first, second)


def test_rejected_proposals_are_not_published_and_a_run_publishes_once(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]))
        first, second = run.proposals
        decide(first, "accept")
        decide(second, "reject")
        assert [p.mentee_id for p in publish(session, run)] == [first.mentee_id]
        with pytest.raises(NotAllowed, match="not a draft"):
            publish(session, run)


def test_publishing_with_nothing_accepted_is_refused(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]))
        with pytest.raises(Refused, match="accept at least one"):
            publish(session, run)


def test_a_run_with_a_bad_weight_names_the_weight(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(Refused) as refused:
            run_matching(session, session.get(Programme, cohort["programme"]), {"weights": {"goals": 11}})
        assert refused.value.field == "weights.goals"


def test_a_rerun_with_changed_weights_replaces_the_draft(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        programme = session.get(Programme, cohort["programme"])
        first = run_matching(session, programme)
        second = run_matching(session, programme, {"weights": {"goals": 0, "seniority": 10}})
        assert first.status == "discarded"
        assert second.settings["weights"]["seniority"] == 10
        assert session.scalar(select(func.count(MatchRun.id)).where(MatchRun.status == "draft")) == 1


def test_tandem_match_dry_run_prints_proposals_and_unmatched_and_saves_nothing(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        session.add(
            Enrolment(
                programme_id=cohort["programme"],
                person=Person(employee_id="M9", full_name="Loner", email="l@example.org", languages=["fi"]),
                role="mentee",
            )
        )
        session.get(Programme, cohort["programme"]).matching_settings = {"constraints": {"shared_language": True}}
        session.commit()
    result = app.test_cli_runner().invoke(match_command, ["Cohort", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Outsider1 → Junior1" in result.output
    assert "Loner: no eligible mentor: no shared language (4)" in result.output
    assert "dry run: nothing saved" in result.output
    with app.app_context():
        assert app.appbuilder.session.scalar(select(func.count(MatchRun.id))) == 0


def test_tandem_match_refuses_an_unknown_programme_by_name(app):
    result = app.test_cli_runner().invoke(match_command, ["nope"])
    assert result.exit_code != 0
    assert "programme: no programme 'nope'" in result.output


def test_a_swap_into_a_previous_pair_is_refused(app, cohort):
    earlier_pair(app, cohort, "junior2", "outsider1")
    with app.app_context():
        session = app.appbuilder.session
        run = run_matching(session, session.get(Programme, cohort["programme"]))
        first, second = run.proposals
        with pytest.raises(NotAllowed, match="previous pair"):
            swap(session, first, second)
        assert {(p.mentee_id, p.mentor_id) for p in run.proposals} == {
            (cohort["junior1"], cohort["outsider1"]),
            (cohort["junior2"], cohort["outsider2"]),
        }
