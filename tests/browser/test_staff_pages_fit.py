"""Every staff page of the demo world fits a phone (375 px) and a laptop (1280 px), and passes axe-core.

The demo (planner/demo.py, what ``make run`` loads) is the world a newcomer first sees. The admin
opens each page a staff member can reach with GET, for an upcoming series with invitations and for
a finished round with evaluations; the trekker and the organiser open their own home pages. A page
fails when it scrolls sideways or breaks a word over two lines (tests/browser/layout.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from planner.auth.models import StaffUser
from planner.demo import ADMIN_EMAIL, DEMO_PASSWORD
from planner.evaluations.catalogue import SESSION
from planner.evaluations.models import EvaluationForm
from planner.evaluations.services import builtin_form, copy_form
from planner.extensions import db
from planner.invitations.models import Invitation
from planner.people.models import Organisation
from planner.programmes.models import Programme
from planner.series.models import Series, SeriesStatus
from tests.browser.layout import layout_problems, problems_at
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Not staff pages: personal links and door codes, files and feeds, the debug mailbox, the login.
NOT_STAFF_PAGES = (
    "static",
    "auth.login",
    "statements.",
    "participant.",
    "privacy.my_data",
    "privacy.delete_confirm",
    "attendance.door",
    "attendance.personal",
    "evaluation_participant.",
    "feeds.",
    "dashboard.staff_feed",
    "mail.",
)
DOWNLOADS = ("_download", "audit.export", "invitation_grid.export")


def _staff_endpoints(app) -> dict[str, list[str]]:
    """Endpoint → the names of its URL variables, for every staff page (GET, HTML)."""
    found = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(NOT_STAFF_PAGES):
            continue
        if any(part in rule.endpoint for part in DOWNLOADS) or (rule.endpoint == "series.month" and rule.arguments):
            continue
        found[rule.endpoint] = sorted(rule.arguments)
    return found


def _demo_values() -> list[dict]:
    """URL values for an upcoming series with answers and a finished, evaluated round."""
    armoede = db.session.scalar(select(Programme).where(Programme.slug == "armoede"))
    form = db.session.scalar(select(EvaluationForm).where(EvaluationForm.programme_id == armoede.id).limit(1))
    if form is None:  # the studio's own form, as an organiser makes one from the built-in form
        form = copy_form(builtin_form(SESSION), armoede, actor=None)
        db.session.commit()
    common = {
        "slug": armoede.slug,
        "form_id": form.id,
        "key": form.questions[0].key,
        "person_id": db.session.scalar(select(Invitation.person_id).limit(1)),
        "organisation_id": db.session.scalar(select(Organisation.id).limit(1)),
        "user_id": db.session.scalar(select(StaffUser.id).where(StaffUser.email != ADMIN_EMAIL).limit(1)),
        "mail_kind": "invitation",
        "language": "nl",
    }
    found = []
    busiest = (
        select(Series)
        .join(Invitation, Invitation.series_id == Series.id)
        .where(Series.status == SeriesStatus.PUBLISHED)
        .group_by(Series.id)
        .order_by(func.count(Invitation.id).desc(), Series.id)
    )
    finished = select(Series).where(Series.title == "Ontmoeting Bemmel")
    for query in (finished, busiest):
        series = db.session.scalars(query).first()
        session = next(s for s in series.sessions if not s.is_cancelled)
        invitation = db.session.scalar(select(Invitation).where(Invitation.series_id == series.id).limit(1))
        found.append(
            common
            | {"series_id": series.id, "session_id": session.id, "invitation_id": invitation.id if invitation else 0}
        )
    return found


def _load_demo(app) -> None:
    """The whole demo, evaluated rounds included, as ``make run`` loads it."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _log_in(page: Page, browse, email: str) -> None:
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))


def test_every_staff_page_of_the_demo_fits_a_phone_and_a_laptop(app, page: Page, browse):
    _load_demo(app)
    urls = {}
    endpoints = _staff_endpoints(app)
    with app.test_request_context():
        from flask import url_for

        for values in _demo_values():
            for endpoint, arguments in endpoints.items():
                if all(values.get(a) for a in arguments):
                    urls.setdefault(url_for(endpoint, **{a: values[a] for a in arguments}), endpoint)
    assert len(set(urls.values())) == len(endpoints), sorted(set(endpoints) - set(urls.values()))

    _log_in(page, browse, ADMIN_EMAIL)
    problems: list[str] = []
    failed: list[str] = []
    for url, endpoint in sorted(urls.items()):
        page.set_viewport_size({"width": 1280, "height": 800})
        response = browse.visit(url)
        if response is None or response.status != 200:
            failed.append(f"{url} ({endpoint}): {response.status if response else 'no response'}")
            continue
        problems += problems_at(page)
    problems = failed + problems
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("ruud.hendriks@example.org", "Te doen"),
        ("sanne.devries@example.org", "Laatste evaluaties van je leerateliers"),
    ],
)
def test_the_home_pages_of_an_organiser_and_a_trekker_fit(app, page: Page, browse, email, heading):
    _load_demo(app)
    _log_in(page, browse, email)
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    problems = problems_at(page)
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_page_that_scrolls_sideways_and_a_broken_word(page: Page):
    page.set_content(
        '<body style="margin:0"><div style="width:600px">Breed</div>'
        '<p style="width:60px;overflow-wrap:anywhere">Bewustwordingsbijeenkomst</p>'
        '<p class="visually-hidden" style="width:1px">Verborgen tekst</p>'
        '<p style="width:60px">e-mailadres https://example.org/een/lange/link</p></body>'
    )
    page.set_viewport_size({"width": 375, "height": 600})
    problems = layout_problems(page)
    assert problems[0].startswith("scrolls sideways: 600 px wide in 375 px")
    assert problems[1] == "words broken over two lines: Bewustwordingsbijeenkomst"


def test_on_a_phone_the_header_is_one_line_and_the_menu_opens(page: Page, browse, organiser):
    page.set_viewport_size({"width": 375, "height": 800})
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    header = page.locator(".header-row")
    brand = page.get_by_role("link", name="Reeks", exact=True)
    toggle = page.get_by_role("button", name="Menu")
    assert header.bounding_box()["height"] < 2 * brand.bounding_box()["height"] + 24
    assert toggle.bounding_box()["y"] < brand.bounding_box()["y"] + brand.bounding_box()["height"]
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    browse.follow(menu.get_by_role("link", name="Maand", exact=True))
    assert not problems_at(page, widths=(375,))


def test_messages_and_form_errors_get_the_focus(page: Page, browse, organiser):
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit("/account")
    browse.follow(page.get_by_role("button", name="Mijn agendafeed maken"))
    expect(page.locator(".flashes")).to_be_focused()
    expect(page.locator(".flashes")).to_contain_text("Je agendafeed staat klaar")
    browse.follow(page.get_by_role("button", name="Wachtwoord wijzigen"))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_be_in_viewport()
