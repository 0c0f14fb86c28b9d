"""Organiser pages of the invite step."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("invitations", __name__)
