"""Bulk actions on the people chosen on the grid: each does everything, or nothing at all."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.extensions import db as _db
from planner.invitations.bulk import (
    chosen_invitations,
    letters_for_chosen,
    move_chosen,
    place_chosen,
    plan_reminders,
    plan_withdrawal,
    remind_chosen,
    send_mailing,
    withdraw_chosen,
)
from planner.invitations.errors import InvitationError
from planner.invitations.models import Invitation, Rsvp, Seat
from planner.invitations.services import answer, revoke_invitation
from planner.mail.models import OutboxMessage
from planner.series.services import cancel_session, publish_series
from planner.timekeeping import utcnow
from tests import factories


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def outbox() -> int:
    return _db.session.scalar(select(func.count(OutboxMessage.id))) or 0


def seats(invitation) -> dict[int, Seat | None]:
    _db.session.refresh(invitation)
    return {r.session_id: r.seat for r in invitation.rsvps}


def invite(series, *names, **overrides):
    return [factories.make_invitation(series, name=name, **overrides) for name in names]


def test_chosen_invitations_refuses_nobody_unknown_ids_and_other_series(series, programme, organiser):
    anna, bram = invite(series, "Bram", "Anna")
    assert [i.person.name for i in chosen_invitations(series, [anna.id, bram.id])] == ["Anna", "Bram"]
    other = factories.make_invitation(factories.make_series(programme, organiser, title="Andere reeks"))
    for ids, code in (([], "nobody_chosen_in_grid"), ([anna.id, 999_999], "unknown_invitations")):
        with pytest.raises(InvitationError) as error:
            chosen_invitations(series, ids)
        assert error.value.code == code
    with pytest.raises(InvitationError) as error:
        chosen_invitations(series, [anna.id, other.id])
    assert error.value.code == "unknown_invitations"


def test_planning_reminders_lists_what_would_be_sent_and_sends_nothing(series):
    anna, emma = invite(series, "Anna", "Emma")
    emma.person.language = "en"
    (bram,) = invite(series, "Bram", email=None)
    (cor,) = invite(series, "Cor")
    for session in series.sessions:
        answer(cor, session, "no")
    (dina,) = invite(series, "Dina")
    dina.person.mail_withdrawn_at = utcnow()
    answer(anna, series.sessions[0], "yes")
    _db.session.commit()
    before = outbox()
    chosen = chosen_invitations(series, [i.id for i in (anna, emma, bram, cor, dina)])

    mailing = plan_reminders(chosen)

    assert outbox() == before
    assert not _db.session.dirty
    assert not _db.session.new
    assert [(p.invitation.person.name, len(p.sessions)) for p in mailing.mails] == [("Anna", 3), ("Emma", 4)]
    assert mailing.languages == {"nl": 1, "en": 1}
    assert [p.invitation.person.name for p in mailing.letters] == ["Bram"]
    assert [i.person.name for i in mailing.left_out] == ["Cor", "Dina"]

    assert send_mailing(mailing) == 2
    _db.session.commit()
    queued = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(2)).all()
    assert {m.to_address for m in queued} == {anna.person.email, emma.person.email}
    assert {m.language for m in queued} == {"nl", "en"}


def test_nothing_to_remind_is_refused(series):
    (anna,) = invite(series, "Anna")
    for session in series.sessions:
        answer(anna, session, "maybe")
    before = outbox()
    with pytest.raises(InvitationError) as error:
        remind_chosen(chosen_invitations(series, [anna.id]))
    assert error.value.code == "nothing_to_remind"
    assert outbox() == before


def test_withdraw_refuses_all_when_one_is_withdrawn_already(series):
    anna, bram, cor = invite(series, "Anna", "Bram", "Cor")
    revoke_invitation(bram)
    _db.session.commit()
    chosen = chosen_invitations(series, [anna.id, bram.id, cor.id])
    with pytest.raises(InvitationError) as error:
        withdraw_chosen(chosen)
    assert error.value.code == "chosen_revoked"
    assert error.value.params == {"name": "Bram"}
    assert anna.revoked_at is None
    assert cor.revoked_at is None


def test_planning_a_withdrawal_lists_the_calendar_cancellations_it_would_send(series):
    one, two = series.sessions[0], series.sessions[1]
    anna, bram, cor = invite(series, "Anna", "Bram", "Cor")
    answer(anna, one, "yes")
    answer(anna, two, "maybe")
    answer(bram, one, "no")
    answer(cor, one, "yes")
    cor.person.mail_withdrawn_at = utcnow()
    _db.session.commit()
    before, last = outbox(), _db.session.scalar(select(func.max(OutboxMessage.id)))
    mailing = plan_withdrawal(chosen_invitations(series, [anna.id, bram.id, cor.id]))
    assert outbox() == before
    assert [(p.invitation.person.name, p.sessions) for p in mailing.mails] == [("Anna", [one, two])]
    assert [i.person.name for i in mailing.left_out] == ["Bram", "Cor"]
    withdraw_chosen(chosen_invitations(series, [anna.id, bram.id, cor.id]))
    _db.session.commit()
    sent = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > last)).all()
    cancels = [m for m in sent if m.calendar_method == "CANCEL"]
    assert sorted(m.to_address for m in cancels) == [anna.person.email, anna.person.email]


def test_withdraw_gives_the_seats_to_the_waiting_list(series):
    session = series.sessions[0]
    session.capacity = 2
    anna, bram, cor, dina = invite(series, "Anna", "Bram", "Cor", "Dina")
    for invitation in (anna, bram, cor, dina):
        answer(invitation, session, "yes")
    _db.session.commit()
    assert withdraw_chosen(chosen_invitations(series, [anna.id, bram.id])) == 2
    _db.session.commit()
    assert anna.revoked_at is not None
    assert bram.revoked_at is not None
    assert seats(cor)[session.id] == Seat.CONFIRMED
    assert seats(dina)[session.id] == Seat.CONFIRMED


def test_move_refuses_a_full_session_and_changes_nothing(series):
    one, two = series.sessions[0], series.sessions[1]
    two.capacity = 2
    (holder,) = invite(series, "Houder")
    answer(holder, two, "yes")
    anna, bram = invite(series, "Anna", "Bram")
    answer(anna, one, "yes")
    answer(bram, one, "yes")
    _db.session.commit()
    chosen = chosen_invitations(series, [anna.id, bram.id])
    with pytest.raises(InvitationError) as error:
        move_chosen(series, chosen, one, two)
    assert error.value.code == "session_full"
    assert error.value.params == {"title": two.title, "free": 1, "needed": 2}
    _db.session.flush()
    assert seats(anna) == {s.id: (Seat.CONFIRMED if s is one else None) for s in series.sessions}


def test_move_refuses_all_when_one_is_not_invited_to_the_first_session(series):
    one, two = series.sessions[0], series.sessions[1]
    (anna,) = invite(series, "Anna")
    bram = factories.make_invitation(series, name="Bram", sessions=[two])
    answer(anna, one, "yes")
    _db.session.commit()
    with pytest.raises(InvitationError) as error:
        move_chosen(series, chosen_invitations(series, [anna.id, bram.id]), one, two)
    assert error.value.code == "chosen_not_invited"
    assert seats(anna)[one.id] == Seat.CONFIRMED


def test_move_moves_everyone_and_frees_their_seats(series):
    one, two = series.sessions[0], series.sessions[1]
    one.capacity = 2
    anna, bram, waiter = invite(series, "Anna", "Bram", "Wachter")
    for invitation in (anna, bram, waiter):
        answer(invitation, one, "yes")
    _db.session.commit()
    assert seats(waiter)[one.id] == Seat.WAITING
    assert move_chosen(series, chosen_invitations(series, [anna.id, bram.id]), one, two) == 2
    _db.session.commit()
    for invitation in (anna, bram):
        assert seats(invitation)[one.id] is None
        assert seats(invitation)[two.id] == Seat.CONFIRMED
    assert seats(waiter)[one.id] == Seat.CONFIRMED  # moved up into a freed seat


def test_move_refuses_the_same_session_and_a_session_of_another_series(series, programme, organiser):
    (anna,) = invite(series, "Anna")
    other = factories.make_series(programme, organiser, title="Andere reeks")
    chosen = chosen_invitations(series, [anna.id])
    for from_session, to_session, code in (
        (series.sessions[0], series.sessions[0], "same_session"),
        (series.sessions[0], other.sessions[0], "session_not_in_series"),
        (other.sessions[0], series.sessions[0], "session_not_in_series"),
    ):
        with pytest.raises(InvitationError) as error:
            move_chosen(series, chosen, from_session, to_session)
        assert error.value.code == code


def test_place_by_hand_keeps_to_the_maximum_unless_asked(series):
    session = series.sessions[3]
    session.capacity = 1
    anna, bram = invite(series, "Anna", "Bram")
    chosen = chosen_invitations(series, [anna.id, bram.id])
    with pytest.raises(InvitationError) as error:
        place_chosen(series, chosen, session)
    assert error.value.code == "session_full"
    assert seats(anna)[session.id] is None
    assert place_chosen(series, chosen, session, over_capacity=True) == 2
    _db.session.commit()
    confirmed = select(func.count(Rsvp.id)).where(Rsvp.session_id == session.id, Rsvp.seat == Seat.CONFIRMED)
    assert _db.session.scalar(confirmed) == 2


def test_place_by_hand_refuses_a_cancelled_or_past_session(series):
    (anna,) = invite(series, "Anna")
    cancelled, later = series.sessions[1], series.sessions[2]
    cancel_session(cancelled, "Zaal bezet")
    _db.session.commit()
    chosen = chosen_invitations(series, [anna.id])
    for session, now in ((cancelled, None), (later, later.starts_at + timedelta(minutes=1))):
        with pytest.raises(InvitationError) as error:
            place_chosen(series, chosen, session, now=now)
        assert error.value.code == "session_not_open"
    assert all(seat is None for seat in seats(anna).values())


def test_letters_only_for_active_invitations(series):
    anna, bram = invite(series, "Anna", "Bram", email=None)
    assert letters_for_chosen(chosen_invitations(series, [anna.id, bram.id])) == [anna, bram]
    revoke_invitation(bram)
    _db.session.commit()
    with pytest.raises(InvitationError) as error:
        letters_for_chosen(chosen_invitations(series, [anna.id, bram.id]))
    assert error.value.code == "chosen_revoked"
    assert _db.session.get(Invitation, anna.id).revoked_at is None
