"""A staff member signs up, fills their profile and sees the mentor suggested to them with the reasons in words,
then the pair's page: in chromium at 390 px and 1280 px, outside requests blocked, axe-core, no sideways scroll."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from browser import screenshot, sign_in
from organisation import PASSWORD, build
from PIL import Image
from sqlalchemy import select

from tandem.plugin.matchmaking import selfmatch
from tandem.plugin.models import Enrolment, MatchRequest, Person, Programme
from tandem.workflows.clock import SystemClock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "views"))
from browser import axe_source, serious_violations, sideways

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def open_cohort(app) -> dict[str, int]:
    """The test organisation plus a cohort taking sign-ups, with Dev3 (Spanish, platform engineering) mentoring."""
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        programme = Programme(
            name="Platform cohort",
            slug="platform-cohort",
            kind="mentoring",
            status="active",
            workflow="mentoring-cohort",
            signup_open=True,
            description="Six months with someone who runs our platform.",
        )
        dev3 = session.get(Person, org.people["dev3"])
        dev3.skills, dev3.languages, dev3.department = ["platform engineering"], ["es", "en"], "Platform"
        session.add_all([programme, Enrolment(programme=programme, person=dev3, role="mentor", capacity=2)])
        session.commit()
        return {"programme": programme.id, **org.people}


def check(page, label: str, title: str, problems: list[str], source: str) -> None:
    """The page names itself, fits without sideways scroll, passes axe; screenshot saved."""
    width = page.viewport_size["width"]
    if page.title() != f"{title} — Tandem":
        problems.append(f"{width}px {label}: title {page.title()!r}")
    scroll, client = sideways(page)
    if scroll > client:
        problems.append(f"{width}px {label}: scrolls sideways ({scroll} > {client})")
    problems += [f"{width}px {label}: {v}" for v in serious_violations(page, source)]
    screenshot(page, f"profile-{label}-{width}")


def test_sign_up_fill_the_profile_and_see_the_match_with_reasons_in_words(app, live_server, page):
    ids = open_cohort(app)
    source = axe_source()
    problems: list[str] = []
    sign_in(page, live_server, "staff", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})

    # sign up, from the Me menu's page
    page.goto(live_server.url + "/tandem/signup/")
    check(page, "signup-list", "Sign up for a programme", problems, source)
    page.get_by_role("link", name="Sign up for Platform cohort").click()
    check(page, "signup-form", "Sign up for Platform cohort", problems, source)
    page.get_by_label("a mentee: I want to learn").check()
    page.get_by_label("My goals").fill("platform engineering")
    page.get_by_label("When I am available").fill("Tuesday afternoons")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state("networkidle")
    assert page.title() == "My mentoring — Tandem"
    assert "You are signed up for Platform cohort as a mentee." in page.content()

    # fill the profile: a bad time zone is refused naming the field, then it is saved
    page.goto(live_server.url + "/tandem/profile/")
    check(page, "edit", "My profile", problems, source)
    page.get_by_label("About me").fill("Two years into backend work; curious about infrastructure.")
    page.get_by_label("Languages I speak").fill("es")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_label("Photo").set_input_files({"name": "me.png", "mimeType": "image/png", "buffer": photo()})
    page.get_by_role("button", name="Save my profile").click()
    assert "timezone:" in page.locator("#timezone-error").inner_text()
    page.get_by_label("Time zone").fill("Europe/Madrid")
    page.get_by_label("Photo").set_input_files({"name": "me.png", "mimeType": "image/png", "buffer": photo()})
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state("networkidle")
    assert "Your profile is saved." in page.content()
    assert page.locator("img.tandem-photo").evaluate("img => img.naturalWidth") > 0

    # browse mentors: the suggestion says why, in words
    page.goto(live_server.url + f"/tandem/matching/find/{ids['programme']}")
    why = page.locator(f"#suggestion-{ids['dev3']} .tandem-why").inner_text()
    assert "Dev3 can help with platform engineering, which you want to learn." in why
    assert "You both speak Spanish." in why
    check(page, "find", "Find a mentor in Platform cohort", problems, source)
    page.get_by_role("button", name="Ask Dev3").click()
    page.wait_for_load_state("networkidle")
    with app.app_context():  # Dev3 accepts (their own page is covered by the self-match tests)
        session = app.appbuilder.session
        asked = session.scalars(select(MatchRequest).where(MatchRequest.mentor_id == ids["dev3"])).one()
        selfmatch.accept(session, asked, SystemClock())
        session.commit()

    # the pair: reasons in words on My mentoring, and each other's profile
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/tandem/mentoring/")
        pairing = page.locator(".tandem-pairing", has_text="Platform cohort")
        said = pairing.locator(".tandem-why").inner_text()
        assert "Dev3 can help with platform engineering, which you want to learn." in said
        assert "You both speak Spanish." in said and "of shared working time." in said
        assert "platform engineering" in pairing.locator(".tandem-profile-card").inner_text()
        check(page, "mentoring", "My mentoring", problems, source)
        page.goto(live_server.url + f"/tandem/people/{ids['dev3']}/profile")
        check(page, "their-profile", "Profile of Dev3", problems, source)
        if width == 1280:
            for path, label, title in (
                ("/tandem/signup/", "signup-list", "Sign up for a programme"),
                ("/tandem/profile/", "edit", "My profile"),
            ):
                page.goto(live_server.url + path)
                check(page, label, title, problems, source)
    assert problems == [], "\n".join(problems)
    assert page.blocked == []
