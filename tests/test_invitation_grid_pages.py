"""The person × session grid on the invitations page: filters, paging, bulk actions, export, 422s."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from planner.attendance.services import mark
from planner.audit.models import AuditEvent
from planner.invitations.models import Invitation, Rsvp, Seat
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.people.services import find_or_create_organisation
from planner.series.services import publish_series
from tests import factories


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


@pytest.fixture
def english(organiser_client):
    organiser_client.post("/language", data={"lang": "en"})
    return organiser_client


def page_of(series, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/series/{series.id}/invitations" + (f"?{query}" if query else "")


def bulk_url(series):
    return f"/series/{series.id}/invitations/bulk"


def grid_names(page: str) -> list[str]:
    """The names in the grid's rows, in order."""
    import re

    return re.findall(r'<th scope="row" class="grid-name">([^<]+)', page)


def mails(db) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id))) or 0


def test_the_grid_shows_each_answer_and_attendance_per_session(english, db, series, organiser):
    one, two, _three, _four = series.sessions
    one.capacity = 1
    anna = factories.make_invitation(series, name="Anna")
    bram = factories.make_invitation(series, name="Bram")
    answer(anna, one, "yes")
    answer(bram, one, "yes")  # full: the waiting list
    answer(anna, two, "no")
    answer(bram, two, "maybe")
    mark(one, anna.person_id, "present", actor=organiser)
    db.session.commit()
    page = english.get(page_of(series)).get_data(as_text=True)
    assert grid_names(page) == ["Anna", "Bram"]
    anna_row = page.split('class="grid-name">Anna')[1].split("</tr>")[0]
    bram_row = page.split('class="grid-name">Bram')[1].split("</tr>")[0]
    assert ">Yes</span>" in anna_row
    assert "Present" in anna_row
    assert ">No</span>" in anna_row
    assert ">Waiting list 1</span>" in bram_row
    assert ">Maybe</span>" in bram_row
    assert ">No answer</span>" in anna_row  # the third session
    assert "1 of 1 places taken" in page
    assert "five" not in page
    assert "<h4>" not in page


def test_filters_narrow_the_grid(english, db, series):
    one = series.sessions[0]
    org = find_or_create_organisation("Bindkracht10", "Nijmegen")
    anna = factories.make_invitation(series, name="Anna Smit", role="volunteer", organisation_id=org.id)
    bram = factories.make_invitation(series, name="Bram", municipality="Beuningen", email=None)
    cor = factories.make_invitation(series, name="Cor", email="cor@example.org")
    answer(anna, one, "yes")
    answer(bram, one, "no")
    cor.needs_interpreter = True
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "cor@example.org"))
    message.status = "failed"
    db.session.commit()
    assert grid_names(english.get(page_of(series, search="smit")).get_data(as_text=True)) == ["Anna Smit"]
    assert grid_names(english.get(page_of(series, search="cor%40example")).get_data(as_text=True)) == ["Cor"]
    assert grid_names(english.get(page_of(series, answer="no", session=one.id)).get_data(as_text=True)) == ["Bram"]
    assert grid_names(english.get(page_of(series, answer="pending", session=one.id)).get_data(as_text=True)) == ["Cor"]
    assert grid_names(english.get(page_of(series, role="volunteer")).get_data(as_text=True)) == ["Anna Smit"]
    assert grid_names(english.get(page_of(series, organisation=org.id)).get_data(as_text=True)) == ["Anna Smit"]
    assert grid_names(english.get(page_of(series, municipality="Beuningen")).get_data(as_text=True)) == ["Bram"]
    assert grid_names(english.get(page_of(series, need="interpreter")).get_data(as_text=True)) == ["Cor"]
    assert grid_names(english.get(page_of(series, need="none")).get_data(as_text=True)) == ["Anna Smit", "Bram"]
    assert grid_names(english.get(page_of(series, mail="failed")).get_data(as_text=True)) == ["Cor"]
    assert grid_names(english.get(page_of(series, mail="letter")).get_data(as_text=True)) == ["Bram"]
    assert grid_names(english.get(page_of(series, mail="waiting")).get_data(as_text=True)) == ["Anna Smit"]
    empty = english.get(page_of(series, search="nobody-like-this")).get_data(as_text=True)
    assert "Nobody matches these filters." in empty


def test_the_grid_pages_by_fifty(english, db, series):
    for n in range(53):
        factories.make_invitation(series, name=f"Deelnemer {n:02d}")
    first = english.get(page_of(series)).get_data(as_text=True)
    assert len(grid_names(first)) == 50
    assert "Page 1 of 2" in first
    second = english.get(page_of(series, page=2)).get_data(as_text=True)
    assert grid_names(second) == ["Deelnemer 50", "Deelnemer 51", "Deelnemer 52"]
    assert "51–53 of 53 people" in second


def test_a_bad_filter_is_a_422_with_a_message(english, series):
    factories.make_invitation(series, name="Anna")
    for bad in ({"answer": "perhaps"}, {"session": "999999"}, {"page": "0"}, {"organisation": "x"}):
        response = english.get(page_of(series, **bad))
        assert response.status_code == 422, bad
        assert "Please check the form" in response.get_data(as_text=True)


def test_bulk_reminder_goes_to_the_chosen_who_have_not_answered(english, db, series):
    series.sessions[0]
    anna, bram, cor = (factories.make_invitation(series, name=n) for n in ("Anna", "Bram", "Cor"))
    for session in series.sessions:
        answer(bram, session, "yes")  # nothing left to remind Bram of
    db.session.commit()
    before = mails(db)
    response = english.post(
        bulk_url(series) + "?answer=pending",
        data={"chosen": [anna.id, bram.id], "action": "remind"},
    )
    assert response.status_code == 302
    assert "answer=pending" in response.headers["Location"]
    new = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(mails(db) - before)).all()
    assert [m.to_address for m in new] == [anna.person.email]
    assert "We hebben nog niets van je gehoord" in new[0].body_text
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "Reminder queued for 1 person." in page
    assert cor.person.email not in {m.to_address for m in new}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "remind"}, "Tick at least one person in the list."),
        ({"action": "remind", "chosen": "999999"}, "not invited to this series"),
        ({"action": "dance", "chosen": "{anna}"}, "Choose what to do with the chosen people."),
        ({"action": "remind", "chosen": "not-a-number"}, "Please check the form"),
        ({"action": "place", "chosen": "{anna}"}, "Choose at least one session."),
    ],
)
def test_bad_bulk_input_is_a_422_and_changes_nothing(english, db, series, data, message):
    anna = factories.make_invitation(series, name="Anna")
    data = {k: v.format(anna=anna.id) for k, v in data.items()}
    before = mails(db)
    response = english.post(bulk_url(series), data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert mails(db) == before


def test_ids_of_another_series_are_refused_whole(english, db, series, programme, organiser):
    other = factories.make_series(programme, organiser, title="Andere reeks")
    stranger = factories.make_invitation(other, name="Vreemde")
    anna = factories.make_invitation(series, name="Anna")
    response = english.post(
        bulk_url(series), data={"chosen": [anna.id, stranger.id], "action": "withdraw", "confirmed": "y"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Invitation, anna.id).revoked_at is None
    assert db.session.get(Invitation, stranger.id).revoked_at is None


def test_withdraw_asks_first_then_withdraws_all(english, db, series):
    anna, bram = factories.make_invitation(series, name="Anna"), factories.make_invitation(series, name="Bram")
    asked = english.post(bulk_url(series), data={"chosen": [anna.id, bram.id], "action": "withdraw"})
    assert asked.status_code == 200
    assert "Withdraw 2 invitations?" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitation, anna.id).revoked_at is None
    done = english.post(bulk_url(series), data={"chosen": [anna.id, bram.id], "action": "withdraw", "confirmed": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert all(db.session.get(Invitation, i.id).revoked_at is not None for i in (anna, bram))
    assert english.get(f"/i/{anna.token}").status_code == 404


def test_move_into_a_full_session_is_refused_then_allowed_over_the_maximum(english, db, series):
    one, two = series.sessions[0], series.sessions[1]
    two.capacity = 1
    holder = factories.make_invitation(series, name="Houder")
    answer(holder, two, "yes")
    anna, bram = factories.make_invitation(series, name="Anna"), factories.make_invitation(series, name="Bram")
    answer(anna, one, "yes")
    answer(bram, one, "yes")
    db.session.commit()
    data = {"chosen": [anna.id, bram.id], "action": "move", "from_session": one.id, "session": two.id}
    refused = english.post(bulk_url(series), data=data)
    assert refused.status_code == 422
    assert "has 0 free places for 2 people. Nothing was changed." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert {r.session_id: r.seat for r in db.session.get(Invitation, anna.id).rsvps}[one.id] == Seat.CONFIRMED
    assert english.post(bulk_url(series), data=data | {"over_capacity": "y", "send_confirmed": "1"}).status_code == 302
    db.session.expire_all()
    for invitation in (anna, bram):
        seats = {r.session_id: r.seat for r in db.session.get(Invitation, invitation.id).rsvps}
        assert seats[one.id] is None
        assert seats[two.id] == Seat.CONFIRMED


def test_place_by_hand_for_the_chosen(english, db, series):
    three = series.sessions[2]
    anna, bram = factories.make_invitation(series, name="Anna"), factories.make_invitation(series, name="Bram")
    response = english.post(
        bulk_url(series),
        data={"chosen": [anna.id, bram.id], "action": "place", "session": three.id, "send_confirmed": "1"},
    )
    assert response.status_code == 302
    confirmed = db.session.scalar(
        select(func.count(Rsvp.id)).where(Rsvp.session_id == three.id, Rsvp.seat == Seat.CONFIRMED)
    )
    assert confirmed == 2
    assert "2 people registered for" in english.get(page_of(series)).get_data(as_text=True)


def test_print_letters_for_the_chosen(english, db, series):
    anna = factories.make_invitation(series, name="Anna", email=None)
    factories.make_invitation(series, name="Bram", email=None)
    response = english.post(bulk_url(series), data={"chosen": [anna.id], "action": "letters"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Use the print function of your browser" in page
    assert "Anna" in page
    assert "Bram" not in page
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.object_type, event.action, event.detail) == ("letter", "export", f"persons: {anna.person_id}")


def test_export_says_who_said_what_with_needs_and_is_audited(english, db, series, organiser):
    one = series.sessions[0]
    anna = factories.make_invitation(series, name="Anna")
    bram = factories.make_invitation(series, name="=HYPERLINK(1)")
    answer(anna, one, "yes")
    mark(one, anna.person_id, "present", actor=organiser)
    anna.needs_childcare, anna.needs_other = True, "Rolstoel"
    db.session.commit()
    response = english.get(f"/series/{series.id}/invitations/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    header, by_name = rows[0], {row[0]: row for row in rows[1:]}
    assert header[:7] == ["Name", "E-mail", "Role", "Organisation", "Municipality", "Needs", "Mail status"]
    assert len(header) == 7 + 2 * len(series.sessions)
    assert by_name["Anna"][5] == "Childcare; Rolstoel"
    assert by_name["Anna"][7:9] == ["Yes", "Present"]
    assert "'=HYPERLINK(1)" in by_name  # a name that looks like a formula is neutralised
    kinds = {(e.object_type, e.action) for e in db.session.scalars(select(AuditEvent))}
    assert ("needs", "export") in kinds
    assert ("invitation_list", "export") in kinds
    filtered = english.get(f"/series/{series.id}/invitations/export.xlsx?need=any")
    sheet = load_workbook(io.BytesIO(filtered.data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Anna"]
    assert bram.person.name not in names


def test_needs_on_the_grid_are_audited(english, db, series):
    anna = factories.make_invitation(series, name="Anna")
    factories.make_invitation(series, name="Bram")
    anna.needs_access = True
    db.session.commit()
    page = english.get(page_of(series)).get_data(as_text=True)
    assert "Step-free access" in page
    needs = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "needs")).all()
    assert [(e.action, e.detail) for e in needs] == [("view", f"persons: {anna.person_id}")]
