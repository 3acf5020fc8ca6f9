"""The demo keeps the product's own rules: the matcher's hard constraints and dates that follow each other.

One seeded database (SQLite) serves every test here, seeded and then run by the engine as ``tandem serve``
would at once (the newcomers' onboarding): that takes half a minute.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from conftest import close_app, make_app
from engine_support import as_utc, drain
from sqlalchemy import select

from tandem.plugin.demo import seed_demo
from tandem.plugin.models import Acknowledgement, CheckIn, Enrolment, Notification, Pairing, Person
from tandem.plugin.selfservice.campaign import discussion_prompts
from tandem.workflows.clock import SystemClock
from tandem.workflows.matching.loader import manager_chains, previous_pairs, score_pairs
from tandem.workflows.matching.settings import MatchSettings
from tandem.workflows.matching.solver import Assignment


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tandem.db'}")
    with app.app_context():
        summary = seed_demo(app.appbuilder, "demo-password")
    drain(app, SystemClock())
    app.config["SUMMARY"] = summary
    yield app
    close_app(app)


def day(moment: datetime) -> date:
    return as_utc(moment).date()


def staff_of(session) -> Person:
    return session.scalars(select(Person).where(Person.user.has(username="staff"))).one()


def test_every_demo_pairing_passes_the_matchers_own_hard_constraints(demo):
    with demo.app_context():
        session = demo.appbuilder.session
        pairings = session.scalars(select(Pairing)).all()
        assert len(pairings) > 50
        assert sum(p.programme.slug == "onboarding-buddies" for p in pairings) > 5, "the newcomers have buddies"
        remembered = previous_pairs(session)
        broken = []
        for pairing in pairings:
            pair = (pairing.mentee_id, pairing.mentor_id)
            others = remembered - {pair, pair[::-1]}  # the pair itself is not an earlier pair
            settings = MatchSettings.from_json(pairing.programme.matching_settings)
            result = score_pairs(session, pairing.programme, settings, [pair], previous=others)[pair]
            if not isinstance(result, Assignment):
                broken.append(f"{pairing.programme.slug}: {pairing.mentor} → {pairing.mentee}: {result.reason}")
        assert broken == []


def test_the_staff_logins_mentor_is_outside_their_reporting_line_and_chosen_after_their_hire(demo):
    with demo.app_context():
        session = demo.appbuilder.session
        staff = staff_of(session)
        chains = manager_chains(session)
        for pairing in session.scalars(select(Pairing).where(Pairing.mentee_id == staff.id)):
            assert pairing.mentor_id not in chains[staff.id], f"{pairing.mentor} manages {staff} in {pairing.programme}"
            assert staff.id not in chains[pairing.mentor_id]
            assert day(pairing.proposed_at) >= staff.hire_date
            assert set(pairing.score_breakdown) and pairing.score > 1, "the solver's score and reasons"


def test_every_demo_date_follows_the_hire_date_and_the_pairing(demo):
    with demo.app_context():
        session = demo.appbuilder.session
        hired = dict(session.execute(select(Person.id, Person.hire_date)).all())
        joined = {(e.programme_id, e.person_id): as_utc(e.enrolled_at) for e in session.scalars(select(Enrolment))}
        wrong = []
        for enrolment in session.scalars(select(Enrolment)):
            if day(enrolment.enrolled_at) < hired[enrolment.person_id]:
                wrong.append(f"{enrolment} enrolled before being hired")
        for pairing in session.scalars(select(Pairing)):
            proposed = as_utc(pairing.proposed_at)
            for person_id in (pairing.mentee_id, pairing.mentor_id):
                if proposed.date() < hired[person_id]:
                    wrong.append(f"{pairing} proposed before person {person_id} was hired")
                if proposed < joined[(pairing.programme_id, person_id)]:
                    wrong.append(f"{pairing} proposed before person {person_id} enrolled")
            if pairing.started_at is not None and as_utc(pairing.started_at) < proposed:
                wrong.append(f"{pairing} started before it was proposed")
            if pairing.ended_at is not None and as_utc(pairing.ended_at) < as_utc(pairing.started_at):
                wrong.append(f"{pairing} ended before it started")
        for checkin in session.scalars(select(CheckIn).where(CheckIn.pairing_id.is_not(None))):
            pairing = checkin.pairing
            if pairing.started_at is None or as_utc(checkin.due_at) < as_utc(pairing.started_at):
                wrong.append(f"check-in {checkin.id} of {pairing} due before the pair started")
            if pairing.ended_at is not None and as_utc(checkin.due_at) > as_utc(pairing.ended_at):
                wrong.append(f"check-in {checkin.id} of {pairing} due after the pair ended")
            if checkin.completed_at is not None and as_utc(checkin.completed_at) < as_utc(checkin.due_at):
                wrong.append(f"check-in {checkin.id} answered before it was due")
        for ack in session.scalars(select(Acknowledgement)):
            if day(ack.acknowledged_at) < hired[ack.person_id]:
                wrong.append(f"acknowledgement {ack.id} before person {ack.person_id} was hired")
        for note in session.scalars(select(Notification)):
            if day(note.created_at) < hired[note.recipient_id]:
                wrong.append(f"notification {note.id} before person {note.recipient_id} was hired")
        assert wrong == []


def test_the_campaign_prompt_lands_on_the_staff_logins_mentoring_check_in_alone(demo):
    with demo.app_context():
        session = demo.appbuilder.session
        staff = staff_of(session)
        open_ones = session.scalars(
            select(CheckIn).where(CheckIn.respondent_id == staff.id, CheckIn.status == "open")
        ).all()
        prompts = {c.pairing.programme.slug: discussion_prompts(session, c) for c in open_ones}
        assert len(prompts["mentoring-cohort"]) == 1, "one item at a time"
        assert prompts.get("onboarding-buddies", []) == []


SCRIPTS = {"GREEK", "CYRILLIC", "ARABIC", "HEBREW", "DEVANAGARI", "CJK", "HANGUL"}


def test_the_demo_organisations_names_come_from_many_scripts(demo):
    with demo.app_context():
        names = demo.appbuilder.session.scalars(select(Person.full_name)).all()
    scripts = {unicodedata.name(c).split()[0] for name in names for c in name if c.isalpha()}
    assert scripts >= SCRIPTS | {"LATIN"}
    assert any(c in "øåæ" for name in names for c in name.lower()), "Nordic letters"
    assert any(unicodedata.decomposition(c) for name in names for c in name if "LATIN" in unicodedata.name(c, ""))
    assert any("'" in name for name in names) and any("-" in name for name in names)
    assert any(" " not in name for name in names), "one-word names and names written without a space"


def test_the_demo_says_it_seeded_four_programmes_and_names_them(demo):
    assert "4 programmes (Onboarding buddies, Mentoring cohort, Peer support circles," in demo.config["SUMMARY"]
