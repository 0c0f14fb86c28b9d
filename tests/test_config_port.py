"""`make run PORT=5050` serves on that port, and the links the app sends out follow it unless BASE_URL is set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from planner import create_app
from planner.config import load_config
from planner.extensions import db
from planner.links import external_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_port(monkeypatch):
    for name in ("PORT", "FLASK_RUN_PORT", "BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_port_or_base_url_links_point_at_the_default_port(no_port, tmp_path):
    assert load_config(str(tmp_path), debug=True)["BASE_URL"] == "http://127.0.0.1:5000"


def test_links_follow_the_port(no_port, tmp_path):
    no_port.setenv("PORT", "5050")
    assert load_config(str(tmp_path), debug=True)["BASE_URL"] == "http://127.0.0.1:5050"
    no_port.delenv("PORT")
    no_port.setenv("FLASK_RUN_PORT", "8123")  # `flask run --port` without make
    assert load_config(str(tmp_path), debug=True)["BASE_URL"] == "http://127.0.0.1:8123"


def test_base_url_wins_over_the_port(no_port, tmp_path):
    no_port.setenv("PORT", "5050")
    no_port.setenv("BASE_URL", "https://reeks.example.org/planner")
    assert load_config(str(tmp_path), debug=False)["BASE_URL"] == "https://reeks.example.org/planner"


@pytest.mark.parametrize("port", ["abc", "0", "70000", "-1", "50 50"])
def test_a_port_that_is_no_port_stops_the_start_with_a_clear_message(no_port, tmp_path, port):
    no_port.setenv("PORT", port)
    with pytest.raises(RuntimeError, match="is not a port number"):
        load_config(str(tmp_path), debug=True)


def test_a_personal_link_made_outside_a_request_uses_the_port(no_port, tmp_path, database_url):
    no_port.setenv("PORT", "5050")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        link = external_url("participant.personal_page", token="abc")
        feed = external_url("feeds.personal_feed", token="abc")
        db.engine.dispose()
    assert link == "http://127.0.0.1:5050/i/abc"
    assert feed.startswith("http://127.0.0.1:5050/")


def test_make_run_hands_the_port_to_the_demo_and_the_server():
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=5050"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    demo = next(line for line in plan.splitlines() if " demo " in line)
    server = next(line for line in plan.splitlines() if "flask run" in line)
    assert "PORT=5050" in demo
    assert "PORT=5050" in server
    assert "--port 5050" in server
