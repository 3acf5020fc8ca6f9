"""The kept report data follows every change in the transaction that makes it, and equals a rebuild from scratch."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from report_data import NOW, build
from sqlalchemy import select, update

from tandem.plugin.bootstrap import initialise
from tandem.plugin.matchmaking.pairings import end_pairing
from tandem.plugin.models import (
    CheckIn,
    Enrolment,
    Pairing,
    Person,
    PersonStat,
    ReportingLine,
    RollupState,
    SubtreeStat,
)
from tandem.plugin.reports import manager_report
from tandem.plugin.rollups import rebuild
from tandem.workflows.clock import FrozenClock


@pytest.fixture
def seeded(app: Flask) -> Any:
    """The report data set, written through the ORM like the product writes it."""
    return build(app)


def snapshot(session: Any) -> dict[str, set[tuple[Any, ...]]]:
    """Everything the rollups keep, as comparable sets (zero sums count as absent)."""
    return {
        "lines": set(session.execute(select(ReportingLine.ancestor_id, ReportingLine.person_id, ReportingLine.depth))),
        "people": set(session.execute(select(PersonStat.person_id, PersonStat.stat, PersonStat.value))),
        "subtrees": set(
            session.execute(
                select(SubtreeStat.root_id, SubtreeStat.stat, SubtreeStat.value).where(SubtreeStat.value != 0)
            )
        ),
        "progress": set(
            session.execute(
                select(
                    Enrolment.id, Enrolment.completed_checkins, Enrolment.matched, Enrolment.paired, Enrolment.mentees
                )
            )
        ),
    }


def assert_kept_equals_rebuilt(app: Flask) -> None:
    """The numbers kept change by change are exactly those a rebuild from the data computes."""
    with app.app_context():
        session = app.appbuilder.session
        kept = snapshot(session)
        rebuild(session)
        rebuilt = snapshot(session)
        session.rollback()
    for key in kept:
        assert kept[key] == rebuilt[key], (key, kept[key] ^ rebuilt[key])


def boss_report(app: Flask, seeded: Any, name: str = "boss") -> dict[str, Any]:
    with app.app_context():
        return manager_report(app.appbuilder.session, seeded.people[name], NOW, 1)


def test_after_seeding_through_the_orm_the_kept_numbers_equal_a_rebuild(app: Flask, seeded: Any) -> None:
    assert_kept_equals_rebuilt(app)
    with app.app_context():
        assert app.appbuilder.session.get(RollupState, "version") is not None


def test_answering_a_check_in_counts_for_every_manager_above_and_for_nobody_else(app: Flask, seeded: Any) -> None:
    with app.app_context():  # a fresh open check-in of someone under lead_a, under the boss
        session = app.appbuilder.session
        team = [seeded.people[name] for name in ("a1", "a2", "a3", "a4", "a5", "a6")]
        pairing = session.scalars(select(Pairing).where(Pairing.mentee_id.in_(team)).order_by(Pairing.id)).first()
        checkin = CheckIn(pairing=pairing, respondent_id=pairing.mentee_id, sequence=99, due_at=NOW, status="open")
        session.add(checkin)
        session.commit()
        checkin_id = checkin.id
    before, outsider_before = boss_report(app, seeded), boss_report(app, seeded, "outsider")
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.get(CheckIn, checkin_id)
        month = checkin.due_at.strftime("%Y-%m")
        checkin.status, checkin.rating, checkin.completed_at = "completed", 5, NOW
        session.commit()
    after = boss_report(app, seeded)
    completed = {row["label"]: row["completed"] for row in after["checkins_by_month"]}
    earlier = {row["label"]: row["completed"] for row in before["checkins_by_month"]}
    assert completed[month] == earlier.get(month, 0) + 1
    assert after["rating"]["ratings"] == before["rating"]["ratings"] + 1
    assert boss_report(app, seeded, "outsider") == outsider_before
    assert_kept_equals_rebuilt(app)


def test_ending_a_pairing_cancels_its_check_ins_in_bulk_and_the_numbers_follow(app: Flask, seeded: Any) -> None:
    with app.app_context():
        session = app.appbuilder.session
        pairing = session.scalars(
            select(Pairing)
            .where(Pairing.status == "active")
            .where(Pairing.id.in_(select(CheckIn.pairing_id).where(CheckIn.status == "open")))
        ).first()
        assert pairing is not None
        end_pairing(session, pairing, FrozenClock(NOW), "not a fit", "test")
        session.commit()
        assert (
            session.scalar(select(CheckIn.id).where(CheckIn.pairing_id == pairing.id, CheckIn.status == "open")) is None
        )
    assert_kept_equals_rebuilt(app)


def test_moving_a_team_to_another_manager_moves_its_numbers_with_it(app: Flask, seeded: Any) -> None:
    lead_c = seeded.people["lead_c"]
    boss_before = boss_report(app, seeded)["total"]["people"]
    outsider_before = boss_report(app, seeded, "outsider")["total"]["people"]
    with app.app_context():
        session = app.appbuilder.session
        # The directory import's own path: a bulk UPDATE by primary key, which no ORM flush ever sees.
        session.execute(update(Person), [{"id": lead_c, "manager_id": seeded.people["outsider"]}])
        session.commit()
    assert boss_report(app, seeded)["total"]["people"] == boss_before - 4  # lead_c and three reports
    outsider = boss_report(app, seeded, "outsider")
    assert outsider["total"]["people"] == outsider_before + 4
    assert "Person lead_c" in {row["label"] for row in outsider["teams"]}
    assert_kept_equals_rebuilt(app)


def test_someone_who_leaves_drops_out_of_the_counts_while_their_team_stays(app: Flask, seeded: Any) -> None:
    before = boss_report(app, seeded)["total"]["people"]
    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, seeded.people["lead_b"]).status = "left"
        session.commit()
    after = boss_report(app, seeded)
    assert after["total"]["people"] == before - 1
    lead_b = next(row for row in after["teams"] if row["label"] == "Person lead_b")
    assert lead_b["people"] == 7  # the seven reports still count under the boss
    assert_kept_equals_rebuilt(app)


def test_a_rolled_back_change_leaves_the_kept_numbers_as_they_were(app: Flask, seeded: Any) -> None:
    with app.app_context():
        session = app.appbuilder.session
        before = snapshot(session)
        session.get(Person, seeded.people["lead_a"]).manager_id = seeded.people["outsider"]
        session.flush()
        session.rollback()
        session.get(Person, seeded.people["x1"]).title = "Staff engineer"  # an unrelated change, committed
        session.commit()
        assert snapshot(session) == before


def test_initialise_rebuilds_the_kept_numbers_when_their_definitions_change(app: Flask, seeded: Any) -> None:
    with app.app_context():
        session = app.appbuilder.session
        session.get(RollupState, "version").value = "an older definition"
        session.execute(update(SubtreeStat).values(value=0))
        session.commit()
        initialise(app)
    assert_kept_equals_rebuilt(app)
    assert boss_report(app, seeded)["total"]["people"] > 0


DIRECTORY = """employee_id,name,email,timezone,manager_id,hire_date
E1,Ada Boss,ada@example.org,Europe/Berlin,,2015-01-05
E2,Ben Lead,ben@example.org,Europe/Berlin,E1,2019-03-01
E3,Cleo Lead,cleo@example.org,Europe/Berlin,E1,2019-03-01
E4,Dan Dev,dan@example.org,Europe/Berlin,E2,2020-03-01
E5,Eve Dev,eve@example.org,Europe/Berlin,E2,2020-03-01
"""


def test_a_directory_import_keeps_the_reporting_lines_of_new_and_moved_people(app: Flask) -> None:
    from tandem.plugin.directory import import_people

    def run(text: str) -> dict[str, int]:
        with app.app_context():
            session = app.appbuilder.session
            import_people(session, io.StringIO(text))
            session.commit()
            ids = dict(session.execute(select(Person.employee_id, Person.id)).all())
            return {eid: manager_report(session, ids[eid], NOW, 0)["total"]["people"] for eid in ("E1", "E2", "E3")}

    assert run(DIRECTORY) == {"E1": 4, "E2": 2, "E3": 0}
    assert_kept_equals_rebuilt(app)
    assert run(
        DIRECTORY.replace(
            "E2,Ben Lead,ben@example.org,Europe/Berlin,E1", "E2,Ben Lead,ben@example.org,Europe/Berlin,E3"
        )
    ) == {
        "E1": 4,
        "E2": 2,
        "E3": 3,
    }
    assert_kept_equals_rebuilt(app)


def test_a_savepoint_inside_a_transaction_leaves_the_refresh_to_its_commit(app: Flask, seeded: Any) -> None:
    # One refresh per transaction: refreshing at a savepoint too would lock people and sums in two rounds,
    # and two such transactions deadlock on PostgreSQL.
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.scalars(select(CheckIn).where(CheckIn.status == "open").order_by(CheckIn.id)).first()
        kept_before = snapshot(session)
        checkin.status, checkin.rating, checkin.completed_at = "completed", 4, NOW
        session.flush()
        with session.begin_nested():  # what recording an event does
            pass
        assert snapshot(session)["people"] == kept_before["people"], "not refreshed at the savepoint"
        session.commit()
        assert snapshot(session)["people"] != kept_before["people"], "refreshed once, at the commit"
    assert_kept_equals_rebuilt(app)
