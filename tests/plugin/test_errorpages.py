"""Error pages are plain and kind: the intranet's layout, a sentence of what to do, no internals."""

from __future__ import annotations

from organisation import build, login


def test_a_missing_page_says_so_in_words_with_a_way_home(app):
    build(app)
    client = app.test_client()
    login(client, "staff")
    response = client.get("/no/such/page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no such page" in body and "Go to the start page" in body
    assert "<title>There is no such page — " in body and "The requested URL was not found" not in body


def test_a_form_sent_without_its_csrf_token_is_a_kind_400_page(app):
    build(app)
    client = app.test_client()
    login(client, "staff")
    response = client.post("/tandem/campaign/1/acknowledge", data={})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form had expired" in body and "nothing was saved" in body and "CSRF token is missing" not in body


def test_a_page_refused_to_a_role_is_a_kind_403_page(app):
    build(app)
    client = app.test_client()
    login(client, "manager")
    response = client.get("/mentoring/feedback/completion.csv")
    assert response.status_code == 403
    assert "This page is not yours to see" in response.get_data(as_text=True)


def test_the_api_keeps_answering_json(app):
    response = app.test_client().get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.is_json and "message" in response.json
