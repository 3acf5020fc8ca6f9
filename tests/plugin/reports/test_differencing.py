"""The manager report played as an attacker: no combination of published numbers reveals a small group.

For seeded random organisations, the test signs in as the top manager and
gathers every number they can obtain: the report and the drill-down into every
person of their subtree (``?team=``) through the REST API, the CSV export of each
(which must print exactly the API's values), and the fortnightly digest. Each
published number is a sum, over a known set of people, of one per-person
statistic. A team's numbers sum its members; a section's row (a month, the
rating, a campaign) sums the people it counts (those with a check-in due that
month, who gave a rating, ...), as its published "people" tells how many. The
manager knows their own values: one more equation per statistic fixes them.
Per statistic, a group's total is determined exactly when its indicator vector
lies in the row space of those sets; the test fails if any group of fewer than
``THRESHOLD`` people other than the manager is determined.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from flask import Flask
from organisation import jwt_headers, login
from report_data import NOW, PASSWORD
from scipy.linalg import null_space
from sqlalchemy import select

from tandem.plugin.models import (
    Acknowledgement,
    CampaignItem,
    CheckIn,
    Enrolment,
    Pairing,
    Person,
    PersonStat,
    Programme,
)
from tandem.plugin.reports.digest import digest_numbers
from tandem.plugin.reports.manager import OTHER_DIRECT_REPORTS, TEAM_LEAD_AND_OTHERS
from tandem.plugin.roles import MANAGER_ROLE, STAFF_ROLE

THRESHOLD = 5
LEAD_SUFFIX = TEAM_LEAD_AND_OTHERS.format(name="")

Sets = dict[Any, list[frozenset[int]]]


def unions(small: list[int], sizes: list[int], threshold: int, size: int = 0) -> Iterator[list[int]]:
    """Every set of the ``small`` classes whose sizes add up to fewer than ``threshold``."""
    for position, index in enumerate(small):
        if size + sizes[index] < threshold:
            yield [index]
            for rest in unions(small[position + 1 :], sizes, threshold, size + sizes[index]):
                yield [index, *rest]


def determined_small_groups(
    published: Sets, people: set[int], threshold: int, viewer: int | None = None
) -> list[tuple[Any, set[int]]]:
    """Per statistic, the groups of fewer than ``threshold`` of ``people`` whose total the published sums determine.

    The ``viewer`` knows their own values: per statistic one more equation, ``{viewer}``, and groups are
    sought among the others. People in the same published sets form a class; a determined 0/1 vector is a
    union of classes, and it lies in the row space exactly when it is orthogonal to the null space of the
    sets-by-classes matrix.
    """
    found = []
    if viewer is not None:
        people = people | {viewer}
    for statistic, sets in published.items():
        if viewer is not None:
            sets = [*sets, frozenset({viewer})]
        signature: dict[int, tuple[bool, ...]] = {p: tuple(p in s for s in sets) for p in people}
        classes: dict[tuple[bool, ...], set[int]] = defaultdict(set)
        for person, key in signature.items():
            classes[key].add(person)
        members = list(classes.values())
        matrix = np.array([[1.0 if next(iter(c)) in s else 0.0 for c in members] for s in sets])
        kernel = null_space(matrix)  # classes x d
        sizes = [len(c) for c in members]
        others = [index for index, size in enumerate(sizes) if size < threshold and viewer not in members[index]]
        for union in unions(others, sizes, threshold):
            if kernel.shape[1] == 0 or np.abs(kernel[union].sum(axis=0)).max() < 1e-9:
                found.append((statistic, set().union(*(members[index] for index in union))))
    return found


def test_the_solver_finds_a_group_left_over_by_subtraction() -> None:
    # The attack: a subtree of 10 and a team of 8 in it are shown, so the other 2 follow.
    published = {"enrolled": [frozenset(range(10)), frozenset(range(8))]}
    assert determined_small_groups(published, set(range(10)), 5) == [("enrolled", {8, 9})]
    assert determined_small_groups({"enrolled": [frozenset(range(10))]}, set(range(10)), 5) == []


def test_the_solver_subtracts_what_the_viewer_knows_of_themself() -> None:
    # Five people gave a rating, the viewer (0) among them: the other four's ratings follow.
    published = {"ratings": [frozenset(range(5))]}
    assert determined_small_groups(published, set(range(5)), 5) == []
    assert determined_small_groups(published, set(range(1, 5)), 5, viewer=0) == [("ratings", {1, 2, 3, 4})]


def random_organisation(app: Flask, seed: int) -> tuple[int, dict[int, int | None], dict[str, int]]:
    """A random reporting tree under one manager (login "boss"), with a random history; returns ids.

    ``names`` maps people's and campaigns' names to their ids.
    """
    rng = random.Random(seed)
    with app.app_context():
        session = app.appbuilder.session
        boss = Person(employee_id="B0", full_name="Boss", email="boss@example.org", timezone="Europe/Berlin")
        mentor = Person(employee_id="M0", full_name="Outside mentor", email="m@example.org", timezone="UTC")
        session.add_all([boss, mentor])
        people = [boss]
        for number in range(rng.randint(25, 45)):
            leaders = people if rng.random() < 0.5 else people[-6:]
            person = Person(
                employee_id=f"E{number}",
                full_name=f"Person {number}",
                email=f"p{number}@example.org",
                timezone="Europe/Berlin",
                manager=rng.choice(leaders),
            )
            people.append(person)
        session.add_all(people)
        mentoring = Programme(name="Mentoring", slug="mentoring", kind="mentoring", status="active")
        campaign = Programme(name="Advice", slug="advice", kind="campaign", status="active")
        item = CampaignItem(programme=campaign, position=1, slug="one", title="One", body="…")
        session.add_all([mentoring, campaign, item])
        session.add(Enrolment(programme=mentoring, person=mentor, role="mentor", capacity=99))
        for person in people:  # the boss too: they know their own numbers
            if rng.random() < 0.6:
                session.add(Enrolment(programme=mentoring, person=person, role="mentee", status="active"))
                pairing = Pairing(
                    programme=mentoring,
                    mentor=mentor,
                    mentee=person,
                    status="active",
                    proposed_at=NOW - timedelta(days=rng.randint(30, 120)),
                )
                session.add(pairing)
                for sequence in range(1, rng.randint(1, 4)):
                    due = NOW - timedelta(days=rng.randint(0, 80))
                    done = rng.random() < 0.7
                    session.add(
                        CheckIn(
                            pairing=pairing,
                            respondent=person,
                            sequence=sequence,
                            due_at=due,
                            status="completed" if done else "missed",
                            rating=rng.randint(1, 5) if done else None,
                            completed_at=due if done else None,
                        )
                    )
            if rng.random() < 0.5:
                session.add(Enrolment(programme=campaign, person=person, role="participant"))
                if rng.random() < 0.5:
                    session.add(Acknowledgement(item=item, person=person))
        sm = app.appbuilder.sm
        user = sm.add_user(
            "boss",
            "Boss",
            "User",
            "boss@login.example.org",
            [sm.find_role(MANAGER_ROLE), sm.find_role(STAFF_ROLE)],
            PASSWORD,
        )
        boss.user_id = user.id
        session.commit()
        tree = {person.id: person.manager_id for person in people}
        names = {person.full_name: person.id for person in people} | {campaign.name: campaign.id}
        return boss.id, tree, names


def counted_by(app: Flask) -> dict[str, set[int]]:
    """Per statistic that counts the people of a section's row, who has it (``month_people:2026-10``: ids)."""
    found: dict[str, set[int]] = defaultdict(set)
    with app.app_context():
        for person, stat, value in app.appbuilder.session.execute(
            select(PersonStat.person_id, PersonStat.stat, PersonStat.value)
        ):
            if value:
                found[stat].add(person)
    return found


def subtree(tree: dict[int, int | None], root: int) -> set[int]:
    """``root`` and everyone below them."""
    found, frontier = {root}, [root]
    while frontier:
        frontier = [person for person, boss in tree.items() if boss in frontier]
        found.update(frontier)
    return found


def pooled(tree: dict[int, int | None], root: int) -> set[int]:
    """The direct reports of ``root`` who lead nobody."""
    leaders = set(tree.values())
    return {person for person, boss in tree.items() if boss == root and person not in leaders}


def add_view(
    published: Sets,
    tables: dict[str, list[dict[str, Any]]],
    root: int,
    viewer: int,
    tree: Any,
    names: Any,
    holders: dict[str, set[int]],
) -> None:
    """Every published number of one view, as (statistic, set of people); ``holders`` from :func:`counted_by`."""
    whole = subtree(tree, root) if root != viewer else subtree(tree, root) - {root}
    counted = subtree(tree, root)  # the sections count the root too, and of them only who has the row's statistic

    def record(statistic: Any, people: set[int], value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            published[statistic].append(frozenset(people))

    for row in tables["teams"]:
        label = row["label"]
        if label == "whole subtree":
            people = whole
        elif label == OTHER_DIRECT_REPORTS:
            people = pooled(tree, root)
        elif label.endswith(LEAD_SUFFIX):
            people = pooled(tree, root) | {root}
        else:
            people = subtree(tree, names[label])
        for column in ("people", "enrolled", "participating"):
            record(("teams", column), people, row[column])
    for row in tables["checkins"]:
        people = counted & holders[f"month_people:{row['label']}"]
        for column in ("people", "due", "completed", "missed"):
            record(("checkins", column, row["label"]), people, row.get(column))
    for row in tables["rating"]:
        people = counted & holders["rated_people"]
        for column in ("people", "ratings", "average"):
            record(("rating", column), people, row.get(column))
    for row in tables["quiet"]:
        people = counted & holders["paired_people"]
        record(("quiet", "pairs"), people, row["pairs"])
        record(("quiet", "quiet"), people, row["quiet"])
    for row in tables["campaigns"]:
        people = counted & holders[f"campaign:{names[row['label']]}"]
        for column in ("people", "acknowledged"):
            record(("campaigns", column, row["label"]), people, row[column])


@pytest.mark.parametrize("seed", [1, 2, 3, 9, 18])
def test_no_group_below_the_threshold_follows_from_everything_a_manager_can_read(app: Flask, seed: int) -> None:
    boss, tree, names = random_organisation(app, seed)
    holders = counted_by(app)
    client = app.test_client()
    headers = jwt_headers(client, "boss", PASSWORD)
    browser = app.test_client()
    login(browser, "boss", PASSWORD)
    published: Sets = defaultdict(list)
    everyone = subtree(tree, boss)
    for root in sorted(everyone):
        query = "" if root == boss else f"?team={root}"
        answer = client.get(f"/api/v1/reports/manager{query}", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        tables = {key: table["rows"] for key, table in answer.json["tables"].items()}
        add_view(published, tables, root, boss, tree, names, holders)
        # The CSV export prints exactly the API's values, so it adds no number of its own.
        exported = browser.get(f"/mentoring/reports/manager.csv{query}").get_data(as_text=True)
        cells = sorted(row[1:] for row in csv.reader(io.StringIO(exported)) if row and row[0] != "section")
        from_api = sorted(
            ["" if row[column] is None else str(row[column]) for column in table["columns"]]
            for table in answer.json["tables"].values()
            for row in table["rows"]
        )
        assert cells == from_api
    with app.app_context():
        digest = digest_numbers(app.appbuilder.session, boss, NOW, THRESHOLD)
    add_view(
        published,
        {
            "teams": [*digest["teams"], digest["total"]],
            "checkins": digest["months"],
            "rating": [digest["rating"]],
            "quiet": [digest["quiet_pairs"]],
            "campaigns": digest["campaigns"],
        },
        boss,
        boss,
        tree,
        names,
        holders,
    )
    assert published[("teams", "people")], "the report published nothing at all"
    assert determined_small_groups(published, everyone - {boss}, THRESHOLD, viewer=boss) == []
