"""The timeline announces only what will still happen to me, in the zone I chose in my preferences."""

from __future__ import annotations

from organisation import login
from selfservice_support import csrf, onboarding_with_an_open_check_in, open_checkin

from tandem.workflows.preferences import stored_preferences


def coming(page: str) -> str:
    return page.split('id="tandem-coming"')[1].split("</table>")[0]


def test_an_answered_check_in_leaves_what_comes_next_and_its_reminder_goes_with_it(app):
    org, _clock = onboarding_with_an_open_check_in(app)
    client = app.test_client()
    login(client, "staff")
    before = coming(client.get("/tandem/timeline/").get_data(as_text=True))
    assert "A reminder about check-in 1" in before, "announced while check-in 1 is open"
    assert "Check-in 1 is open for your answer" in before
    checkin_id = open_checkin(app, org.people["dev1"])
    token = csrf(client, "/tandem/inbox/")
    data = {"csrf_token": token, "rating": "4", "private_note": "", "shared_note": ""}
    assert client.post(f"/tandem/check-ins/{checkin_id}/answer", data=data).status_code == 302
    after = coming(client.get("/tandem/timeline/").get_data(as_text=True))
    assert "check-in 1" not in after.lower().replace("check-in 1 opens", ""), after
    assert "Check-in 2 opens" in after, "what is still planned stays"


def test_times_follow_the_zone_chosen_in_my_notification_preferences(app):
    org, _clock = onboarding_with_an_open_check_in(app)
    with app.app_context():
        session = app.appbuilder.session
        stored_preferences(session, org.people["dev1"]).timezone = "America/New_York"
        session.commit()
    client = app.test_client()
    login(client, "staff")
    for path in ("/tandem/timeline/", "/tandem/inbox/", "/tandem/check-ins/"):
        page = client.get(path).get_data(as_text=True)
        assert "EST" in page and "CET" not in page, path
    assert "times in America/New_York" in client.get("/tandem/timeline/").get_data(as_text=True)
