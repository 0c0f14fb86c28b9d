"""The letters pages (print, mark printed, undo) and the short code typed from a letter at /code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.invitations.codes import CODE_ALPHABET, new_codes, normalised, shown
from planner.invitations.models import Answer, Invitation, Letter
from planner.invitations.services import answer, revoke_invitation
from planner.series.services import publish_series, update_session
from tests import factories
from tests.factories import details_of

IDS = re.compile(r'name="ids" type="hidden" value="([0-9,]+)"')
PRINTED_AT = re.compile(r'name="printed_at" type="hidden" value="([^"]+)"')


@pytest.fixture
def series(db, programme, organiser):
    organiser.phone = "06 1234 5678"
    series = factories.make_series(programme, organiser, count=4, title="Ontmoeting Gendt")
    publish_series(series)
    db.session.commit()
    return series


@pytest.fixture
def piet(db, series):
    return factories.make_invitation(series, name="Piet Papier", email=None)


def unprinted(db) -> list[Letter]:
    return list(db.session.scalars(select(Letter).where(Letter.printed_at.is_(None)).order_by(Letter.id)))


def test_the_letter_has_the_organisers_name_and_phone_a_reply_slip_the_qr_and_the_code(organiser_client, series, piet):
    page = organiser_client.get(f"/series/{series.id}/letters")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<article class="letter"') == 1
    assert "Olga Organiser" in html
    assert "06 1234 5678" in html
    assert "Antwoordstrook" in html, "a reply slip"
    assert "Knip deze strook af" in html, "to cut off"
    assert html.count('class="box"') == 3 * 4, "yes / maybe / no for each of the four meetings"
    assert "data:image/svg+xml" in html, "the QR code"
    assert shown(piet.short_code) in html
    assert "/code en typ deze code" in html
    assert piet.token in html, "the long link stays on the letter"


def test_printing_marks_the_letters_printed_and_it_can_be_undone(organiser_client, db, series, piet):
    other = factories.make_invitation(series, name="Kees", email=None)
    page = organiser_client.get(f"/series/{series.id}/letters").get_data(as_text=True)
    assert page.count('<article class="letter"') == 2
    ids = IDS.search(page).group(1)
    later = factories.make_invitation(series, name="Later", email=None)  # after the page was printed

    done = organiser_client.post(f"/series/{series.id}/letters/printed", data={"ids": ids})
    assert done.status_code == 302
    left = unprinted(db)
    assert [letter.invitation_id for letter in left] == [later.id], "only the letters that were on the page"
    printed = db.session.scalars(select(Letter).where(Letter.printed_at.is_not(None))).all()
    assert {letter.invitation_id for letter in printed} == {piet.id, other.id}
    assert all(letter.printed_by_id is not None for letter in printed)

    page = organiser_client.get(f"/series/{series.id}/letters").get_data(as_text=True)
    assert page.count('<article class="letter"') == 1
    when = PRINTED_AT.search(page).group(1)
    undone = organiser_client.post(f"/series/{series.id}/letters/undo", data={"printed_at": when})
    assert undone.status_code == 302
    db.session.expire_all()
    assert len(unprinted(db)) == 3


def test_marking_refuses_ids_that_are_not_ids_and_changes_nothing(organiser_client, db, series, piet):
    for ids in ["", "abc", "1,,2", "99999999999"]:
        response = organiser_client.post(f"/series/{series.id}/letters/printed", data={"ids": ids})
        assert response.status_code == 422, ids
    response = organiser_client.post(f"/series/{series.id}/letters/undo", data={"printed_at": "gisteren"})
    assert response.status_code == 422
    assert len(unprinted(db)) == 1


def test_another_series_letters_are_not_marked_from_this_page(organiser_client, db, programme, organiser, series, piet):
    elsewhere = factories.make_series(programme, organiser, count=4, title="Elders")
    theirs = factories.make_invitation(elsewhere, name="Elders", email=None)
    letter = db.session.scalar(select(Letter).where(Letter.invitation_id == theirs.id))
    organiser_client.post(f"/series/{series.id}/letters/printed", data={"ids": str(letter.id)})
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).printed_at is None


def test_all_series_page_lists_the_letters_of_every_series_one_organises(organiser_client, db, programme, series, piet):
    organiser = series.created_by
    elsewhere = factories.make_series(programme, organiser, count=4, title="Elders")
    factories.make_invitation(elsewhere, name="Els", email=None)
    answer(piet, series.sessions[0], Answer.YES)
    db.session.commit()
    session = series.sessions[0]
    update_session(session, details_of(session, day=session.local_start.date() + timedelta(days=1)))
    db.session.commit()

    html = organiser_client.get("/letters").get_data(as_text=True)
    assert html.count('<article class="letter"') == 3, "two invitations and the move"
    assert "Elders" in html
    assert "Ontmoeting Gendt" in html
    ids = IDS.search(html).group(1)
    assert organiser_client.post("/letters/printed", data={"ids": ids}).status_code == 302
    assert unprinted(db) == []


def test_codes_have_no_look_alikes_and_are_typed_in_any_case_with_spaces(db):
    codes = new_codes(500)
    assert len(set(codes)) == 500
    assert set("".join(codes)) <= set(CODE_ALPHABET)
    assert not set("0O1lIL") & set(CODE_ALPHABET)
    code = codes[0]
    typed = " ".join(shown(code).lower())
    assert normalised(typed) == code
    assert normalised(code[:-1] + "0") is None, "a look-alike is not a code"


def test_the_code_page_leads_to_the_personal_page(client, piet):
    typed = f"  {shown(piet.short_code).lower()[:4]} {piet.short_code[4:].lower()} "
    response = client.post("/code", data={"code": typed})
    assert response.status_code == 303
    assert response.location.endswith(f"/i/{piet.token}")
    assert client.get(response.location).status_code == 200


def test_wrong_codes_get_one_neutral_answer(client, db, series, piet):
    other = factories.make_invitation(series, name="Ingetrokken", email=None)
    revoke_invitation(other)
    db.session.commit()
    answers = set()
    for typed in ["ABCD-EFGH", "hallo", "0000-0000", other.short_code, "x" * 40]:
        response = client.post("/code", data={"code": typed})
        assert response.status_code == 422, typed
        html = response.get_data(as_text=True)
        answers.add(re.search(r'<p class="error"[^>]*>(.*?)</p>', html).group(1))
    assert len(answers) == 1, answers


def test_codes_are_throttled_per_client_even_the_right_one(app, client, piet):
    limit = app.config["LETTER_CODE_MAX_TRIES_PER_CLIENT"]
    for n in range(limit):
        assert client.post("/code", data={"code": f"WRNG-{CODE_ALPHABET[n]}AAA"}).status_code == 422
    refused = client.post("/code", data={"code": piet.short_code})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "minuten" in refused.get_data(as_text=True)
    elsewhere = client.post("/code", data={"code": piet.short_code}, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert elsewhere.status_code == 303, "another client address is not held up"


def test_the_database_refuses_a_code_twice(db, series, piet):
    other = factories.make_invitation(series, name="Tweede", email=None)
    other.short_code = piet.short_code
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(Invitation).where(Invitation.id == other.id)).short_code != piet.short_code


def test_the_code_of_a_link_past_its_last_session_is_as_wrong_as_any(app, client, db, series, piet):
    grace = timedelta(days=app.config["INVITATION_LINK_DAYS_AFTER_SERIES"])
    for session in series.sessions:  # the whole series long over
        session.starts_at -= timedelta(days=400) + grace
        session.ends_at -= timedelta(days=400) + grace
    db.session.commit()
    response = client.post("/code", data={"code": piet.short_code})
    assert response.status_code == 422
    assert "Deze code kennen we niet" in response.get_data(as_text=True)


def test_the_organiser_types_in_a_reply_slip_and_the_answers_count_as_given(organiser_client, db, series, piet):
    from planner.invitations.forms import answer_field_name
    from planner.invitations.models import AnsweredVia, Rsvp

    page = organiser_client.get(f"/series/{series.id}/invitations/{piet.id}/reply-slip")
    assert page.status_code == 200
    first, second = series.sessions[0], series.sessions[1]
    data = {answer_field_name(first): "yes", answer_field_name(second): "no"}
    done = organiser_client.post(f"/series/{series.id}/invitations/{piet.id}/reply-slip", data=data)
    assert done.status_code == 302
    rsvps = {r.session_id: r for r in db.session.scalars(select(Rsvp).where(Rsvp.invitation_id == piet.id))}
    assert (rsvps[first.id].answer, rsvps[first.id].seat) == ("yes", "confirmed")
    assert rsvps[second.id].answer == "no"
    assert rsvps[first.id].answered_via == AnsweredVia.PAPER
    assert rsvps[series.sessions[2].id].answer == "pending", "an empty line on the slip changes nothing"

    refused = organiser_client.post(
        f"/series/{series.id}/invitations/{piet.id}/reply-slip", data={answer_field_name(first): "misschien"}
    )
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Rsvp, rsvps[first.id].id).answer == "yes"
