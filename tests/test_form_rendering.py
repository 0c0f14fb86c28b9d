"""Form fields render as WTForms renders them, only faster (planner.forms.html_params)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from planner.forms import WTFORMS_HTML_PARAMS, html_params
from tests import factories

ATTRIBUTES = [
    {"id": "session_1-0", "name": "session_1", "type": "radio", "value": "yes", "checked": True},
    {"name": "needs_access", "type": "checkbox", "value": "y", "checked": False, "required": True},
    {"class_": "wide", "for_": "name", "data_field_name": "x_y", "aria_describedby": "name-hint name-error"},
    {"value": 'Anna "de Vries" <script>&', "placeholder": Markup("<b>kept</b>")},
    {"value": Markup('a "quoted" markup'), "maxlength": 500, "min": 0, "step": None},
    {},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_attributes_read_exactly_as_wtforms_writes_them(attributes):
    ours = html_params(**attributes)
    assert ours == WTFORMS_HTML_PARAMS(**attributes)
    assert isinstance(ours, Markup)


def test_what_a_participant_typed_comes_back_escaped_in_their_form(db, client, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, name='Anna "<b>" & Co', email="anna@example.org")
    db.session.commit()
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert 'value="Anna &#34;&lt;b&gt;&#34; &amp; Co"' in page
    assert "<b>" not in page
    assert f'id="session_{series.sessions[0].id}-0" name="session_{series.sessions[0].id}" type="radio"' in page
