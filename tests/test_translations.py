"""Dutch first, English second: both catalogues cover every string in the code."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("planner/**.py", "python"), ("planner/templates/**.html", "jinja2")]


def messages_in_code() -> set:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"planner/templates/**.html": {}}
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_is_complete(language):
    with (ROOT / f"planner/translations/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    in_catalogue = {m.id: m for m in catalogue if m.id}
    missing = messages_in_code() - set(in_catalogue)
    assert not missing, f"run `make extract-messages` and translate: {sorted(map(str, missing))[:10]}"
    untranslated = [
        m.id
        for m in in_catalogue.values()
        if not (all(m.string) if isinstance(m.string, tuple) else m.string) or m.fuzzy
    ]
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"


def test_dutch_is_the_default_and_english_can_be_chosen(client):
    assert "Inloggen" in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert client.post("/language", data={"lang": "fr"}).status_code == 400


def test_a_logged_in_users_language_is_remembered(client, organiser, db):
    from tests.conftest import login

    login(client, organiser.email)
    client.post("/language", data={"lang": "en"})
    db.session.expire_all()
    assert db.session.get(type(organiser), organiser.id).locale == "en"
    assert "Upcoming sessions" in client.get("/sessions").get_data(as_text=True)
