"""The shipped campaign "Career advice beyond the feed": complete, consistent with its workflow, loaded by init."""

from __future__ import annotations

from sqlalchemy import select

from tandem.plugin.bootstrap import initialise
from tandem.plugin.content import builtin_campaigns
from tandem.plugin.models import CampaignItem, Programme
from tandem.workflows.builtin import builtin_definitions

SLUG = "career-advice-beyond-the-feed"


def campaign() -> dict:
    return next(c for c in builtin_campaigns() if c["programme"] == SLUG)


def test_every_item_has_a_body_a_reflection_question_a_check_in_prompt_and_a_quiz_with_a_right_answer():
    items = campaign()["items"]
    assert 5 <= len(items) <= 6
    for item in items:
        assert len(item["body"].split()) >= 60, f"{item['slug']} says something substantial"
        assert item["reflection_question"].strip().endswith("?")
        assert item["checkin_prompt"].strip()
        quiz = item["quiz"]
        assert quiz["question"].endswith("?") and len(quiz["options"]) >= 2
        assert 0 <= quiz["answer"] < len(quiz["options"])


def test_the_campaign_workflow_names_exactly_the_shipped_items_in_order():
    definition = next(d for d in builtin_definitions() if d.name == "career-advice-campaign")
    named = [step.options["item"] for step in definition.steps if step.kind == "campaign_item"]
    assert named == [item["slug"] for item in campaign()["items"]]
    assert definition.programme == SLUG


def test_init_loads_the_items_into_the_campaign_programme_once(app):
    with app.app_context():
        session = app.appbuilder.session
        session.add(Programme(name="Career advice beyond the feed", slug=SLUG, kind="campaign", status="active"))
        session.commit()
        initialise(app)
        initialise(app)
        rows = session.scalars(select(CampaignItem).order_by(CampaignItem.position)).all()
        assert [row.slug for row in rows] == [item["slug"] for item in campaign()["items"]]
        assert [row.position for row in rows] == [1, 2, 3, 4, 5]
