"""``tandem seed-demo``: a believable organisation to try Tandem on.

Deterministic (a fixed random seed), idempotent (does nothing once the
directory has people), and written straight to the tables. Only the people
hired in the last 30 days get an ``employee.hired`` event, so the onboarding
workflow runs for them as soon as the engine does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from tandem.workflows.intake import record_events

from .content import builtin_campaigns, load_campaign
from .demo_names import address_part, draw_name
from .demo_reports import seed_report_history
from .demo_staff import replay_onboarding, show_staff_around
from .events import NewEvent
from .models import Enrolment, Person, Programme
from .roles import HR_ROLE, MANAGER_ROLE, STAFF_ROLE

# Hired this recently: the demo records their `employee.hired`, so onboarding runs for them.
NEWCOMER = timedelta(days=30)
# The `staff` login joined this many days ago: its onboarding is replayed through the engine up to now.
STAFF_TENURE = 10
# The programmes started this long ago (before the report history's first pairings).
RUNNING_FOR = timedelta(days=150)


@dataclass(frozen=True)
class Site:
    """An office: where people sit, their country and time zone."""

    location: str
    country: str
    timezone: str
    languages: tuple[str, ...]


SITES = (
    Site("Berlin", "DE", "Europe/Berlin", ("German", "English")),
    Site("London", "GB", "Europe/London", ("English",)),
    Site("New York", "US", "America/New_York", ("English", "Spanish")),
    Site("Singapore", "SG", "Asia/Singapore", ("English", "Mandarin")),
    Site("Lisbon", "PT", "Europe/Lisbon", ("Portuguese", "English")),
)

DEPARTMENTS = {
    "Engineering": (
        "Software Engineer",
        ["Python", "system design", "code review", "testing", "cloud"],
    ),
    "Product": (
        "Product Manager",
        ["roadmapping", "user research", "prioritisation", "analytics"],
    ),
    "Design": (
        "Product Designer",
        ["interaction design", "prototyping", "accessibility", "research"],
    ),
    "Sales": (
        "Account Executive",
        ["negotiation", "pipeline management", "presenting", "CRM"],
    ),
    "Finance": (
        "Financial Analyst",
        ["forecasting", "budgeting", "Excel", "reporting"],
    ),
    "People": (
        "People Partner",
        ["coaching", "employment law", "facilitation", "recruiting"],
    ),
    "Customer Success": (
        "Customer Success Manager",
        ["onboarding", "escalations", "empathy", "renewals"],
    ),
}
INTERESTS = [
    "running",
    "chess",
    "cooking",
    "photography",
    "climbing",
    "music",
    "board games",
    "gardening",
    "cycling",
    "reading",
    "volunteering",
    "film",
]
PROGRAMMES = (
    (
        "Onboarding buddies",
        "onboarding-buddies",
        "onboarding",
        "onboarding-buddy",
        "Every new hire gets an experienced colleague as a buddy for their first six weeks.",
    ),
    (
        "Mentoring cohort",
        "mentoring-cohort",
        "mentoring",
        "mentoring-cohort",
        "Six months of fortnightly conversations between a mentee and a mentor from another team.",
    ),
    (
        "Peer support circles",
        "peer-circles",
        "peer_circle",
        "peer-circle",
        "Six to eight colleagues at a similar stage, from different teams, meeting every two weeks.",
    ),
    (
        "Career advice beyond the feed",
        "career-advice-beyond-the-feed",
        "campaign",
        "career-advice-campaign",
        "Short pieces on what social-media career advice can and cannot do for you.",
    ),
)


# A buddy works best nearby: the same location scores, without being required.
ONBOARDING_SETTINGS = {"weights": {"location": 6}, "constraints": {"in_person": True}}


def seed_demo(appbuilder: Any, password: str, seed: int = 7, today: date | None = None) -> str:
    """Create the demo organisation, programmes and logins; returns a one-line summary.

    Hire dates are relative to ``today``, so "hired in the last 90 days" stays true whenever it runs.
    """
    today = today or date.today()
    session = appbuilder.session
    if session.scalar(select(func.count(Person.id))):
        return "The directory already has people: demo data left as it is."
    rng = random.Random(seed)
    people = _organisation(rng, today)
    _staff_person(people).hire_date = today - timedelta(days=STAFF_TENURE)
    session.add_all(people)
    session.flush()
    programmes = _programmes(session, rng, people, today)
    seed_report_history(session, random.Random(seed + 6), programmes[1], programmes[3], today)  # for the reports
    _new_mentors(session, people, programmes[1], today)  # free places for HR's first matching run
    logins = _logins(appbuilder, people, password, today)
    staff_user = appbuilder.sm.find_user(username="staff")
    staff = next(p for p in people if p.user_id == staff_user.id)
    extra = _direct_reports_without_teams(random.Random(seed + 8), people, today)
    session.add_all(extra)
    people += extra
    session.commit()
    replay_onboarding(session, staff, days=STAFF_TENURE)
    # After the replay, so the campaign item it shows reaches `staff` after their onboarding check-in
    # and lands on the mentoring check-in, the next one.
    show_staff_around(session, staff_user, programmes[1], programmes[3])
    # The other newcomers' hires last: the engine onboards them when it runs, in real time (the replay
    # above would take up their events on its virtual clock, matching them before they were hired).
    newcomers = [p for p in people if p.hire_date >= today - NEWCOMER and p is not staff]
    record_events(session, [NewEvent("employee.hired", p.id, source="demo") for p in newcomers])
    session.commit()
    return (
        f"Seeded {len(people)} people in {len(DEPARTMENTS)} departments and {len(SITES)} locations, "
        f"{len(programmes)} programmes ({', '.join(p.name for p in programmes)}), logins: {', '.join(logins)}."
    )


def _person(
    rng: random.Random, today: date, number: int, department: str, manager: Person | None, level: int
) -> Person:
    site = (manager and rng.random() < 0.7 and _site_of(manager)) or rng.choice(SITES)
    title, skills = DEPARTMENTS[department]
    name, latin = draw_name(rng)
    tenure_days = rng.choice([rng.randint(1, 90), rng.randint(91, 1500), rng.randint(1500, 5500)])
    if level <= 1:
        tenure_days = max(tenure_days, 2000)
    titles = {
        0: "Chief Operating Officer",
        1: f"Head of {department}",
        2: f"{department} Lead",
    }
    seniority = max(0, min(10, 9 - 2 * level + rng.randint(0, 2) + tenure_days // 1500))
    return Person(
        employee_id=f"E{number:05d}",
        full_name=name,
        email=f"{address_part(latin)}.{number}@example.org",
        department=department,
        title=titles.get(level, f"{'Senior ' if seniority >= 5 else ''}{title}"),
        location=site.location,
        country=site.country,
        timezone=site.timezone,
        manager=manager,
        hire_date=today - timedelta(days=tenure_days),
        status="on_leave" if rng.random() < 0.03 else "active",
        seniority=seniority,
        remote=rng.random() < 0.3,
        skills=rng.sample(skills, k=min(len(skills), rng.randint(2, 3))),
        interests=rng.sample(INTERESTS, k=rng.randint(1, 3)),
        languages=list(site.languages[: rng.randint(1, len(site.languages))]),
    )


def _site_of(person: Person) -> Site:
    return next(site for site in SITES if site.location == person.location)


def _organisation(rng: random.Random, today: date) -> list[Person]:
    """A COO, a head per department, leads below them and teams below the leads (4 levels)."""
    counter = iter(range(1, 100_000))
    coo = _person(rng, today, next(counter), "People", None, 0)
    people = [coo]
    for department in DEPARTMENTS:
        head = _person(rng, today, next(counter), department, coo, 1)
        people.append(head)
        for _ in range(rng.randint(3, 4)):
            lead = _person(rng, today, next(counter), department, head, 2)
            people.append(lead)
            people += [_person(rng, today, next(counter), department, lead, 3) for _ in range(rng.randint(9, 13))]
    return people


def _direct_reports_without_teams(rng: random.Random, people: list[Person], today: date) -> list[Person]:
    """One or two people reporting straight to each head and leading nobody (a staff engineer, a coordinator).

    Added last, from their own random stream, so the rest of the demo stays as it was; in the manager
    report they are the small group that reads "fewer than 5".
    """
    heads = [p for p in people if p.title.startswith("Head of ")]
    numbers = iter(range(90_001, 100_000))
    extra = [
        _person(rng, today, next(numbers), head.department, head, 3) for head in heads for _ in range(rng.randint(1, 2))
    ]
    for person in extra:
        person.hire_date = min(person.hire_date, today - timedelta(days=400))  # not a newcomer to onboard
    return extra


def _programmes(session: Any, rng: random.Random, people: list[Person], today: date) -> list[Programme]:
    """The four programmes and their enrolments, each dated when the person could first have joined."""
    started = today - RUNNING_FOR
    onboarding, cohort, circles, campaign = programmes = [
        Programme(
            name=name,
            slug=slug,
            kind=kind,
            status="active",
            workflow=workflow,
            description=text,
            starts_on=started,
            matching_settings=ONBOARDING_SETTINGS if kind == "onboarding" else {},
            enrolment_rules={},
            # staff sign up under Me → Sign up: the cohort at once, the circles once HR approves
            signup_open=kind in ("mentoring", "peer_circle"),
            signup_needs_approval=kind == "peer_circle",
        )
        for name, slug, kind, workflow, text in PROGRAMMES
    ]
    session.add_all(programmes)

    def place(programme: Programme, person: Person, role: str, **values: Any) -> Enrolment:
        joined = datetime.combine(max(person.hire_date, started), time(9), tzinfo=UTC)
        return Enrolment(programme=programme, person=person, role=role, enrolled_at=joined, **values)

    recent = [p for p in people if p.hire_date >= today - timedelta(days=90)]
    veterans = [p for p in people if p.hire_date <= today - timedelta(days=1500) and p.seniority >= 4]
    enrolments = [place(onboarding, p, "mentee", goals=["find my feet"]) for p in recent]
    enrolments += [place(onboarding, p, "mentor", capacity=2) for p in veterans[:25]]
    mentees = rng.sample([p for p in people if p not in recent and p.seniority <= 4], k=40)
    enrolments += [place(cohort, p, "mentee", goals=rng.sample(DEPARTMENTS[p.department][1], k=2)) for p in mentees]
    # Four places each: the report history pairs most of the cohort's mentees with them.
    enrolments += [place(cohort, p, "mentor", capacity=4) for p in veterans[25:50]]
    juniors = [p for p in people if p not in recent and p not in mentees and p.seniority <= 4 and p.status == "active"]
    circle = rng.sample(juniors, k=min(30, len(juniors)))
    enrolments += [place(circles, p, "participant") for p in circle]
    enrolments += [place(campaign, p, "participant") for p in people if p.status == "active"]
    session.add_all(enrolments)
    session.flush()
    for content in builtin_campaigns():
        if content["programme"] == campaign.slug:
            load_campaign(session, campaign, content["items"])
    return programmes


def _new_mentors(session: Any, people: list[Person], cohort: Programme, today: date, count: int = 12) -> None:
    """Experienced colleagues who just volunteered as mentors: the cohort's waiting mentees can now be matched."""
    enrolled = set(session.scalars(select(Enrolment.person_id).where(Enrolment.programme_id == cohort.id)))
    veterans = [p for p in people if p.hire_date <= today - timedelta(days=1500) and p.seniority >= 4]
    volunteers = [p for p in veterans if p.id not in enrolled and p.status == "active"][:count]
    session.add_all(Enrolment(programme=cohort, person=p, role="mentor", capacity=2) for p in volunteers)
    session.flush()


def _staff_person(people: list[Person]) -> Person:
    """Who the ``staff`` login is: the first active engineer who is not a lead (made a newcomer by the caller)."""
    head = next(p for p in people if p.title == "Head of Engineering")
    return next(p for p in people if p.manager in head.reports and p.status == "active")


def _logins(appbuilder: Any, people: list[Person], password: str, today: date) -> list[str]:
    """The demo logins, each linked to a fitting person in the directory."""
    sm = appbuilder.sm
    head = next(p for p in people if p.title == "Head of Engineering")
    people_partner = next(p for p in people if p.department == "People" and p.manager and p.manager.manager)
    accounts = [
        ("admin", None, [sm.auth_role_admin]),
        ("hr", people_partner, [HR_ROLE, STAFF_ROLE]),
        ("manager", head, [MANAGER_ROLE, STAFF_ROLE]),
        ("staff", _staff_person(people), [STAFF_ROLE]),
    ]
    for username, person, role_names in accounts:
        roles = [sm.find_role(name) for name in role_names]
        if None in roles:
            raise RuntimeError("run `tandem init` before `tandem seed-demo`: the Tandem roles are missing")
        first, _, last = (person.full_name if person else "Demo Admin").partition(" ")
        email = person.email if person else "admin@example.org"
        user = sm.find_user(username=username) or sm.add_user(username, first, last, email, roles, password)
        if person is not None:
            person.user_id = user.id
    return [username for username, *_ in accounts]
