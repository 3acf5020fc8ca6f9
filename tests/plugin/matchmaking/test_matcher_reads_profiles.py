"""The matcher reads what people say in their profiles: skills, what they want to learn, languages, hours."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from tandem.plugin.matchmaking import selfmatch
from tandem.plugin.models import Enrolment, Person, Profile, Programme
from tandem.workflows.matching.loader import load_pool, score_pairs
from tandem.workflows.matching.settings import MatchSettings


def profile(session, person_id: int, **values) -> None:
    session.add(Profile(person_id=person_id, photo_type="", **values))


def best_for(app, cohort, name: str):
    with app.app_context():
        session = app.appbuilder.session
        found, _ = selfmatch.suggestions(
            session, session.get(Programme, cohort["programme"]), session.get(Person, cohort[name])
        )
        return [(s.mentor.full_name, dict(s.breakdown)) for s in found]


def test_a_mentor_who_says_they_can_help_with_the_goal_is_suggested_first(app, cohort):
    assert best_for(app, cohort, "junior1")[0][0] == "Outsider1"  # the directory's python skill
    with app.app_context():
        profile(app.appbuilder.session, cohort["outsider2"], help_with=["Python", "python", "sql"])
        app.appbuilder.session.commit()
    first, breakdown = best_for(app, cohort, "junior1")[0]
    assert first == "Outsider2" and breakdown["goals"] > 0


def test_profile_languages_replace_the_directorys(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        profile(session, cohort["junior1"], languages=["es"])
        profile(session, cohort["outsider2"], languages=["es", "en"])
        session.commit()
    scored = dict(best_for(app, cohort, "junior1"))
    assert scored["Outsider2"]["languages"] > 0 and scored["Outsider1"]["languages"] == 0


def test_a_mentee_without_enrolment_goals_is_matched_on_what_they_want_to_learn(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        session.scalars(select(Enrolment).where(Enrolment.person_id == cohort["junior2"])).one().goals = []
        profile(session, cohort["junior2"], want_to_learn=["negotiation"])
        session.commit()
        pool = load_pool(session, session.get(Programme, cohort["programme"]))
        junior2 = next(m for m in pool.mentees if m.id == cohort["junior2"])
        assert junior2.topics == frozenset({"negotiation"})


def test_working_hours_four_hours_apart_leave_four_shared_hours(app, cohort):
    with app.app_context():
        session = app.appbuilder.session
        profile(session, cohort["outsider1"], work_start=time(13), work_end=time(21))
        session.commit()
        programme = session.get(Programme, cohort["programme"])
        settings = MatchSettings.from_json(programme.matching_settings)
        pairs = [(cohort["junior1"], cohort["outsider1"]), (cohort["junior1"], cohort["outsider2"])]
        scored = score_pairs(session, programme, settings, pairs)
        late, usual = scored[pairs[0]], scored[pairs[1]]
        assert late.breakdown["timezone"] == settings.weights["timezone"] * 50
        assert usual.breakdown["timezone"] == settings.weights["timezone"] * 100
