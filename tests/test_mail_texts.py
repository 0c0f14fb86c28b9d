"""A learning studio's own mail texts: what is refused, what is stored, the edit page and its preview."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.mail.compose import compose_text
from planner.mail.errors import MailTextError
from planner.mail.kinds import KINDS
from planner.mail.models import MailText, OutboxMessage
from planner.mail.services import compose
from planner.mail.texts import check_text, default_text, reset_text, save_text, text_in_use
from tests import factories

BODY = "Hallo {naam},\n\nWelkom bij {reeks}.\n\n{bijeenkomsten}\n\n{link}"


def refusal(kind: str, subject: str, body: str, language: str = "nl") -> MailTextError:
    with pytest.raises(MailTextError) as caught:
        check_text(KINDS[kind], language, subject, body)
    return caught.value


@pytest.mark.parametrize(
    ("subject", "body", "code", "field"),
    [
        ("{reeks}", "Hallo {voornaam},\n\n{link}", "unknown_placeholder", "body"),
        ("{reeks}", "{{ ''.__class__.__mro__ }}\n\n{link}", "unknown_placeholder", "body"),
        ("{reeks}", "{% for x in y %}{% endfor %}\n\n{link}", "unknown_placeholder", "body"),
        ("{reeks}", "{{ naam }}\n\n{link}", "stray_brace", "body"),
        ("{reeks}", "Hallo {naam\n\n{link}", "stray_brace", "body"),
        ("{reeks}", "Dit zijn ze: {bijeenkomsten}\n\n{link}", "block_not_alone", "body"),
        ("{reeks}", "", "body_empty", "body"),
        ("{reeks}", "   \n\n  ", "body_empty", "body"),
        ("{reeks}", "{omschrijving}", "body_empty", "body"),
        ("{reeks}", "Hallo {naam}, tot ziens.", "link_required", "body"),
        ("", BODY, "subject_empty", "subject"),
        ("{link}", BODY, "not_in_subject", "subject"),
        ("{reeks.__class__}", BODY, "unknown_placeholder", "subject"),
        ("{reden}", BODY, "unknown_placeholder", "subject"),  # not a placeholder of the invitation
    ],
)
def test_bad_texts_are_refused_with_the_field_they_are_about(db, subject, body, code, field):
    error = refusal("invitation", subject, body)
    assert (error.code, error.field) == (code, field)
    assert error.message


def test_an_unknown_placeholder_is_named_with_the_ones_that_work(db):
    error = refusal("invitation", "{reeks}", "Hallo {voornaam},\n\n{link}")
    assert "{voornaam}" in error.message
    assert "{naam}" in error.message
    assert "{bijeenkomsten}" in error.message


def test_english_and_dutch_names_both_work_and_spaces_are_allowed(db):
    check_text(KINDS["invitation"], "en", "{series}", "Dear { name },\n\n{sessions}\n\n{link}")
    check_text(KINDS["invitation"], "nl", "{reeks}", "Dear {name},\n\n{sessions}\n\n{LINK}")


def test_every_default_text_passes_its_own_check(db):
    for kind in KINDS.values():
        for language in ("nl", "en"):
            source = default_text(kind, language)
            check_text(kind, language, source.subject, source.body)


def _context(name: str, **more):
    class Person:
        pass

    person = Person()
    person.name = name

    class Series:
        title = "Ontmoeting Gendt"
        description = ""

    return {"person": person, "series": Series(), "link": "https://reeks.example/i/abc?x=1&y=2", "sessions": []} | more


def test_values_are_escaped_in_html_and_kept_in_text(app, db):
    kind = KINDS["invitation"]
    source = default_text(kind, "nl").__class__("{reeks}", "Hallo {naam}, <i>hoi</i>\n\n{link}")
    mail = compose_text(kind, "nl", source, _context('<img src=x onerror="alert(1)">'))
    assert "<img" not in mail.html
    assert "<i>hoi" not in mail.html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in mail.html
    assert 'href="https://reeks.example/i/abc?x=1&amp;y=2"' in mail.html
    assert 'Hallo <img src=x onerror="alert(1)">, <i>hoi</i>' in mail.text


def test_a_paragraph_with_an_empty_optional_placeholder_is_left_out(app, db):
    kind = KINDS["session_cancelled"]
    source = default_text(kind, "nl")
    without = compose_text(kind, "nl", source, _context("Fenna", reason=""))
    given = compose_text(kind, "nl", source, _context("Fenna", reason="De zaal is dicht."))
    assert "Reden" not in without.text
    assert "Reden" not in without.html
    assert "Reden: De zaal is dicht." in given.text
    assert "Reden: De zaal is dicht." in given.html


def test_one_round_composes_its_layout_once_and_fills_in_each_person(app, db):
    kind, cache = KINDS["invitation"], {}
    source = default_text(kind, "nl")
    first = compose_text(kind, "nl", source, _context("Fenna"), cache)
    second = compose_text(kind, "nl", source, _context("Sam & Kim"), cache)
    assert len([key for key in cache if key[0] == "mail-skeleton"]) == 1
    assert "Hallo Fenna," in first.text
    assert "Hallo Sam & Kim," in second.text
    assert "Hallo Sam &amp; Kim," in second.html
    assert "Fenna" not in second.html


def test_saving_stores_one_row_per_studio_kind_and_language_and_the_default_is_no_row(db, programme, organiser):
    save_text(programme.id, "invitation", "nl", "Welkom {naam}", BODY, actor_id=organiser.id)
    save_text(programme.id, "invitation", "nl", "Welkom bij {reeks}", BODY, actor_id=organiser.id)
    db.session.commit()
    rows = db.session.scalars(select(MailText)).all()
    assert [(r.kind, r.language, r.subject) for r in rows] == [("invitation", "nl", "Welkom bij {reeks}")]
    assert text_in_use(programme.id, KINDS["invitation"], "nl").custom
    assert not text_in_use(programme.id, KINDS["invitation"], "en").custom
    other = factories.make_programme(name="JIP")
    assert not text_in_use(other.id, KINDS["invitation"], "nl").custom, "texts belong to one studio"

    default = default_text(KINDS["invitation"], "nl")
    save_text(programme.id, "invitation", "nl", default.subject, default.body, actor_id=organiser.id)
    db.session.commit()
    assert db.session.scalar(select(func.count(MailText.id))) == 0, "saving the default removes the own text"

    save_text(programme.id, "reminder", "en", "{series}?", "Hi {name}\n\n{link}", actor_id=organiser.id)
    reset_text(programme.id, "reminder", "en")
    db.session.commit()
    assert db.session.scalar(select(func.count(MailText.id))) == 0


def test_a_refused_text_is_not_stored(db, programme, organiser):
    with pytest.raises(MailTextError):
        save_text(programme.id, "invitation", "nl", "{reeks}", "{{ ''.__class__ }}", actor_id=organiser.id)
    assert db.session.scalar(select(func.count(MailText.id))) == 0


def test_a_stored_text_that_no_longer_composes_gives_way_to_the_default(app, db, programme, organiser):
    db.session.add(MailText(programme_id=programme.id, kind="invitation", language="nl", subject="x", body="{oud}"))
    db.session.commit()
    mail = compose("invitation", "nl", _context("Fenna"), programme_id=programme.id)
    assert "Je bent uitgenodigd voor Ontmoeting Gendt." in mail.text
    assert "{oud}" not in mail.text


# -- the pages --------------------------------------------------------------------------------


def _url(programme, kind="invitation", language="nl"):
    return f"/programmes/{programme.slug}/mail-texts/{kind}/{language}"


def test_the_overview_lists_every_mail_in_both_languages(organiser_client, programme):
    page = organiser_client.get(f"/programmes/{programme.slug}/mail-texts/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for kind in KINDS:
        assert f"/mail-texts/{kind}/nl" in body
        assert f"/mail-texts/{kind}/en" in body


def test_the_edit_page_shows_the_default_its_placeholders_and_a_preview(db, organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    factories.make_invitation(series, name="Zeynep Yilmaz", email="zeynep@example.org")
    page = organiser_client.get(_url(programme))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "{bijeenkomsten}" in body, "the placeholders are documented"
    assert "{naam}" in body
    assert "srcdoc=" in body
    assert 'sandbox=""' in body
    assert "Zeynep Yilmaz" in body, "previewed with the studio's own data"
    assert "Ontmoeting Gendt" in body
    assert "/i/voorbeeld" in body, "the personal link in the preview is an example"


def test_preview_writes_nothing_and_save_stores_the_text(db, organiser_client, programme):
    data = {"subject": "Kom je naar {reeks}?", "body": "Dag {naam}!\n\n{bijeenkomsten}\n\n{link}"}
    page = organiser_client.post(_url(programme), data={**data, "action": "preview"})
    assert page.status_code == 200
    shown = page.get_data(as_text=True)
    assert "Dag Sam (voorbeeld)!" in shown, "no series yet: an example person"
    assert "Kom je naar Bijeenkomstenreeks (voorbeeld)?" in shown
    assert db.session.scalar(select(func.count(MailText.id))) == 0

    saved = organiser_client.post(_url(programme), data={**data, "action": "save"})
    assert saved.status_code == 302
    row = db.session.scalar(select(MailText))
    assert (row.kind, row.language, row.subject) == ("invitation", "nl", "Kom je naar {reeks}?")

    reset = organiser_client.post(_url(programme) + "/reset")
    assert reset.status_code == 302
    assert db.session.scalar(select(func.count(MailText.id))) == 0


@pytest.mark.parametrize(
    ("body", "dutch", "english"),
    [
        ("Hallo {voornaam}\n\n{link}", "is geen invulveld", "is not a placeholder"),
        ("{{ ''.__class__ }}\n\n{link}", "is geen invulveld", "is not a placeholder"),
        ("", "De mail zou leeg zijn", "The mail would be empty"),
        ("Hallo {naam}", "persoonlijke link", "personal link"),
    ],
)
def test_a_refused_text_is_a_422_in_the_readers_language_and_nothing_is_stored_or_queued(
    db, organiser_client, programme, body, dutch, english
):
    for action in ("save", "preview"):
        page = organiser_client.post(_url(programme), data={"subject": "{reeks}", "body": body, "action": action})
        assert page.status_code == 422
        assert dutch in page.get_data(as_text=True)
    organiser_client.post("/language", data={"lang": "en"})
    page = organiser_client.post(_url(programme), data={"subject": "{reeks}", "body": body, "action": "save"})
    assert page.status_code == 422
    assert english in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(MailText.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_unknown_mails_and_languages_are_404(organiser_client, programme):
    assert organiser_client.get(_url(programme, kind="geen")).status_code == 404
    assert organiser_client.get(_url(programme, language="de")).status_code == 404
    assert organiser_client.post(_url(programme, kind="geen") + "/reset").status_code == 404


def test_a_long_own_subject_with_a_long_title_and_name_still_fits_the_outbox(db, programme, organiser):
    subject = "{reeks} " * 20 + "{naam}"
    save_text(programme.id, "invitation", "nl", subject, BODY, actor_id=organiser.id)
    db.session.commit()
    series = factories.make_series(programme, organiser, title="Een lange titel " * 10)
    factories.make_invitation(series, name="Iemand met een lange naam " * 4, email="lang@example.org")
    (mail,) = db.session.scalars(select(OutboxMessage)).all()
    assert len(mail.subject) == 250
    assert mail.subject.startswith("Een lange titel")


def test_a_personal_note_of_a_sending_sits_above_the_signature_in_both_parts(app, db):
    kind = KINDS["reminder"]
    note = "Neem een <warme> jas mee."
    mail = compose_text(kind, "nl", default_text(kind, "nl"), _context("Fenna", note=note))
    assert "Neem een <warme> jas mee." in mail.text.split("Met vriendelijke groet,")[0]
    assert '<div class="note" style=' in mail.html
    assert "Neem een &lt;warme&gt; jas mee." in mail.html.split("Met vriendelijke groet,")[0]
    plain = compose_text(kind, "nl", default_text(kind, "nl"), _context("Fenna"))
    assert 'class="note"' not in plain.html
