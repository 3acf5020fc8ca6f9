"""Self-match: suggestions with reasons, a request, the mentor's answer, and the limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from matching_support import earlier_pair
from sqlalchemy import select

from tandem.plugin.errors import NotAllowed, NotFound, Refused
from tandem.plugin.matchmaking import selfmatch
from tandem.plugin.models import Event, MatchRequest, Notification, Pairing, Person, Programme
from tandem.workflows.clock import FrozenClock

CLOCK = FrozenClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))


def ask(app, cohort, mentee: str, mentor: str, message: str = "") -> int:
    with app.app_context():
        session = app.appbuilder.session
        request = selfmatch.request_mentor(
            session,
            session.get(Programme, cohort["programme"]),
            session.get(Person, cohort[mentee]),
            cohort[mentor],
            message,
            CLOCK,
        )
        session.commit()
        return request.id


def test_a_mentee_sees_the_best_mentors_first_with_why_and_never_their_own_managers(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        found, why = selfmatch.suggestions(
            session, session.get(Programme, cohort["programme"]), session.get(Person, cohort["junior1"])
        )
        names = [s.mentor.full_name for s in found]
        assert names[0] == "Outsider1"  # the one who knows python, from another department
        assert "Boss" not in names and "Lead" not in names
        assert found[0].breakdown["goals"] > 0 and found[0].score == sum(found[0].breakdown.values())
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
        assert why == ""


def test_a_request_tells_the_mentor_and_an_acceptance_proposes_the_pair(app, cohort):
    request_id = ask(app, cohort, "junior1", "outsider1", "I would like to learn Python properly.")
    with app.app_context():
        session = app.appbuilder.session
        told = session.scalars(select(Notification).where(Notification.template == "matching/request")).one()
        assert told.recipient_id == cohort["outsider1"]
        assert told.context["message"] == "I would like to learn Python properly."
        pairing_id = selfmatch.accept(session, session.get(MatchRequest, request_id), CLOCK)
        session.commit()
        pairing = session.get(Pairing, pairing_id)
        assert (pairing.mentee_id, pairing.mentor_id, pairing.status) == (
            cohort["junior1"],
            cohort["outsider1"],
            "proposed",
        )
        event = session.scalars(select(Event).where(Event.type == "pairing.proposed")).one()
        assert event.payload["pairing_id"] == pairing_id


def test_accepting_one_request_withdraws_the_mentees_other_requests(app, cohort):
    first = ask(app, cohort, "junior1", "outsider1")
    second = ask(app, cohort, "junior1", "outsider2")
    with app.app_context():
        session = app.appbuilder.session
        selfmatch.accept(session, session.get(MatchRequest, first), CLOCK)
        session.commit()
        assert session.get(MatchRequest, second).status == "withdrawn"
        with pytest.raises(NotAllowed, match="already withdrawn"):
            selfmatch.accept(session, session.get(MatchRequest, second), CLOCK)


def test_a_declined_mentee_is_told_and_that_mentor_is_no_longer_suggested(app, cohort):
    request_id = ask(app, cohort, "junior1", "outsider1")
    with app.app_context():
        session = app.appbuilder.session
        selfmatch.decline(session, session.get(MatchRequest, request_id), CLOCK)
        session.commit()
        told = session.scalars(select(Notification).where(Notification.template == "matching/request-declined"))
        assert [n.recipient_id for n in told] == [cohort["junior1"]]
        found, _ = selfmatch.suggestions(
            session, session.get(Programme, cohort["programme"]), session.get(Person, cohort["junior1"])
        )
        assert "Outsider1" not in [s.mentor.full_name for s in found]


def test_pending_requests_are_limited_per_programme(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        session.get(Programme, cohort["programme"]).matching_settings = {"self_match": {"max_pending": 1}}
        session.commit()
    ask(app, cohort, "junior1", "outsider1")
    with pytest.raises(NotAllowed, match="1 requests waiting"):
        ask(app, cohort, "junior1", "outsider2")


def test_asking_ones_own_manager_is_refused_with_the_reason(app, cohort):
    with pytest.raises(Refused, match="reporting line") as refused:
        ask(app, cohort, "junior1", "lead")
    assert refused.value.field == "mentor"


def test_only_mentees_of_the_programme_may_ask(app, cohort):
    with pytest.raises(NotFound):
        ask(app, cohort, "outsider2", "outsider1")


def test_a_mentor_may_only_answer_requests_made_to_them(app, cohort):
    request_id = ask(app, cohort, "junior1", "outsider1")
    with app.app_context(), pytest.raises(NotFound):
        selfmatch.own_request(app.appbuilder.session, request_id, cohort["outsider2"], "mentor")


def test_asking_a_mentor_one_was_paired_with_before_is_refused(app, cohort):
    earlier_pair(app, cohort, "junior1", "outsider1")
    with pytest.raises(Refused, match="previous pair") as refused:
        ask(app, cohort, "junior1", "outsider1")
    assert refused.value.field == "mentor"
