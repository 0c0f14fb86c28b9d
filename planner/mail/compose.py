"""Compose a mail: the organiser's text (or a template) in the one layout, with its CSS inlined.

A round of 2,000 invitations must not render and inline 2,000 times. What is the same for the
whole round (the text, the series, the sessions, the signature, the note) is composed once per
language with markers where the person's name and link go, its CSS inlined (css-inline), and
kept in the round's ``cache``; each message is then that *skeleton* with the markers replaced by
the escaped name and link. A single mail takes the same path without a cache.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import css_inline
from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from planner.mail.errors import MailTextError
from planner.mail.kinds import MailKind
from planner.mail.placeholders import Values, fill_html, fill_subject, fill_text
from planner.mail.texts import TextSource, check_text, default_text

log = logging.getLogger(__name__)

# Keep @media rules in a <style> of their own: clients that read them narrow the mail on phones.
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)

_MARK = uuid.uuid4().hex
NAME_MARK, LINK_MARK = f"reeksname{_MARK}", f"reekslink{_MARK}"


@dataclass(frozen=True)
class Signature:
    """Who signs a mail and how to reach them: the series' organiser, or the studio alone."""

    name: str
    studio: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Skeleton:
    subject: str
    text: str
    html: str

    def fill(self, name: str, link: str) -> Composed:
        def plain(value: str) -> str:
            return value.replace(NAME_MARK, name).replace(LINK_MARK, link)

        html = self.html.replace(NAME_MARK, str(escape(name))).replace(LINK_MARK, str(escape(link)))
        return Composed(" ".join(plain(self.subject).split()), plain(self.text), html)


def inline_css(html: str) -> str:
    return INLINER.inline(html)


def compose_template(template: str, language: str, context: Mapping[str, Any]) -> Composed:
    """A mail that is not the organiser's to word: ``mail/<template>.subject.txt``, .txt, .html."""
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    return Composed(subject, text, inline_css(html))


def _shared(context: Mapping[str, Any]) -> tuple:
    """Everything besides the person's name and link that the mail shows (the cache key)."""
    series = context.get("series")
    return (
        getattr(series, "title", ""),
        getattr(series, "description", "") or "",
        tuple(context.get("sessions") or ()),
        tuple(context.get("changes") or ()),
        context.get("reason") or "",
        context.get("when") or "",
        context.get("note") or "",
        context.get("signature"),
        context.get("privacy_url", ""),
        context.get("accessibility_url", ""),
    )


def _values(context: Mapping[str, Any], name: str, link: str) -> Values:
    series = context.get("series")
    sessions, changes = context.get("sessions") or [], context.get("changes") or []
    return Values(
        inline={
            "name": name,
            "series": getattr(series, "title", ""),
            "description": getattr(series, "description", "") or "",
            "reason": context.get("reason") or "",
            "when": context.get("when") or "",
            "link": link,
        },
        html_blocks={
            "sessions": Markup(render_template("mail/_sessions.html", sessions=sessions)) if sessions else Markup(""),
            "changes": Markup(render_template("mail/_changes.html", changes=changes)) if changes else Markup(""),
        },
        text_blocks={
            "sessions": render_template("mail/_sessions.txt", sessions=sessions) if sessions else "",
            "changes": render_template("mail/_changes.txt", changes=changes) if changes else "",
        },
    )


def _skeleton(
    kind: MailKind, language: str, source: TextSource, context: Mapping[str, Any], strict: bool = False
) -> Skeleton:
    with force_locale(language):
        try:
            checked = check_text(kind, language, source.subject, source.body)
        except MailTextError:
            if strict:
                raise
            # Stored texts were checked when saved; should one no longer fit, the default goes out.
            log.warning("mail text for %s (%s) no longer composes; the default is used", kind.key, language)
            checked = check_text(kind, language, *_pair(default_text(kind, language)))
        values = _values(context, NAME_MARK, LINK_MARK)
        subject = fill_subject(checked.subject, values)
        page = {**context, "person": None, "subject": subject}
        body_html = fill_html(checked.body, values, str(kind.button_label))
        html = render_template("mail/text.html", body=body_html, **page)
        text = render_template("mail/text.txt", body=fill_text(checked.body, values), **page)
    return Skeleton(subject, text, inline_css(html))


def _pair(source: TextSource) -> tuple[str, str]:
    return source.subject, source.body


def compose_text(
    kind: MailKind,
    language: str,
    source: TextSource,
    context: Mapping[str, Any],
    cache: dict | None = None,
    *,
    strict: bool = False,
) -> Composed:
    """The organiser's text for ``kind`` filled in for the person and link in ``context``.

    ``strict`` (the preview of a text being edited) raises its ``MailTextError``; otherwise a
    stored text that no longer composes gives way to the default, so the outbox never gets it."""
    person = context.get("person")
    name, link = getattr(person, "name", "") or "", context.get("link") or ""
    try:
        key: tuple | None = ("mail-skeleton", kind.key, language, source.subject, source.body, _shared(context))
        hash(key)
    except TypeError:  # a value that cannot be a key: compose this one without the cache
        key = None
    skeleton = cache.get(key) if cache is not None and key is not None else None
    if skeleton is None:
        skeleton = _skeleton(kind, language, source, context, strict)
        if cache is not None and key is not None:
            cache[key] = skeleton
    return skeleton.fill(name, link)
