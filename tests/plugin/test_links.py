"""Signed links: genuine ones read back, tampered, re-purposed and expired ones are told apart."""

from __future__ import annotations

import time

import pytest

from tandem.plugin.links import LinkError, absolute_url, make_token, read_token


def test_a_genuine_link_gives_back_its_payload(app):
    with app.app_context():
        token = make_token("checkin-answer", {"checkin": 7, "rating": 4})
        assert read_token("checkin-answer", token).payload == {"checkin": 7, "rating": 4}


def test_a_changed_character_makes_the_link_tampered(app):
    with app.app_context():
        token = make_token("checkin-answer", {"checkin": 7, "rating": 4})
        forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        with pytest.raises(LinkError) as raised:
            read_token("checkin-answer", forged)
        assert raised.value.reason == "tampered"


def test_a_link_made_for_one_purpose_is_refused_for_another(app):
    with app.app_context():
        token = make_token("preferences", {"person": 3})
        with pytest.raises(LinkError) as raised:
            read_token("checkin-answer", token)
        assert raised.value.reason == "tampered"


def test_an_old_link_is_expired(app, monkeypatch):
    app.config["TANDEM_LINK_MAX_AGE_DAYS"] = 1
    with app.app_context():
        two_days_ago = time.time() - 2 * 86400
        with monkeypatch.context() as clock:
            clock.setattr(time, "time", lambda: two_days_ago)  # itsdangerous stamps tokens with time.time()
            token = make_token("checkin-answer", {"checkin": 7, "rating": 4})
        with pytest.raises(LinkError) as raised:
            read_token("checkin-answer", token)
        assert raised.value.reason == "expired"


def test_links_in_e_mails_use_the_public_address(app):
    app.config["TANDEM_BASE_URL"] = "https://intranet.example.org/"
    with app.app_context():
        assert absolute_url("/tandem/answer/x") == "https://intranet.example.org/tandem/answer/x"
