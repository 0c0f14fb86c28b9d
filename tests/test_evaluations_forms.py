"""Built-in forms, building forms, and the versions a form gets once it has answers."""

import pytest

from planner.errors import DomainError
from planner.evaluations.answering import Answer, save_response
from planner.evaluations.catalogue import END_OF_SERIES, RESIDENTS, SESSION, ensure_builtin_forms
from planner.evaluations.models import (
    Channel,
    Condition,
    EvaluationForm,
    Moment,
    QuestionKind,
    SessionEvaluation,
)
from planner.evaluations.questions import (
    QuestionSpec,
    add_question,
    delete_question,
    move_question,
    update_question,
)
from planner.evaluations.services import FormDetails, choose_forms, copy_form, create_form, evaluation_of
from tests import evaluation_factories as ef, factories


def test_builtin_forms_are_loaded_once_with_labels_pairs_and_conditions(db):
    first = ensure_builtin_forms()
    db.session.commit()
    again = ensure_builtin_forms()
    db.session.commit()
    assert {k: f.id for k, f in first.items()} == {k: f.id for k, f in again.items()}
    assert db.session.query(EvaluationForm).count() == 3

    session_form = first[SESSION]
    overall = session_form.questions[0]
    assert overall.kind == QuestionKind.SMILEY
    assert len(overall.options) == 5
    assert overall.options[0].label_nl == "Heel slecht"
    assert overall.options[-1].label_en == "Very good"
    assert {q.kind for q in session_form.questions} >= {QuestionKind.AGREE, QuestionKind.MARK, QuestionKind.OPEN}
    assert any(q.condition == Condition.EMPOWERMENT for q in session_form.questions)

    pairs = {}
    for q in first[END_OF_SERIES].questions:
        if q.pair_key:
            pairs.setdefault(q.pair_key, set()).add(q.moment)
            assert q.condition is not None
    assert pairs
    assert all(moments == {Moment.BEFORE, Moment.NOW} for moments in pairs.values())

    residents = first[RESIDENTS]
    assert residents.anonymous
    assert all(len(q.options) == 3 for q in residents.questions if q.kind == QuestionKind.SMILEY)


def test_an_organiser_builds_a_form_with_every_kind_of_question(db, programme):
    form = create_form(programme, FormDetails(title_nl="Na de focusgroep", title_en="After the focus group"))
    specs = [
        QuestionSpec(QuestionKind.SMILEY, "Hoe was het?", options_nl=["Slecht", "Gewoon", "Goed"]),
        QuestionSpec(QuestionKind.AGREE, "Ik kan dit gebruiken.", condition=Condition.EMPOWERMENT, required=True),
        QuestionSpec(QuestionKind.MARK, "Cijfer?"),
        QuestionSpec(QuestionKind.YES_NO, "Kom je terug?"),
        QuestionSpec(
            QuestionKind.CHOICE,
            "Hoe kwam je hier?",
            options_nl=["Fiets", "Bus", "Lopen"],
            options_en=["Bike", "Bus", "Walking"],
        ),
        QuestionSpec(QuestionKind.MULTIPLE, "Wat hielp?", options_nl=["Uitleg", "Gesprek"]),
        QuestionSpec(QuestionKind.OPEN, "Nog iets?", text_en="Anything else?"),
    ]
    for spec in specs:
        form, _question = add_question(form, spec)
    db.session.commit()
    assert [q.position for q in form.questions] == list(range(1, 8))
    assert [q.kind for q in form.questions] == [s.kind for s in specs]
    assert form.questions[4].options[1].label("en") == "Bus"
    assert form.questions[1].required
    assert form.questions[1].condition == Condition.EMPOWERMENT
    assert form.version == 1
    assert not form.superseded


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (QuestionSpec(QuestionKind.CHOICE, "Kies", options_nl=["Alleen deze"]), "choice_needs_options"),
        (QuestionSpec(QuestionKind.SMILEY, "Hoe?", options_nl=["a", "b", "c", "d"]), "smiley_labels"),
        (QuestionSpec(QuestionKind.OPEN, "   "), "question_text_required"),
        (QuestionSpec(QuestionKind.CHOICE, "Kies", options_nl=["a", "b"], options_en=["a"]), "english_options_count"),
        (QuestionSpec(QuestionKind.AGREE, "Voor", pair_key="p"), "pair_incomplete"),
        (QuestionSpec("slider", "Schuif"), "unknown_question_kind"),
    ],
)
def test_a_question_that_cannot_work_is_refused_with_a_reason(db, programme, spec, code):
    form = create_form(programme, FormDetails(title_nl="Test"))
    with pytest.raises(DomainError) as error:
        add_question(form, spec)
    assert error.value.code == code
    assert form.questions == []


def test_builtin_forms_are_copied_not_changed(db, programme):
    builtin = ensure_builtin_forms()[SESSION]
    with pytest.raises(DomainError) as error:
        delete_question(builtin, "overall")
    assert error.value.code == "builtin_form_read_only"
    copy = copy_form(builtin, programme)
    db.session.commit()
    assert copy.programme_id == programme.id
    assert copy.lineage != builtin.lineage
    assert [q.key for q in copy.questions] == [q.key for q in builtin.questions]
    copy = delete_question(copy, "overall")
    assert len(copy.questions) == len(builtin.questions) - 1
    assert [q.position for q in copy.questions] == list(range(1, len(copy.questions) + 1))


def test_questions_move_up_and_down(db, programme):
    form = copy_form(ensure_builtin_forms()[SESSION], programme)
    keys = [q.key for q in form.questions]
    form = move_question(form, keys[2], "up")
    assert [q.key for q in form.questions][:3] == [keys[0], keys[2], keys[1]]
    form = move_question(form, keys[0], "up")  # already first: nothing happens
    assert form.questions[0].key == keys[0]
    form = move_question(form, keys[-1], "down")
    assert form.questions[-1].key == keys[-1]


def test_a_form_with_answers_is_frozen_and_an_edit_makes_a_new_version(db, programme, organiser):
    series = ef.past_series(programme, organiser)
    answered_session, open_session = series.sessions[0], series.sessions[1]
    form = copy_form(ensure_builtin_forms()[SESSION], programme)
    db.session.commit()
    choose_forms(series, {answered_session.id: form.id, open_session.id: form.id}, 2)
    db.session.commit()
    overall = form.questions[0]
    save_response(answered_session, form, [Answer(overall, value=4, option=overall.options[3])], channel=Channel.PAPER)
    db.session.commit()

    new = update_question(
        form,
        "overall",
        QuestionSpec(QuestionKind.SMILEY, "Hoe vond je het?", options_nl=["Niet leuk", "Gewoon", "Leuk"]),
    )
    db.session.commit()
    assert new.id != form.id
    assert (new.lineage, new.version) == (form.lineage, 2)
    assert form.superseded
    assert not new.superseded
    assert [q.key for q in new.questions] == [q.key for q in form.questions]
    assert form.questions[0].text_nl == "Hoe vond je de bijeenkomst?", "the answered version is unchanged"
    assert len(form.questions[0].options) == 5
    assert len(new.questions[0].options) == 3
    assert evaluation_of(answered_session).form_id == form.id, "answered sessions keep their version"
    assert evaluation_of(open_session).form_id == new.id, "sessions without answers move on"

    with pytest.raises(DomainError) as error:
        update_question(form, "overall", QuestionSpec(QuestionKind.OPEN, "Oud"))
    assert error.value.code == "form_superseded"

    third = delete_question(new, "better")  # no answers on version 2 yet: changed in place
    assert third.id == new.id
    assert "better" not in [q.key for q in third.questions]
    assert db.session.query(SessionEvaluation).count() == len(series.sessions), "one per session, no more"


def test_a_session_with_answers_keeps_its_form(db, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    forms = ensure_builtin_forms()
    evaluation = evaluation_of(session)
    assert evaluation.form_id == forms[SESSION].id, "the built-in session form by default"
    form = forms[SESSION]
    save_response(
        session, form, [Answer(form.questions[0], value=5, option=form.questions[0].options[4])], channel=Channel.PAPER
    )
    db.session.commit()
    with pytest.raises(DomainError) as error:
        choose_forms(series, {session.id: forms[END_OF_SERIES].id}, 2)
    assert error.value.code == "session_has_responses"
    other = factories.make_programme(name="Ander atelier")
    foreign = create_form(other, FormDetails(title_nl="Van een ander"))
    with pytest.raises(DomainError) as error:
        choose_forms(series, {series.sessions[1].id: foreign.id}, 2)
    assert error.value.code == "unknown_form"
    with pytest.raises(DomainError) as error:
        choose_forms(series, {}, 400)
    assert error.value.code == "delay_out_of_range"
