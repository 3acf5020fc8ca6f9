"""A profile: saved and validated (a bad field is named, nothing half-saved), its photo re-encoded and stripped,
and seen only by the person, their pair and HR."""

from __future__ import annotations

import io
import re

import pytest
from organisation import build, login
from PIL import Image
from sqlalchemy import select

from tandem.plugin.models import Person, Profile


def token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def jpeg_with_exif(size=(1200, 800)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"where I live")
    return out.getvalue()


def save(client, photo: bytes | None = None, **fields):
    data = {
        "csrf_token": token(client, "/tandem/profile/"),
        "bio": "I build platforms.",
        "help_with": "platform engineering, public speaking",
        "want_to_learn": "negotiation",
        "languages": "es, en",
        "location": "Madrid",
        "timezone": "Europe/Madrid",
        "work_start": "08:00",
        "work_end": "16:00",
        **fields,
    }
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "me.jpg")
    return client.post("/tandem/profile/", data=data, content_type="multipart/form-data")


@pytest.fixture
def org(app):
    return build(app)


def stored(app, org) -> Profile | None:
    with app.app_context():
        return app.appbuilder.session.scalars(select(Profile).where(Profile.person_id == org.people["dev1"])).first()


def test_a_person_saves_their_profile_and_the_form_shows_it_again(app, org):
    client = app.test_client()
    login(client, "staff")
    assert save(client).status_code == 302
    profile = stored(app, org)
    assert profile.help_with == ["platform engineering", "public speaking"]
    assert profile.languages == ["es", "en"] and profile.timezone == "Europe/Madrid"
    page = client.get("/tandem/profile/").get_data(as_text=True)
    assert "<title>My profile" in page and "platform engineering, public speaking" in page
    assert 'value="08:00"' in page


def test_the_form_starts_from_what_the_directory_knows(app, org):
    with app.app_context():
        person = app.appbuilder.session.get(Person, org.people["dev1"])
        person.languages, person.location = ["pt"], "Lisboa"
        app.appbuilder.session.commit()
    client = app.test_client()
    login(client, "staff")
    page = client.get("/tandem/profile/").get_data(as_text=True)
    assert 'value="pt"' in page and 'value="Lisboa"' in page and 'value="Europe/Berlin"' in page


@pytest.mark.parametrize(
    ("fields", "photo", "named"),
    [
        ({"timezone": "Mars/Olympus"}, None, "timezone"),
        ({"work_start": "17:00", "work_end": "09:00"}, None, "work_end"),
        ({"work_start": "nine"}, None, "work_start"),
        ({"bio": "x" * 1001}, None, "bio"),
        ({}, b"GIF89a not really a picture", "photo"),
        ({}, b"%PDF-1.4 a document", "photo"),
    ],
)
def test_a_bad_field_is_refused_naming_it_and_nothing_is_saved(app, org, fields, photo, named):
    client = app.test_client()
    login(client, "staff")
    response = save(client, photo=photo, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{named}-error"' in page and f"{named}:" in page
    assert stored(app, org) is None


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(app, org):
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 million pixels in a few kilobytes
    assert len(out.getvalue()) < 200_000
    client = app.test_client()
    login(client, "staff")
    response = save(client, photo=out.getvalue())
    assert response.status_code == 400 and "photo:" in response.get_data(as_text=True)
    assert stored(app, org) is None


def test_a_photo_is_re_encoded_small_and_stripped_of_its_hidden_data(app, org):
    client = app.test_client()
    login(client, "staff")
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    assert save(client, photo=original).status_code == 302
    served = client.get(f"/tandem/people/{org.people['dev1']}/photo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    body = served.data
    assert b"SecretCam" not in body and b"where I live" not in body
    with Image.open(io.BytesIO(body)) as image:
        assert max(image.size) <= 512 and not image.getexif() and "icc_profile" not in image.info


def test_the_pair_and_hr_see_the_profile_and_photo_a_stranger_and_a_manager_do_not(app, org):
    owner = app.test_client()
    login(owner, "staff")  # dev1, mentee of sales_head
    assert save(owner, photo=jpeg_with_exif((64, 64))).status_code == 302
    dev1 = org.people["dev1"]
    with app.app_context():  # give sales_head (dev1's mentor) a login
        sm = app.appbuilder.sm
        staff = [sm.find_role("TandemStaff")]
        user = sm.add_user("mentor", "Men", "Tor", "mentor@login.example.org", staff, "pw-mentor-1")
        app.appbuilder.session.get(Person, org.people["sales_head"]).user_id = user.id
        app.appbuilder.session.commit()
    mentor = app.test_client()
    login(mentor, "mentor", "pw-mentor-1")
    for path in (f"/tandem/people/{dev1}/profile", f"/tandem/people/{dev1}/photo"):
        assert mentor.get(path).status_code == 200
    hr = app.test_client()
    login(hr, "hr")
    assert "I build platforms." in hr.get(f"/tandem/people/{dev1}/profile").get_data(as_text=True)
    manager = app.test_client()
    login(manager, "manager")  # dev1's manager's manager: participation only, never the profile
    for path in (f"/tandem/people/{dev1}/profile", f"/tandem/people/{dev1}/photo"):
        assert manager.get(path).status_code in (403, 404)
    # and dev1 cannot see a stranger's profile (dev2, their teammate, is not their pair)
    assert owner.get(f"/tandem/people/{org.people['dev2']}/profile").status_code == 404


def test_saving_without_the_csrf_token_is_refused(app, org):
    client = app.test_client()
    login(client, "staff")
    response = client.post("/tandem/profile/", data={"bio": "sneaky"}, content_type="multipart/form-data")
    assert response.status_code == 400 and stored(app, org) is None


def test_my_data_holds_my_profile_and_photo_and_erasure_removes_them(app, org):
    import json
    import zipfile

    from tandem.plugin.personaldata.erase import erase_person

    client = app.test_client()
    login(client, "staff")
    assert save(client, photo=jpeg_with_exif((64, 64))).status_code == 302
    bundle = zipfile.ZipFile(io.BytesIO(client.get("/tandem/my-data/download").data))
    data = json.loads(bundle.read("data.json"))
    assert data["profile"][0]["bio"] == "I build platforms." and data["profile"][0]["photo"] == "photo.jpg"
    assert bundle.read("photo.jpg")[:2] == b"\xff\xd8"
    with app.app_context():
        session = app.appbuilder.session
        person = session.get(Person, org.people["dev1"])
        person.status = "left"
        erase_person(session, person)
        session.commit()
    assert stored(app, org) is None


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(app, org):
    client = app.test_client()
    login(client, "staff")
    body = b"--x\r\n" + b"0" * (8 * 1024 * 1024)  # in memory: the test client spools a multipart dict to disk
    response = client.post("/tandem/profile/", data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert stored(app, org) is None
