"""The person × session grid in a real browser: filter it, tick people, send them a reminder;
then the check-in screen shows what they need. Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from planner.extensions import db as _db
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.series.services import publish_series
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in_in_english(page: Page, browse, organiser) -> None:
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    page.get_by_label("Taal").select_option("en")
    browse.follow(page.get_by_role("button", name="Wissel"))


def test_organiser_filters_the_grid_and_reminds_the_chosen(page: Page, browse, db, organiser, series):
    first = series.sessions[0]
    anna, bram, cor = (factories.make_invitation(series, name=name) for name in ("Anna", "Bram", "Cor"))
    answer(cor, first, "yes")
    anna.needs_childcare = True
    db.session.commit()
    last_mail = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))

    page.set_viewport_size(WIDE)
    log_in_in_english(page, browse, organiser)
    browse.visit(f"/series/{series.id}/invitations")
    grid = page.get_by_role("table").filter(has_text="Role and organisation")
    expect(grid.get_by_role("row")).to_have_count(4)  # the header and three people
    expect(grid.get_by_role("row").filter(has_text="Anna")).to_contain_text("Childcare")
    assert fits_the_screen(page)

    page.get_by_label("Answer", exact=True).select_option("pending")
    page.get_by_label("In session").select_option(str(first.id))
    browse.follow(page.get_by_role("button", name="Filter", exact=True))
    expect(grid.get_by_role("row")).to_have_count(3)
    expect(grid).not_to_contain_text("Cor")

    page.get_by_label("Choose Anna").check()
    page.get_by_label("Choose Bram").check()
    browse.follow(page.get_by_role("button", name="Remind", exact=True))
    expect(page.locator("#sending-counts")).to_contain_text("2 people get a mail")  # shown before it goes
    browse.follow(page.get_by_role("button", name="Send", exact=True))

    expect(page.get_by_role("status").filter(has_text="Reminders")).to_contain_text("Reminders queued for 2 people.")
    expect(page.get_by_label("Answer", exact=True)).to_have_value("pending")  # the filter stays
    _db.session.expire_all()
    sent = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > last_mail)).all()
    assert sorted(m.to_address for m in sent) == sorted([anna.person.email, bram.person.email])

    page.set_viewport_size(PHONE)
    assert fits_the_screen(page), "the grid scrolls inside its own region, the page does not"

    answer(anna, first, "yes")
    _db.session.commit()
    browse.visit(f"/series/{series.id}/sessions/{first.id}/check-in")
    expect(page.locator(f"#person-{anna.person_id}")).to_contain_text("Needs: Childcare")
    expect(page.locator(f"#person-{cor.person_id}")).not_to_contain_text("Needs")
    assert fits_the_screen(page)
