"""Placeholders in the organiser's mail texts: read them, check them, fill them in.

Deliberately small instead of a template language: a text is paragraphs of plain words with
``{naam}``-style placeholders (Dutch or English names, see ``PLACEHOLDERS``) and nothing else. There
is no expression, attribute, loop or filter to inject: any other ``{...}`` is refused when the text
is saved, and every value is escaped when the HTML part is made. A block placeholder (the
sessions, what changed) and a personal link on a line of their own become the session block and the
button of the layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import LazyString, lazy_gettext as _l
from markupsafe import Markup, escape

from planner.mail.errors import MailTextError

FIELD = re.compile(r"\{([^{}]*)\}")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Placeholder:
    key: str
    nl: str
    en: str
    meaning: LazyString
    block: bool = False  # a block of its own (a list), never inside a sentence
    may_be_empty: bool = False  # a paragraph with it is left out when it is empty
    in_subject: bool = True

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.nl

    def written(self, language: str) -> str:
        return "{" + self.name(language) + "}"


PLACEHOLDERS = {
    p.key: p
    for p in (
        Placeholder("name", "naam", "name", _l("the participant's name")),
        Placeholder("series", "reeks", "series", _l("the title of the series")),
        Placeholder(
            "description",
            "omschrijving",
            "description",
            _l("the description of the series; a paragraph with it is left out when there is none"),
            may_be_empty=True,
            in_subject=False,
        ),
        Placeholder(
            "sessions",
            "bijeenkomsten",
            "sessions",
            _l("the meetings of this mail, with date, time and place, as a block on a line of its own"),
            block=True,
            in_subject=False,
        ),
        Placeholder("when", "datum", "date", _l("the date and time of the meeting")),
        Placeholder(
            "changes",
            "wijzigingen",
            "changes",
            _l("what changed, old → new, as a block on a line of its own"),
            block=True,
            in_subject=False,
        ),
        Placeholder(
            "reason",
            "reden",
            "reason",
            _l("why the meeting is cancelled; a paragraph with it is left out when no reason was given"),
            may_be_empty=True,
            in_subject=False,
        ),
        Placeholder(
            "link",
            "link",
            "link",
            _l("the personal link: a button when it stands on a line of its own"),
            in_subject=False,
        ),
    )
}
BY_NAME = {name: p.key for p in PLACEHOLDERS.values() for name in (p.nl, p.en)}


@dataclass(frozen=True)
class Field:
    key: str


Segment = str | Field


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[tuple[Segment, ...], ...] = ()
    block: str = ""  # the key of a block placeholder or the link standing alone

    def fields(self) -> set[str]:
        return {s.key for line in self.lines for s in line if isinstance(s, Field)} | ({self.block} - {""})


@dataclass(frozen=True)
class Values:
    """What fills the placeholders: plain strings, and the blocks as HTML and as text."""

    inline: Mapping[str, str]
    html_blocks: Mapping[str, Markup]
    text_blocks: Mapping[str, str]


def _unknown(inner: str, allowed: Sequence[str], language: str) -> MailTextError:
    known = ", ".join(PLACEHOLDERS[k].written(language) for k in allowed)
    return MailTextError("unknown_placeholder", placeholder="{" + inner + "}", known=known)


def _segments(line: str, allowed: Sequence[str], field: str, language: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    position = 0
    for match in FIELD.finditer(line):
        segments.append(line[position : match.start()])
        inner = match.group(1).strip()
        key = BY_NAME.get(inner.lower())
        if key is None or key not in allowed:
            error = _unknown(match.group(1), allowed, language)
            error.field = field
            raise error
        segments.append(Field(key))
        position = match.end()
    segments.append(line[position:])
    if any(isinstance(s, str) and ("{" in s or "}" in s) for s in segments):
        raise MailTextError("stray_brace", form_field=field)
    return tuple(s for s in segments if s != "")


def parse_subject(text: str, allowed: Sequence[str], language: str) -> tuple[Segment, ...]:
    """The subject read; placeholders in refusals are written as in ``language``, the text's own."""
    segments = _segments(" ".join(text.split()), allowed, "subject", language)
    for segment in segments:
        if isinstance(segment, Field) and not PLACEHOLDERS[segment.key].in_subject:
            written = PLACEHOLDERS[segment.key].written(language)
            raise MailTextError("not_in_subject", form_field="subject", placeholder=written)
    if not _has_words(segments):
        raise MailTextError("subject_empty", form_field="subject")
    return segments


def parse_body(text: str, allowed: Sequence[str], language: str) -> tuple[Paragraph, ...]:
    paragraphs = []
    for chunk in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in chunk.strip().split("\n")]
        parsed = tuple(_segments(line, allowed, "body", language) for line in lines if line)
        if not parsed:
            continue
        only = parsed[0][0] if len(parsed) == 1 and len(parsed[0]) == 1 else None
        if isinstance(only, Field) and (PLACEHOLDERS[only.key].block or only.key == "link"):
            paragraphs.append(Paragraph(block=only.key))
            continue
        for line in parsed:
            for segment in line:
                if isinstance(segment, Field) and PLACEHOLDERS[segment.key].block:
                    written = PLACEHOLDERS[segment.key].written(language)
                    raise MailTextError("block_not_alone", form_field="body", placeholder=written)
        paragraphs.append(Paragraph(lines=parsed))
    if not any(_has_words(s for line in p.lines for s in line) or p.block for p in paragraphs):
        raise MailTextError("body_empty", form_field="body")
    return tuple(paragraphs)


def _has_words(segments) -> bool:
    """Text of its own, or a placeholder that is never empty."""
    return any(
        (isinstance(s, str) and s.strip()) or (isinstance(s, Field) and not PLACEHOLDERS[s.key].may_be_empty)
        for s in segments
    )


def _left_out(paragraph: Paragraph, values: Values) -> bool:
    return any(PLACEHOLDERS[k].may_be_empty and not values.inline.get(k) for k in paragraph.fields())


def fill_subject(segments: tuple[Segment, ...], values: Values) -> str:
    return "".join(s if isinstance(s, str) else values.inline.get(s.key, "") for s in segments).strip()


def _link_html(link: str) -> Markup:
    return Markup('<a href="{0}">{0}</a>').format(link)


def button_html(link: str, label: str) -> Markup:
    """A button that works in every mail program (a table cell, no image), with the link written
    out below it for whoever cannot press it."""
    return Markup(
        '<table role="presentation" class="button-table" cellpadding="0" cellspacing="0"><tr>'
        '<td class="button-cell"><a class="button" href="{0}">{1}</a></td></tr></table>\n'
        '<p class="link-fallback"><a href="{0}">{0}</a></p>'
    ).format(link, label)


def fill_html(paragraphs: tuple[Paragraph, ...], values: Values, button_label: str) -> Markup:
    parts: list[Markup] = []
    for paragraph in paragraphs:
        if _left_out(paragraph, values):
            continue
        if paragraph.block == "link":
            parts.append(button_html(values.inline.get("link", ""), button_label))
        elif paragraph.block:
            block = values.html_blocks.get(paragraph.block, Markup(""))
            if block.strip():
                parts.append(block)
        else:
            lines = []
            for line in paragraph.lines:
                pieces = [
                    escape(s)
                    if isinstance(s, str)
                    else _link_html(values.inline.get("link", ""))
                    if s.key == "link"
                    else escape(values.inline.get(s.key, ""))
                    for s in line
                ]
                lines.append(Markup("").join(pieces))
            parts.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(lines)))
    return Markup("\n").join(parts)


def fill_text(paragraphs: tuple[Paragraph, ...], values: Values) -> str:
    parts: list[str] = []
    for paragraph in paragraphs:
        if _left_out(paragraph, values):
            continue
        if paragraph.block == "link":
            parts.append(values.inline.get("link", ""))
        elif paragraph.block:
            block = values.text_blocks.get(paragraph.block, "").strip("\n")
            if block.strip():
                parts.append(block)
        else:
            parts.append(
                "\n".join(
                    "".join(s if isinstance(s, str) else values.inline.get(s.key, "") for s in line)
                    for line in paragraph.lines
                )
            )
    return "\n\n".join(parts)
