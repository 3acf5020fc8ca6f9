"""Lists that grow come a page at a time: the first page links to the next, the next shows the older rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from organisation import build, login

from tandem.plugin.models import CheckIn, Notification, Pairing
from tandem.plugin.views.paging import PAGE_SIZE

MANY = PAGE_SIZE + 5
START = datetime(2025, 1, 6, 9, tzinfo=UTC)


@pytest.fixture
def staff(app):
    """dev1 (login "staff") with a long history: MANY answered check-ins and MANY messages, one a week."""
    org = build(app)
    with app.app_context():
        session = app.appbuilder.session
        pairing = session.get(Pairing, org.pairings["sales_head>dev1"])
        for week in range(MANY):
            moment = START + timedelta(weeks=week)
            session.add(
                CheckIn(
                    pairing=pairing,
                    respondent_id=org.people["dev1"],
                    sequence=100 + week,
                    due_at=moment,
                    completed_at=moment,
                    status="completed",
                    rating=3,
                )
            )
            session.add(
                Notification(
                    recipient_id=org.people["dev1"],
                    channel="in_app",
                    template="introduction",
                    context={"subject": f"Weekly note {week:02d}"},
                    idempotency_key=f"paging-{week}",
                    status="sent",
                    created_at=moment,
                    sent_at=moment,
                )
            )
        session.commit()
    client = app.test_client()
    login(client, "staff")
    return client


def test_the_inbox_shows_a_page_of_messages_and_links_to_the_older_ones(staff):
    first = staff.get("/tandem/inbox/").get_data(as_text=True)
    assert f"Weekly note {MANY - 1:02d}" in first and "Weekly note 00" not in first
    assert 'href="/tandem/inbox/?page=2"' in first
    second = staff.get("/tandem/inbox/?page=2").get_data(as_text=True)
    assert "Weekly note 00" in second and f"Weekly note {MANY - 1:02d}" not in second
    assert 'href="/tandem/inbox/?page=1"' in second and "?page=3" not in second


def test_past_check_ins_come_a_page_at_a_time(staff):
    first = staff.get("/tandem/check-ins/").get_data(as_text=True)
    assert f"<td>{100 + MANY - 1}</td>" in first and "<td>100</td>" not in first
    assert 'href="/tandem/check-ins/?page=2"' in first
    second = staff.get("/tandem/check-ins/?page=2").get_data(as_text=True)
    assert "<td>100</td>" in second and f"<td>{100 + MANY - 1}</td>" not in second
    assert 'href="/tandem/check-ins/?page=1"' in second


def test_the_timeline_shows_the_newest_of_what_happened_and_links_to_the_older(staff):
    first = staff.get("/tandem/timeline/").get_data(as_text=True)
    assert f"Weekly note {MANY - 1:02d}" in first and "Weekly note 00" not in first
    assert 'href="/tandem/timeline/?page=2"' in first
    last = staff.get("/tandem/timeline/?page=3").get_data(as_text=True)
    assert "Weekly note 00" in last and "check-in 100: 3/5" in last
    assert 'href="/tandem/timeline/?page=2"' in last and "?page=4" not in last


@pytest.mark.parametrize("page", ["0", "two", "-1", "99999999"])
def test_a_page_number_that_is_none_is_refused_naming_the_field(staff, page):
    response = staff.get(f"/tandem/inbox/?page={page}")
    assert response.status_code == 400
    assert "page: a whole number" in response.get_data(as_text=True)
