"""What each domain error code means to a person, in their language."""

from __future__ import annotations

from flask_babel import format_date, format_time, gettext as _, ngettext

from planner.errors import DomainError


def _when(params) -> dict:
    out = dict(params)
    if "day" in params:
        out["day"] = format_date(params["day"], "full")
    if "time" in params:
        out["time"] = format_time(params["time"], "short")
    return out


MESSAGES = {
    "invalid_email": lambda p: _("Enter a valid e-mail address, like name@example.org."),
    "password_too_short": lambda p: _("The password must be at least %(minimum)s characters.", **p),
    "name_required": lambda p: _("Enter a name."),
    "retention_out_of_range": lambda p: _("Enter a number of months between 1 and 120."),
    "mail_withdrawn": lambda p: _("%(name)s does not want to receive mails any more.", **p),
    "deletion_requested": lambda p: _(
        "%(name)s asked for their data to be deleted, so we send them no more mails.", **p
    ),
    "anonymised_not_mailed": lambda p: _(
        "The data of this person has been deleted, so we send them no more mails."
    ),
    "email_taken": lambda p: _("There is already an account for %(email)s.", **p),
    "own_admin_rights": lambda p: _("You cannot take away your own admin rights or account."),
    "bad_credentials": lambda p: _("The e-mail address or password is not correct."),
    "wrong_current_password": lambda p: _("This is not your current password."),
    "throttled": lambda p: ngettext(
        "Too many failed attempts. Please try again in %(num)s minute.",
        "Too many failed attempts. Please try again in %(num)s minutes.",
        p["minutes"],
    ),
    "throttled_account": lambda p: ngettext(
        "Too many failed attempts on this account from devices it does not know. Log in on a "
        "device you have logged in with before, or try again in %(num)s minute.",
        "Too many failed attempts on this account from devices it does not know. Log in on a "
        "device you have logged in with before, or try again in %(num)s minutes.",
        p["minutes"],
    ),
    "nonexistent_time": lambda p: _(
        "%(time)s does not exist on %(day)s: the clocks go forward that night. Choose another time.",
        **_when(p),
    ),
    "end_before_start": lambda p: _("The end time must be after the start time."),
    "count_out_of_range": lambda p: _(
        "This template has between %(minimum)s and %(maximum)s sessions.", **p
    ),
    "no_free_date": lambda p: _(
        "No free dates could be found after %(day)s: too many dates are holidays or blocked.",
        **_when(p),
    ),
    "no_dates": lambda p: _("Enter at least one date."),
    "duplicate_date": lambda p: _("The same date is entered twice."),
    "count_mismatch": lambda p: _(
        "You chose %(count)s sessions but entered %(dates)s dates.", **p
    ),
    "unknown_template": lambda p: _("Choose one of the templates."),
    "in_the_past": lambda p: _("%(day)s has already passed. Choose a date in the future.", **_when(p)),
    "title_required": lambda p: _("Enter a title."),
    "already_published": lambda p: _("This series has already been published."),
    "nothing_to_publish": lambda p: _("Add at least one session before publishing."),
    "remove_published": lambda p: _(
        "Sessions of a published series cannot be removed: cancel the session instead, so "
        "participants are told."
    ),
    "already_cancelled": lambda p: _("This session has already been cancelled."),
    "reason_required": lambda p: _("Give a reason for the cancellation."),
    "blocked_date_taken": lambda p: _("%(day)s is already blocked.", **_when(p)),
    "programme_name_taken": lambda p: _("There is already a learning studio with this name."),
    "capacity_too_low": lambda p: _("Capacity must be at least 1."),
    "too_far_ahead": lambda p: _("Sessions can be planned up to %(years)s years ahead. Check the year.", **p),
    "invalid_url": lambda p: _("Enter a full web address starting with https://."),
    "unknown_role": lambda p: _("Unknown role: %(role)s.", **p),
    "unknown_language": lambda p: _("Unknown language: %(language)s.", **p),
    "person_email_taken": lambda p: _("There is already a person with the e-mail address %(email)s.", **p),
    "last_session": lambda p: _("A series needs at least one session."),
    "too_long": lambda p: _("%(field)s is too long: at most %(maximum)s characters.", **p),
    "guardian_consent_required": lambda p: _(
        "Someone under 16 can only be stored when a parent or guardian has consented: enter the "
        "date and who gave consent."
    ),
    "unknown_consent_purpose": lambda p: _("Unknown purpose of consent: %(purpose)s.", **p),
    "person_anonymised": lambda p: _("This person's data has been deleted; the record can no longer be changed."),
    "not_yes_or_no": lambda p: _("%(field)s must be yes or no, not “%(value)s”.", **p),
    "invalid_consent_date": lambda p: _(
        "“%(value)s” is not a date. Write the date of consent as 31-12-2026 or 2026-12-31.", **p
    ),
    "organisation_taken": lambda p: _("There is already an organisation %(name)s in this municipality.", **p),
    "role_required": lambda p: _("Enter a role."),
    "duplicate_in_file": lambda p: _("%(email)s is already in row %(row)s of the file.", **p),
    "import_wrong_type": lambda p: _("Choose a .csv or .xlsx file (in Excel: Save as, Excel workbook or CSV)."),
    "import_too_large": lambda p: _("The file is too large: at most %(megabytes)s MB.", **p),
    "import_too_many_rows": lambda p: _(
        "The file has more than %(maximum)s rows. Split it into smaller files.", **p
    ),
    "import_rows_beyond_limit": lambda p: _(
        "The file goes on past row %(maximum)s (empty rows count too), and at most %(people)s people can be "
        "imported at once. Delete the rows below the list, or split it into smaller files.",
        **p,
    ),
    "import_cell_too_long": lambda p: _(
        "Row %(row)s, column %(column)s holds %(length)s characters; a cell can hold at most %(maximum)s. "
        "Shorten it or remove the column, and upload the file again.",
        **p,
    ),
    "import_too_much_text": lambda p: _(
        "The file holds too much text to check at once. Remove the columns you do not need, or split the list."
    ),
    "import_too_complex": lambda p: _(
        "This spreadsheet is too large or too complex to read: it unpacks to more than %(megabytes)s MB, or "
        "holds too many cells, sheets or styles. Copy the list to a new workbook or save it as CSV, "
        "and try again.",
        **p,
    ),
    "import_empty": lambda p: _("The file is empty."),
    "import_no_rows": lambda p: _("The file has a header row but no people below it."),
    "import_unreadable": lambda p: _(
        "This file cannot be read as a spreadsheet. Save it as .xlsx or .csv and try again."
    ),
    "import_payload_invalid": lambda p: _(
        "The uploaded list could not be read back, or is more than a few hours old. Upload the file again."
    ),
    "import_name_not_mapped": lambda p: _("Choose the column that holds the names."),
    "import_has_errors": lambda p: ngettext(
        "Nothing was imported: %(num)s row has an error, and you asked for all or nothing.",
        "Nothing was imported: %(num)s rows have an error, and you asked for all or nothing.",
        p["count"],
    ),
    "import_nothing_good": lambda p: _("Nothing was imported: no row can be imported."),
    "invalid_emails": lambda p: _("These are not valid e-mail addresses: %(emails)s. Nobody was invited.", **p),
    "unknown_person": lambda p: _("One of the chosen people no longer exists. Search again."),
    "unknown_organisation": lambda p: _("This organisation no longer exists."),
    "series_not_published": lambda p: _("Publish the series before you invite people."),
    "no_sessions_chosen": lambda p: _("Choose at least one session."),
    "nobody_chosen": lambda p: _("Choose at least one person, an organisation, a role or enter e-mail addresses."),
    "session_not_in_series": lambda p: _("This session is not part of this series."),
    "session_not_open": lambda p: _("“%(title)s” has already started or was cancelled: nobody can be invited to it.", **p),
    "invitation_revoked": lambda p: _("This invitation has been withdrawn."),
    "no_email": lambda p: _("%(name)s has no e-mail address: print a letter instead.", **p),
    "not_invited_to_session": lambda p: _("You are not invited to this meeting."),
    "session_cancelled": lambda p: _("The meeting “%(title)s” has been cancelled.", **p),
    "session_started": lambda p: _(
        "The meeting “%(title)s” has already started. You can no longer change your answer.", **p
    ),
    "unknown_answer": lambda p: _("Choose yes, no or maybe."),
    # Evaluations: building forms, choosing them per session, answering.
    "form_title_required": lambda p: _("Enter a title for the form."),
    "unknown_purpose": lambda p: _("Choose what the form is for."),
    "builtin_form_read_only": lambda p: _("A built-in form cannot be changed. Make a copy and change the copy."),
    "form_superseded": lambda p: _("There is a newer version of this form. Change that one."),
    "form_changed_meanwhile": lambda p: _("Someone changed this form at the same moment. Please try again."),
    "unknown_question_kind": lambda p: _("Choose a type of question."),
    "question_text_required": lambda p: _("Enter the question in Dutch."),
    "unknown_condition": lambda p: _("Choose one of the four conditions, or none."),
    "pair_incomplete": lambda p: _("A before / now pair needs both a pair name and a moment (before or now)."),
    "smiley_labels": lambda p: _(
        "A smiley scale has 3 or 5 faces: enter 3 or 5 labels, one per line, saddest first. You entered %(count)s.",
        **p,
    ),
    "choice_needs_options": lambda p: _("A choice question needs at least 2 options, one per line."),
    "too_many_options": lambda p: _("At most %(maximum)s options.", **p),
    "english_options_count": lambda p: _(
        "Enter as many English labels as Dutch ones (%(count)s), or leave the English labels empty.", **p
    ),
    "duplicate_option": lambda p: _("The same option is entered twice."),
    "unknown_question": lambda p: _("This question is no longer on the form."),
    "delay_out_of_range": lambda p: _("The waiting time is from 0 to %(maximum)s hours.", **p),
    "unknown_form": lambda p: _("Choose one of the forms of this learning studio."),
    "session_has_responses": lambda p: _(
        "“%(title)s” already has answers, so its form can no longer be changed.", **p
    ),
    "already_answered": lambda p: _("This form has already been filled in. Thank you!"),
    "answer_required": lambda p: _("Please answer this question."),
    "answer_unknown_option": lambda p: _("Choose one of the answers."),
    "answer_too_long": lambda p: _("Your answer is too long: at most 2000 characters."),
    "not_present": lambda p: _("This person was not marked present at this session."),
    "same_session": lambda p: _("Choose another session to move to."),
    "text_too_long": lambda p: _("The text is too long."),
    "bad_group_request": lambda p: _("Enter a number of groups or a group size from 1 to %(maximum)s.", **p),
    "nobody_to_divide": lambda p: _("There is nobody to divide yet: nobody is present and nobody said yes."),
    "not_in_a_group": lambda p: _("This person is not in a group."),
    "no_such_group": lambda p: _("There is no group with this number."),
    "unknown_presence": lambda p: _("Choose present, absent or excused."),
    "not_on_list": lambda p: _("This person is not on the list of this session."),
    "check_in_not_open": lambda p: _("You can check in from %(time)s.", **_when(p)),
    "check_in_closed": lambda p: _("This session has ended; checking in is no longer possible."),
    "door_closed": lambda p: _("Checking in by name is closed for this meeting. Please ask the organiser."),
    "door_throttled": lambda p: ngettext(
        "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minute.",
        "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minutes.",
        p["minutes"],
    ),
    "no_pending_check_in": lambda p: _("This person has no check-in waiting to be confirmed."),
    "unknown_moderation": lambda p: _("Choose approve, hide or redact."),
    "redaction_required": lambda p: _("Enter the text as it may be shown, with the name taken out."),
    "redaction_too_long": lambda p: _("The text can be at most %(maximum)s characters.", **p),
    "quote_not_approved": lambda p: _("Only approved answers can be starred."),
}


def describe(error: DomainError) -> str:
    explain = MESSAGES.get(error.code)
    return explain(error.params) if explain else _("This could not be saved.")
