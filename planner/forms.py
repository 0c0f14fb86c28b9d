"""Form pieces shared by every area."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: easier than a multi-select for keyboard and phone users."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
